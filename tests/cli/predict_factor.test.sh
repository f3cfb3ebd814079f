#!/usr/bin/env bash
# Scenarios of rtcal predict, factor and status on known answers: the worked
# example of REFERENCE §2, the HOWTO calculation with both signs and across
# New Year, --write with --dry-run, extra adjtime lines kept.
. "$(dirname "$0")/../lib.sh"
export TZ=UTC

printf -- '-9.600000 845082716 -0.250655\n845082716\nUTC\n' >"$T/adjtime"
A=(--adjfile "$T/adjtime" --log "$T/log.jsonl")

# predict: the worked example (hwclock prints -192.228900 as its floor+fraction form).
expect_code 0 "$RTCAL" "${A[@]}" predict --date '1996-11-01 00:00:00' --json
near "$(json_get target)" 846806400 0 "target"
near "$(json_get drift)" -191.771099 5e-7 "drift"
near "$(json_get predicted_rtc)" 846806591.771099 5e-7 "predicted_rtc"
expect_code 0 "$RTCAL" "${A[@]}" predict --date '1996-11-01T00:00:00Z'
expect_contains "-191.771099 s" "$T/out"
expect_contains "1996-11-01 00:03:11.771099" "$T/out"
expect_contains "the RTC gains 9.6 s/day, so the correction factor is -9.600000 s/day" "$T/out"

# factor: an RTC 12.4 s fast after 31 days gains 0.4 s/day: the HOWTO's -0.4,
# exactly -12.4 / (31 + 12.4/86400) per RTC day (hwclock applies it per day of
# the RTC's own reading): -0.3999981.
expect_code 0 "$RTCAL" --noadjfile --utc factor --error 12.4 --days 31 --json
near "$(json_get factor)" -0.399998148156722 1e-12 "factor from --error"
near "$(json_get seconds_added)" -12.4 1e-12 "seconds_added"
# An RTC that lost 3 s over 20 days (you had to add 3 s), old factor 0.5:
# (0.5*20 + 3) / (20 - 3/86400) = 0.6500011 (the HOWTO's 0.65).
expect_code 0 "$RTCAL" --noadjfile --utc factor --added 3 --days 20 --old-factor 0.5 --json
near "$(json_get factor)" 0.650001128474181 1e-12 "factor from --added and --old-factor"
# Old factor from the adjtime file (-9.6): (-9.6*10 - 1) / (10 + 1/86400) = -9.699989.
expect_code 0 "$RTCAL" "${A[@]}" factor --error 1 --days 10 --json
near "$(json_get old_factor)" -9.6 1e-12 "old factor read from adjtime"
near "$(json_get factor)" -9.69998877316114 1e-12 "factor with the adjtime's old factor"
# Across New Year: day 350 of 2024 (leap) to day 10 of 2025 = 26 days; of 2023: 25 days.
expect_code 0 "$RTCAL" --noadjfile --utc factor --added -26 --from-day 350 --to-day 10 --year 2024 --json
near "$(json_get days)" 26 0 "days across New Year 2024/25"
near "$(json_get factor)" -0.999988426059884 1e-12 "factor across New Year (-26 / (26 + 26/86400))"
expect_code 0 "$RTCAL" --noadjfile --utc factor --added 25 --from-day 350 --to-day 10 --year 2023 --json
near "$(json_get days)" 25 0 "days across New Year 2023/24"
# Two dates, 30.5 days apart.
expect_code 0 "$RTCAL" --noadjfile --utc factor --error -6.1 --from '2026-10-01 00:00' --to '2026-10-31 12:00' --json
near "$(json_get days)" 30.5 1e-9 "days between dates"
near "$(json_get factor)" 0.200000462964035 1e-12 "factor between dates (6.1 / (30.5 - 6.1/86400))"
expect_code 0 "$RTCAL" --noadjfile --utc factor --error 12.4 --days 31
expect_contains "the RTC gains 0.399998 s/day, so the correction factor is -0.399998 s/day" "$T/out"

# --write --dry-run shows the change and writes nothing; --write keeps extra lines.
printf -- '0.000000 1795427168 0.000000\n1795427168\nLOCAL\n# kept by rtcal\n' >"$T/adjtime2"
before=$(sha256sum "$T/adjtime2")
expect_code 0 "$RTCAL" --adjfile "$T/adjtime2" --dry-run factor --error 12.4 --days 31 --write
expect_contains "+ -0.399998 1795427168 0.000000" "$T/out"
expect_contains "- 0.000000 1795427168 0.000000" "$T/out"
[ "$before" = "$(sha256sum "$T/adjtime2")" ] || fail "--dry-run changed the file"
expect_code 0 "$RTCAL" --adjfile "$T/adjtime2" factor --error 12.4 --days 31 --write
[ "$(cat "$T/adjtime2")" = "$(printf -- '-0.399998 1795427168 0.000000\n1795427168\nLOCAL\n# kept by rtcal')" ] \
  || fail "written file: $(cat "$T/adjtime2")"
# Writing the same factor again changes nothing.
ino=$(stat -c %i "$T/adjtime2")
expect_code 0 "$RTCAL" --adjfile "$T/adjtime2" factor --error 12.4 --days 31 --old-factor 0 --write
expect_contains "nothing to write" "$T/out"
[ "$ino" = "$(stat -c %i "$T/adjtime2")" ] || fail "an unchanged file was rewritten"

# status explains the file.
expect_code 0 "$RTCAL" --adjfile "$T/adjtime2" --log "$T/log.jsonl" status --json
near "$(json_get factor)" -0.399998 1e-12 "status factor"
[ "$(json_get scale)" = LOCAL ] || fail "status scale"
expect_code 0 "$RTCAL" --adjfile "$T/adjtime2" --log "$T/log.jsonl" status
expect_contains "the RTC gains 0.399998 s/day, so the correction factor is -0.399998 s/day" "$T/out"
expect_contains "local time" "$T/out"
expect_contains "no measurements yet" "$T/out"
# A missing adjtime file means hwclock's defaults.
expect_code 0 "$RTCAL" --adjfile "$T/none" --log "$T/log.jsonl" status
expect_contains "missing, so hwclock's defaults apply" "$T/out"
[ ! -e "$T/none" ] || fail "status created the adjtime file"
echo "1 passed, 0 failed"

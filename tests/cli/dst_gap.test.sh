#!/usr/bin/env bash
# A LOCAL RTC across DST changes in Europe/Berlin (issue 12, item 4), on the
# simulated RTC and clock. The machine was off across the spring-forward
# change, so the RTC, still counting in CET, reads 02:30 on 2026-03-29, a
# local time that does not exist: `show`, `hctosys`, `apply` and `measure`
# read it with the offset before the change (+01:00), as util-linux hwclock
# does, warn naming the time and the offset, and set the system clock to the
# true time within 1 ms; in drop-in mode (`hwclock -s`) the warning comes only
# with -v. Only typed --dates in the gap are refused (exit 2). In the
# fall-back hour the repeated 02:30 is read as the second (CET), as hwclock.
. "$(dirname "$0")/../lib.sh"
sim_world Europe/Berlin
GAP_UTC=1774747805  # 2026-03-29 01:30:05 UTC = 02:30:05 CET, skipped in CEST

# world TRUE_UNIX_S: the RTC right in CET (fields as UTC one hour ahead), the
# system clock 5000 s behind (a boot), adjtime LOCAL, factor 0, last adjusted
# a week before.
world() {
  rm -f "$W" "$L"
  expect_code 0 "$RTCAL" sim init "$W" --at "$1.25" --offset 3600 --system-error -5000
  printf -- '0.000000 %s 0.000000\n%s\nLOCAL\n' $(($1 - 7 * 86400)) $(($1 - 7 * 86400)) >"$A"
}
gap_warning="the RTC reads 2026-03-29 02:30:0"
gap_offset="which does not exist in Europe/Berlin (clocks jumped from 02:00 to 03:00 on 2026-03-29): read with the offset before the change, +01:00, as hwclock does"

for cmd in hctosys apply; do
  world $GAP_UTC
  expect_code 0 rt $cmd
  expect_contains "$gap_warning" "$T/err"
  expect_contains "$gap_offset" "$T/err"
  near "$(sim system_error_s)" 0 0.001 "$cmd in the gap: system clock"
  echo "ok: $cmd in the gap: system clock $(sim system_error_s) s"
done

world $GAP_UTC
expect_code 0 rt --json show
expect_contains "$gap_offset" "$T/err"
near "$(json_get rtc_time)" $((GAP_UTC + 1)) 0 "show: the RTC's edge read as CET"
near "$(json_get system_minus_rtc)" -5000 0.001 "show: system minus RTC"

world $GAP_UTC
expect_code 0 rt measure --system-error -5000
expect_contains "$gap_offset" "$T/err"
near "$(jq -r .rtc_error "$L")" 0 0.001 "measure in the gap: RTC error"
jq -r .rtc_reading_note "$L" | grep -qF "$gap_offset" || fail "measurement record without the note: $(cat "$L")"

# adjust in the gap: the drift is applied and the RTC written in CEST.
world $GAP_UTC
printf -- '-8.639136 %s 0.000000\n%s\nLOCAL\n' $((GAP_UTC - 2 * 86400)) $((GAP_UTC - 2 * 86400)) >"$A"
expect_code 0 rt adjust
expect_contains "$gap_offset" "$T/err"
expect_contains "Adjusted the RTC by -17.27" "$T/out"
expect_contains "now 2026-03-29 03:29:4" "$T/out"  # written in the new offset, CEST
near "$(sim rtc_error_s)" 7182.72 0.01 "adjust: RTC fields now CEST (2 h ahead of UTC), 17.28 s back"
# The step logged is the change of the RTC's error on its scale, not the
# hour its fields moved with the zone: the drift fit must not see a jump.
near "$(jq -r .amount "$L")" -17.28 0.01 "adjust: the step logged"

# Drop-in: hwclock -s sets the clock too, silent on stderr; -v says why.
ln -s "$RTCAL" "$T/hwclock"
world $GAP_UTC
RTCAL_RTC="sim:$W" RTCAL_ADJFILE=$A RTCAL_LOG=$L expect_code 0 "$T/hwclock" -s
[ ! -s "$T/err" ] || fail "hwclock -s wrote to stderr: $(cat "$T/err")"
near "$(sim system_error_s)" 0 0.001 "hwclock -s in the gap: system clock"
world $GAP_UTC
RTCAL_RTC="sim:$W" RTCAL_ADJFILE=$A RTCAL_LOG=$L expect_code 0 "$T/hwclock" -s -v
expect_contains "$gap_offset" "$T/err"
echo "ok: show, measure, adjust, hwclock -s in the gap"

# Typed dates in the gap are refused, naming the gap and a fix.
world $GAP_UTC
before=$(sha256sum "$A" "$W")
for cmd in "set --date" "predict --date"; do
  expect_code 2 rt $cmd '2026-03-29 02:30'
  expect_contains "2026-03-29 02:30 does not exist in Europe/Berlin: clocks jumped from 02:00 to 03:00 on 2026-03-29 (give a time outside the gap, or a zone suffix such as +01:00)" "$T/err"
done
[ "$before" = "$(sha256sum "$A" "$W")" ] || fail "a refused --date changed a file"
expect_code 0 rt predict --date '2026-03-29 02:30 +01:00'
echo "ok: typed dates in the gap refused"

# The fall-back hour: 02:30:05 on 2026-10-25 happened twice; the RTC (right
# in CET, the second) is read as the second, as hwclock (glibc mktime) does.
world 1792891805  # 01:30:05 UTC = 02:30:05 CET
expect_code 0 rt hctosys
expect_contains "which happened twice in Europe/Berlin (clocks went back from 03:00 to 02:00 on 2026-10-25): read as the second, +01:00, as hwclock does" "$T/err"
near "$(sim system_error_s)" 0 0.001 "hctosys in the repeated hour: system clock"
echo "ok: the repeated hour"

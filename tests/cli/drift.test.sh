#!/usr/bin/env bash
# rtcal drift end to end: measurements recorded with `measure --system-error`
# on a simulated RTC that gains 50 ppm (4.32 s/day); the fit finds the rate
# inside its interval; a reading a minute off is flagged and left out; an hour
# jump (DST) is taken out, not taken for drift; --write shows the adjtime
# change, honours --dry-run, stores the factor and moves the last-calibration
# time; bad logs and too few measurements fail with their exit codes and
# write nothing.
. "$(dirname "$0")/../lib.sh"
export TZ=UTC

S="$T/sim.json"
L="$T/log.jsonl"
ADJ="$T/adjtime"
"$RTCAL" sim init "$S" --offset 2 --rate-ppm 50 >/dev/null
measure() { expect_code 0 "$RTCAL" --rtc "sim:$S" --log "$L" --noadjfile --utc measure --system-error 0 --sigma "$1"; }

# Too few: no log, then one measurement.
expect_code 1 "$RTCAL" --log "$L" --noadjfile drift
expect_contains "no measurements yet" "$T/err"
measure 0.002
expect_code 1 "$RTCAL" --log "$L" --noadjfile drift
expect_contains "take another measurement later" "$T/err"

for d in 2d 3d 4d 2d 5d; do "$RTCAL" sim advance "$S" "$d" >/dev/null; measure 0.002; done
expect_code 0 "$RTCAL" --log "$L" --noadjfile drift --json
near "$(json_get rate_s_per_day)" 4.32 0.001 "rate"
near "$(json_get rate_ppm)" 50 0.01 "rate ppm"
near "$(json_get factor)" -4.32 0.001 "factor"
near "$(json_get two_point_factor)" -4.32 0.001 "two-point factor"
[ "$(json_get n)" = 6 ] || fail "n: $(json_get n)"
[ "$(json_get segments)" = 1 ] || fail "segments"
[ "$(jq -c .outliers "$T/out")" = "[]" ] || fail "outliers on clean data"
jq -e '.ci95_s_per_day[0] <= 4.32 and 4.32 <= .ci95_s_per_day[1]' "$T/out" >/dev/null || fail "interval misses 4.32"

# A reading a minute off (a typo), written directly into the log as record 6.
last=$(tail -1 "$L")
t=$(jq -r .time <<<"$last"); e=$(jq -r .rtc_error <<<"$last")
"$RTCAL" sim advance "$S" 2d >/dev/null
echo "{\"type\":\"measurement\",\"time\":$(awk -v t="$t" 'BEGIN{printf "%.3f", t + 86400}'),\"rtc_error\":$(awk -v e="$e" 'BEGIN{printf "%.4f", e + 4.32 + 60}'),\"sigma\":0.2,\"source\":\"typed\"}" >>"$L"
measure 0.002
expect_code 0 "$RTCAL" --log "$L" --noadjfile drift --json
[ "$(jq -c .outliers "$T/out")" = "[6]" ] || fail "outlier not flagged: $(jq -c .outliers "$T/out")"
near "$(json_get rate_s_per_day)" 4.32 0.001 "rate with an outlier"
expect_code 0 "$RTCAL" --log "$L" --noadjfile drift
expect_contains "OUTLIER: left out of the fit" "$T/out"
expect_contains "The RTC gains 4.3200 s/day" "$T/out"

# Measure once more, with the new record shifted by SHIFT s (what the RTC
# did that rtcal did not record): measure_shifted SHIFT.
measure_shifted() {
  measure 0.002
  tail -1 "$L" | jq -c --argjson s "$1" '.rtc_error += $s' >"$T/shifted"
  head -n -1 "$L" >"$T/rest"
  cat "$T/rest" "$T/shifted" >"$L"
}

# An hour jump (the RTC moved an hour ahead: DST under another OS).
for k in 1 2; do "$RTCAL" sim advance "$S" 3d >/dev/null; measure_shifted 3600; done
expect_code 0 "$RTCAL" --log "$L" --noadjfile drift --json
[ "$(jq -c '.hour_jumps | map(.amount)' "$T/out")" = "[3600]" ] || fail "hour jump: $(jq -c .hour_jumps "$T/out")"
near "$(json_get rate_s_per_day)" 4.32 0.001 "rate across an hour jump"
# The two-point method takes the hour for drift: (3600 s + drift) / days.
awk -v a="$(json_get two_point_factor)" 'BEGIN { exit !(a < -100) }' || fail "two-point: $(json_get two_point_factor)"
expect_code 0 "$RTCAL" --log "$L" --noadjfile drift
expect_contains "hour jump of +3600 s before it" "$T/out"

# A reset (the battery died: the RTC changed by an unknown amount): a new
# segment with its own intercept and the same rate.
t_last=$(jq -r 'select(.type=="measurement").time' "$L" | tail -1)
echo "{\"type\":\"reset\",\"time\":$(awk -v t="$t_last" 'BEGIN{printf "%.3f", t + 60}'),\"reason\":\"battery\"}" >>"$L"
for d in 1d 6d; do "$RTCAL" sim advance "$S" "$d" >/dev/null; measure_shifted -77.7; done
expect_code 0 "$RTCAL" --log "$L" --noadjfile drift --json
[ "$(json_get segments)" = 2 ] || fail "segments after a reset: $(json_get segments)"
[ "$(jq -c .hour_jumps "$T/out" | jq length)" = 1 ] || fail "the reset taken for a jump"
near "$(json_get rate_s_per_day)" 4.32 0.001 "rate over two segments"

# --write: --dry-run shows old -> new and writes nothing; then it writes.
printf -- '-1.000000 1795000000 0.250000\n1795000000\nUTC\n' >"$ADJ"
before=$(sha256sum <"$ADJ")
expect_code 0 "$RTCAL" --log "$L" --adjfile "$ADJ" --dry-run drift --write
expect_contains "- -1.000000 1795000000 0.250000" "$T/out"
# 4.32 s/day per true day is -4.32 / (1 + 4.32/86400) per RTC day.
expect_contains "+ -4.319784 1795000000 0.250000" "$T/out"
expect_contains "--dry-run" "$T/out"
[ "$before" = "$(sha256sum <"$ADJ")" ] || fail "--dry-run changed adjtime"
expect_code 0 "$RTCAL" --log "$L" --adjfile "$ADJ" drift --write --json
[ "$(json_get written)" = true ] || fail "not written"
[ "$(sed -n 1p "$ADJ")" = "-4.319784 1795000000 0.250000" ] || fail "line 1: $(sed -n 1p "$ADJ")"
cal=$(sed -n 2p "$ADJ")
[ "$cal" != 1795000000 ] && [ "$cal" -gt 1795000000 ] || fail "last calibration not moved: $cal"
[ "$(sed -n 3p "$ADJ")" = UTC ] || fail "line 3"

# Bad logs: a corrupt line is refused (exit 3) and nothing is written.
cp "$L" "$T/bad.jsonl"; echo '{"type":"measurement","time":1,"rtc_error":"x","sigma":0.1}' >>"$T/bad.jsonl"
before=$(sha256sum <"$ADJ")
expect_code 3 "$RTCAL" --log "$T/bad.jsonl" --adjfile "$ADJ" drift --write
expect_contains "bad.jsonl:$(wc -l <"$T/bad.jsonl"):" "$T/err"
expect_contains "fix or delete the line" "$T/err"
[ "$before" = "$(sha256sum <"$ADJ")" ] || fail "a refused fit changed adjtime"
expect_code 2 "$RTCAL" --log "$L" --noadjfile drift --days -3
expect_contains "--days" "$T/err"
echo "ok"

#!/usr/bin/env bash
# rtcal trim end to end on a simulated RTC with a trim register (a PCF8523's
# 4340 ppb steps): the RTC gains 37 ppm; a week of measurements; --from-fit
# programs the offset that cancels it (quantized to whole steps, logged as a
# trim record); the drift fit over the whole log (earlier readings
# re-expressed) and a fresh week both find only the residual; --set writes
# only on change (and a value the chip rounds back logs nothing); --dry-run
# changes nothing; ERANGE and clamping; --reapply
# after the register was lost; --check-sign on a chip that does the opposite
# says so, and --invert-sign then cancels the drift; an RTC without a trim
# says so and writes nothing.
. "$(dirname "$0")/../lib.sh"
export TZ=UTC

S="$T/sim.json"
L="$T/log.jsonl"
"$RTCAL" sim init "$S" --rate-ppm 37 --trim-step-ppb 4340 --trim-range-ppb 277760 >/dev/null
r() { "$RTCAL" --rtc "sim:$S" --log "$L" --noadjfile --utc "$@"; }
measure() { expect_code 0 r measure --system-error 0 --sigma 0.001; }
week() { for d in 1d 2d 2d 2d; do "$RTCAL" sim advance "$S" "$d" >/dev/null; measure; done; }

# The register as it starts: features and 0 ppb.
expect_code 0 r trim
expect_contains "features:   correction (RTC_FEATURE_CORRECTION)" "$T/out"
expect_contains "offset:     0 ppb (read by RTC_PARAM_GET correction)" "$T/out"
expect_code 0 r --json trim
[ "$(json_get offset_ppb)" = 0 ] || fail "offset: $(json_get offset_ppb)"
expect_code 0 "$RTCAL" --rtc "sim:$S" param --get correction
expect_contains "The RTC parameter 0x1 is set to 0x0." "$T/out"

measure; week
expect_code 0 r --json drift
near "$(json_get rate_ppm)" 37 0.01 "rate before the trim"

# --dry-run: says what it would program and log, changes nothing.
cp "$S" "$T/sim.before"; cp "$L" "$T/log.before"
expect_code 0 r --dry-run trim --from-fit
expect_contains "the offset that cancels it is +37000 ppb" "$T/out"
expect_contains '"type":"trim"' "$T/out"
cmp -s "$S" "$T/sim.before" || fail "--dry-run changed the sim"
cmp -s "$L" "$T/log.before" || fail "--dry-run changed the log"

# --from-fit: 37000 ppb is 8.53 steps of 4340: the register holds 9 * 4340 = 39060.
expect_code 0 r trim --from-fit
expect_contains "Set the trim from 0 ppb to +39060 ppb (asked +37000 ppb" "$T/out"
tail -1 "$L" | jq -e '.type == "trim" and .offset_ppb == 39060 and .previous_ppb == 0 and .sign == 1 and .reason == "from-fit"' >/dev/null \
  || fail "trim record: $(tail -1 "$L")"
expect_code 0 r --json trim
[ "$(json_get offset_ppb)" = 39060 ] || fail "offset after: $(json_get offset_ppb)"
expect_code 0 "$RTCAL" --rtc "sim:$S" param --get correction
expect_contains "The RTC parameter 0x1 is set to 0x9894." "$T/out"

# A week later: the residual is 37 - 39.06 = -2.06 ppm, in the whole log
# (the week before re-expressed at the new rate) and in the new week alone.
week
expect_code 0 r --json drift
near "$(json_get rate_ppm)" -2.06 0.01 "residual over the whole log"
[ "$(json_get segments)" = 1 ] || fail "a trim is not a reset"
# report marks the trim (T on the text chart's axis, a summary line, --json's trims, the SVG).
expect_code 0 r report --svg "$T/chart.svg"
expect_contains "T trim of the chip's rate" "$T/out"
expect_contains "trim +39060 ppb on " "$T/out"
grep -q 'trim +39060 ppb' "$T/chart.svg" || fail "the SVG does not mark the trim"
expect_code 0 r --json report
jq -e '.trims | length == 1 and .[0].offset_ppb == 39060' "$T/out" >/dev/null || fail "report --json trims: $(jq -c .trims "$T/out")"
expect_code 0 r --json trim --check-sign
[ "$(json_get sign_agrees)" = true ] || fail "sign check on a standard chip"
near "$(json_get measured_change_ppm)" -39.06 0.01 "measured change"

# --set: the same value is not written again (no record); a new one is.
lines=$(wc -l <"$L")
expect_code 0 r trim --set 39060
expect_contains "already holds +39060 ppb: not written" "$T/out"
[ "$(wc -l <"$L")" = "$lines" ] || fail "an unchanged --set logged a record"
# 38000 rounds to the step it holds: the read-back shows it, nothing is logged.
expect_code 0 r trim --set 38000
expect_contains "The chip kept +39060 ppb (the step nearest +38000 ppb): unchanged, nothing logged" "$T/out"
[ "$(wc -l <"$L")" = "$lines" ] || fail "a --set the chip rounded back logged a record"
expect_code 0 r trim --set 34720
expect_contains "Set the trim from +39060 ppb to +34720 ppb" "$T/out"

# --json: the outcome alone on stdout.
expect_code 0 r --json --dry-run trim --set 43400
jq -e '.previous_ppb == 34720 and .target_ppb == 43400 and .offset_ppb == 43400 and .written == false and .dry_run == true and .rate_change_ppm == -8.68' "$T/out" >/dev/null \
  || fail "--json: $(cat "$T/out")"
expect_contains '"type":"trim"' "$T/err"

# Beyond the range: ERANGE from the register, nothing changed or logged.
lines=$(wc -l <"$L")
expect_code 1 r trim --set 300000
expect_contains "beyond the trim register's +-277760 ppb" "$T/err"
[ "$(wc -l <"$L")" = "$lines" ] || fail "a refused --set logged a record"

# The battery was changed: the register is 0 again; --reapply restores it.
jq '.trim_offset_ppb = 0' "$S" >"$T/s" && mv "$T/s" "$S"
expect_code 0 r trim --reapply
expect_contains "Set the trim from 0 ppb to +34720 ppb" "$T/out"
tail -1 "$L" | jq -e '.reason == "reapply"' >/dev/null || fail "reapply record"

# A chip that does the opposite: --check-sign finds it, --invert-sign fixes it.
"$RTCAL" sim init "$S" --force --rate-ppm 20 --trim-step-ppb 1000 --trim-range-ppb 100000 --trim-sign -1 --trim-clamp >/dev/null
rm -f "$L"
measure; week
expect_code 0 r trim --from-fit
week
expect_code 1 r trim --check-sign
expect_contains "The chip applies the offset the other way: use --invert-sign" "$T/out"
expect_code 0 r trim --invert-sign --from-fit
tail -1 "$L" | jq -e '.sign == -1' >/dev/null || fail "inverted record: $(tail -1 "$L")"
expect_code 0 "$RTCAL" --json sim show "$S"
near "$(json_get rtc_rate_ppm)" 0 0.01 "rate after the inverted trim"
# The clamping register: beyond the range it clamps instead.
expect_code 0 r trim --set -500000
expect_contains "to -100000 ppb (asked -500000 ppb" "$T/out"

# No trim register: said, and nothing written.
"$RTCAL" sim init "$S" --force --rate-ppm 5 >/dev/null
expect_code 1 r trim --set 1000
expect_contains "this RTC has no parameters" "$T/err"
echo PASS

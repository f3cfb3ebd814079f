#!/usr/bin/env bash
# 60 simulated days of calibration on the simulated RTC (virtual clock, so
# every run is the same): the RTC gains 40 ppm (3.456 s/day, true factor
# -3.456); the machine boots every day and runs `rtcal apply`; every 3 days
# someone measures the RTC with `measure --system-error S --sigma σ` (S: the
# system clock's real error, plus a deterministic noise of σ; σ alternates
# between a person with a time beep, 0.2 s, and NTP, 0.002 s); every 10 days
# `rtcal drift --write` refits the whole log and stores the factor. Events:
# a reading typed a minute off on day 16 (an outlier), the RTC's battery dies
# on day 30 and the RTC is set again (a reset: a new segment), and another OS
# moves the RTC an hour forward on day 45 (found by the next measurement,
# then undone by `rtcal systohc`, a known step).
# Expected: the fitted factor converges to the truth (within 0.02 s/day at
# the end), the outlier is flagged, there are 2 segments, and from the first
# fit on the RTC stays within 1 s of true time at every boot (except the day
# of the hour jump).
. "$(dirname "$0")/../lib.sh"
sim_world
T0=1793491200 TRUE_FACTOR=-3.456
sim_edit() { jq "$1" "$W" >"$W.new" && mv "$W.new" "$W"; }
# noise DAY SIGMA: a repeatable pseudo-random normal deviate times SIGMA.
noise() { awk -v d="$1" -v s="$2" 'BEGIN { srand(1000 + d); u = rand(); v = rand();
  printf "%.6f", s * sqrt(-2 * log(u + 1e-12)) * cos(6.283185307 * v) }'; }

expect_code 0 "$RTCAL" sim init "$W" --at $T0 --offset 0.3 --rate-ppm 40
printf '0.000000 %s 0.000000\n%s\nUTC\n' $T0 $T0 >"$A"
fits=0 worst=0
for day in $(seq 1 60); do
  expect_code 0 "$RTCAL" sim advance "$W" 1d
  case $day in
    30) sim_edit '.rtc_valid = false'  # the battery died: the RTC holds nothing
        expect_code 0 rt systohc        # set from the (right) system clock: a reset record
        expect_contains "reset" "$L" ;;
    45) sim_edit '.rtc_value_at_anchor_ns += 3600000000000' ;;  # another OS: RTC +1 h
  esac
  # boot: apply (refused on the day of the hour jump: more than an hour off is
  # not drift; the system clock then keeps its own time)
  code=0; rt apply >"$T/apply.out" 2>&1 || code=$?
  if [ "$day" = 45 ]; then
    [ "$code" = 0 ] || [ "$code" = 4 ] || fail "day 45 apply: exit $code: $(cat "$T/apply.out")"
  else
    [ "$code" = 0 ] || fail "day $day apply: exit $code: $(cat "$T/apply.out")"
  fi
  err=$(sim rtc_error_s)
  if [ $fits -gt 0 ] && [ "$day" != 45 ]; then
    worst=$(awk -v a="$err" -v w="$worst" 'BEGIN { a = a < 0 ? -a : a; print (a > w ? a : w) }')
    near "$err" 0 1.0 "day $day: the RTC's error after apply"
  fi
  expect_code 0 "$RTCAL" sim advance "$W" 2h
  if [ $((day % 3)) = 0 ] || [ "$day" = 16 ] || [ "$day" = 45 ]; then
    sigma=0.2; [ $((day % 2)) = 0 ] && sigma=0.002
    found=$(awk -v e="$(sim system_error_s)" -v n="$(noise "$day" "$sigma")" 'BEGIN { printf "%.6f", e + n }')
    [ "$day" = 16 ] && found=$(awk -v f="$found" 'BEGIN { printf "%.6f", f - 60 }')  # typed a minute off
    expect_code 0 rt measure --system-error "$found" --sigma "$sigma"
  fi
  if [ "$day" = 45 ]; then  # the hour found: set the system clock right and the RTC from it
    sim_edit '.system_error_ns = 0'
    expect_code 0 rt systohc
  fi
  if [ $((day % 10)) = 0 ] && [ "$day" -ge 10 ]; then
    expect_code 0 rt drift --write
    fits=$((fits + 1))
    echo "day $day: factor $(awk 'NR==1 { print $1 }' "$A") s/day (truth $TRUE_FACTOR), RTC error $err s"
  fi
done
expect_code 0 rt --json drift
cp "$T/out" "$T/fit.json"
factor=$(json_get factor "$T/fit.json")
echo "final: factor $factor s/day, ci95 $(jq -c .ci95_s_per_day "$T/fit.json"), n $(json_get n "$T/fit.json")," \
  "segments $(json_get segments "$T/fit.json"), outliers $(jq -c .outliers "$T/fit.json")," \
  "hour jumps $(jq -c .hour_jumps "$T/fit.json"); worst RTC error at boot after the first fit: $worst s"
near "$factor" $TRUE_FACTOR 0.02 "the final factor"
near "$(awk 'NR==1 { print $1 }' "$A")" $TRUE_FACTOR 0.02 "the factor in adjtime"
[ "$(json_get segments "$T/fit.json")" = 2 ] || fail "segments: $(cat "$T/fit.json")"
[ "$(jq '.outliers | length' "$T/fit.json")" -ge 1 ] || fail "the minute-off reading was not flagged"

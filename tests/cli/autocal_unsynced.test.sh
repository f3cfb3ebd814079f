#!/usr/bin/env bash
# The automatic calibration loop when no NTP daemon synchronises the kernel
# (the lab.autocal case, on the simulated RTC): shutdown logs the time only
# and leaves the RTC alone, so the stretch since the last adjustment spans
# several boots. RTC gains 10 ppm on, 60 ppm off; four boots with on-times of
# 12 h, 2 d, 4 h, 1 d and 1-6 days off between them. drift --auto writes
# nothing before the two-rate fit exists (two boots: one mixed interval),
# then the off-rate; the fifth boot's apply corrects every on and off
# stretch since adjtime's last adjustment (the first boot's) with its rate:
# the RTC plus not_adjusted and the system clock within 10 ms of true time
# (the fit from 1 ms measurements, carried over 15.7 days; ~2 ms seen).
# (Before the fix apply took all of it as on-time: tens of seconds off.)
. "$(dirname "$0")/../lib.sh"
command -v jq >/dev/null || skip "jq is needed to read the JSON output"
export TZ=UTC RTCAL_SYSCONF_ROOT=$T/root
mkdir -p "$RTCAL_SYSCONF_ROOT"
W=$T/w.json A=$T/adjtime L=$T/log.jsonl
rt() { "$RTCAL" --rtc "sim:$W" --adjfile "$A" --log "$L" "$@"; }
sim() { "$RTCAL" sim show "$W" --json | jq -r ".$1"; }
T0=1793491200  # 2026-11-01 00:00:00 UTC: the RTC set right, adjtime's last adjustment

expect_code 0 "$RTCAL" sim init "$W" --at $T0 --rate-ppm 10 --off-rate-ppm 60
printf -- '0.000000 %s 0.000000\n%s\nUTC\n' $T0 $T0 >"$A"
on=(12h 2d 4h 1d)
off=(3d 1d 6d 2d)
for i in 0 1 2 3; do
  expect_code 0 rt apply
  expect_code 0 rt measure --boot --system-error "$(sim system_error_s)" --sigma 0.001
  [ "$i" = 0 ] || expect_code 0 rt drift --auto  # the first boot: one measurement, no rate (exit 1)
  if [ "$i" = 1 ]; then
    expect_contains "not written: the log holds boots and shutdowns, and the two-rate fit is not ready" "$T/out"
    [ "$(awk 'NR==1 { print $1 }' "$A")" = 0.000000 ] || fail "drift --auto wrote a factor from two boots"
  fi
  [ "$i" != 3 ] || expect_contains "written: the off-rate 5.18" "$T/out"
  expect_code 0 "$RTCAL" sim advance "$W" "${on[i]}"
  expect_code 0 rt shutdown
  expect_contains "not NTP-synchronised: the RTC is left alone" "$T/out"
  expect_code 0 "$RTCAL" sim power-off "$W" "${off[i]}"
done
near "$(awk 'NR==1 { print $1 }' "$A")" -5.183689 0.001 "the factor written (60 ppm off = 5.184 s/day)"

# 12 days off at 60 ppm + 3.67 days on at 10 ppm since the first boot: 65.37 s.
near "$(sim rtc_error_s)" 65.376 0.01 "the RTC's error at the fifth boot"
expect_code 0 rt -v apply
expect_contains "two-rate fit: 3.66" "$T/err"  # every on stretch since the first boot
expect_contains "12.000 off at 5.184" "$T/err"   # and every off one
na=$(awk 'NR==1 { print $3 }' "$A")
near "$(awk -v e="$(sim rtc_error_s)" -v n="$na" 'BEGIN { print e + n }')" 0 0.01 "the RTC plus not_adjusted after apply"
near "$(sim system_error_s)" 0 0.01 "the system clock after apply"
echo "ok: apply across unsynchronised boots"

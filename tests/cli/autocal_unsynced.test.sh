#!/usr/bin/env bash
# The automatic calibration loop when no NTP daemon synchronises the kernel
# (the lab.autocal case, on the simulated RTC): shutdown logs the time only
# and leaves the RTC alone. RTC gains 10 ppm on, 60 ppm off; four boots with
# on-times of 12 h, 2 d, 4 h, 1 d and 1-6 days off between them; the RTC was
# 7 s fast when adjtime says it was right (its last adjustment, T0).
#   - apply corrects by the best knowledge: the last boot's measured error
#     plus the drift since (src/measure/apply_basis.h), not "right at the
#     last adjustment". At the second boot no rate is known yet (factor 0, no
#     two-rate fit): apply corrects exactly the 7.000 s measured at the first
#     (before the fix: nothing, and the 7 s persisted into every later boot);
#   - drift --auto writes nothing before the two-rate fit exists (two boots:
#     one mixed interval), then the off-rate;
#   - the fifth boot's apply carries the fourth boot's measurement over 1 day
#     on and 2 off at the fitted rates: the system clock within 2 ms of true
#     time (the shutdown's time is the unsynchronised system clock's, 31 s
#     off, which moves that much time between on and off: up to 1.6 ms at
#     these rates; 1.1 ms seen), the RTC plus not_adjusted too. The build
#     before this fix fails at the second boot (correction 0, not -7);
#   - a sixth boot after one without measure --boot: the fit's rates from
#     adjtime's anchor (the fifth boot's adjustment), within 3 ms.
. "$(dirname "$0")/../lib.sh"
command -v jq >/dev/null || skip "jq is needed to read the JSON output"
export TZ=UTC RTCAL_SYSCONF_ROOT=$T/root
mkdir -p "$RTCAL_SYSCONF_ROOT"
W=$T/w.json A=$T/adjtime L=$T/log.jsonl
rt() { "$RTCAL" --rtc "sim:$W" --adjfile "$A" --log "$L" "$@"; }
sim() { "$RTCAL" sim show "$W" --json | jq -r ".$1"; }
T0=1793491200  # 2026-11-01 00:00:00 UTC: the RTC set right, adjtime's last adjustment

expect_code 0 "$RTCAL" sim init "$W" --at $T0 --rate-ppm 10 --off-rate-ppm 60 --offset 7
printf -- '0.000000 %s 0.000000\n%s\nUTC\n' $T0 $T0 >"$A"
on=(12h 2d 4h 1d)
off=(3d 1d 6d 2d)
for i in 0 1 2 3; do
  expect_code 0 rt -v --json apply
  if [ "$i" = 1 ]; then  # the first boot's 7.000 s, measured; no rate yet
    near "$(json_get drift_s)" -7 0.001 "apply's correction at the second boot"
    [ "$(json_get drift_basis)" = "measurement + adjtime factor" ] || fail "drift_basis: $(cat "$T/out")"
    expect_contains "two-rate fit not used: too few intervals" "$T/err"
  fi
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

# Since the fourth boot's apply: 1 day on at 10 ppm + 2 days off at 60 ppm.
expect_code 0 rt -v --json apply
[ "$(json_get drift_basis)" = "measurement + two-rate fit" ] || fail "drift_basis: $(cat "$T/out")"
expect_contains "two-rate fit: 1.000 days on at 0.864" "$T/err"  # from the fourth boot's measurement
expect_contains "2.000 off at 5.184" "$T/err"
na=$(awk 'NR==1 { print $3 }' "$A")
near "$(awk -v e="$(sim rtc_error_s)" -v n="$na" 'BEGIN { print e + n }')" 0 0.002 "the RTC plus not_adjusted after apply"
near "$(sim system_error_s)" 0 0.002 "the system clock after apply"
fifth=$(sim system_error_s)

# A boot without measure --boot (no network): at the sixth boot the last
# measurement (the fourth boot's) is older than the fifth boot's adjustment,
# so the fit's rates run from adjtime's anchor instead (8 h on, 1 day off).
expect_code 0 "$RTCAL" sim advance "$W" 8h
expect_code 0 rt shutdown
expect_code 0 "$RTCAL" sim power-off "$W" 1d
expect_code 0 rt -v --json apply
[ "$(json_get drift_basis)" = "two-rate fit" ] || fail "drift_basis at the sixth boot: $(cat "$T/out")"
expect_contains "two-rate fit: 0.333 days on at 0.864" "$T/err"
expect_contains " off at 5.184" "$T/err"  # 1.001: the fifth boot counts at its RTC reading (no measure --boot), 42 s fast
expect_contains "since the last adjustment" "$T/err"
near "$(sim system_error_s)" 0 0.003 "the system clock after the sixth boot's apply"
echo "ok: apply across unsynchronised boots, from the last measurement (system clock $fifth s at the fifth boot, $(sim system_error_s) s at the sixth)"

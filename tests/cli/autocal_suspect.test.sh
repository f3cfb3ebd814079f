#!/usr/bin/env bash
# apply does not correct with a two-rate fit that drift --auto calls suspect
# (its intervals scatter more than twice what their sigmas and a crystal's
# typical wander allow): it falls back to adjtime's factor and says why
# (-v, and --json two_rate_not_used). The
# simulated RTC gains 10 ppm on, 60 ppm off; four unsynchronised boots whose
# measure --boot readings are off by +3, -1, +2.5, -2 s while claiming
# 1 ms (a bad reference), far beyond a crystal's typical wander (0.5 ppm:
# 0.04 s a day), so the fit exists but is suspect. adjtime
# holds a factor of -8.64 s/day (100 ppm) put there by hand. The fifth boot's
# apply must correct by the last measurement plus 100 ppm over the 3 days
# since (25.92 s), not by the fit's rates (10 ppm on 1 day, 60 off 2 days:
# 11.23 s), to the millisecond.
. "$(dirname "$0")/../lib.sh"
sim_world
T0=1793491200  # 2026-11-01 00:00:00 UTC

expect_code 0 "$RTCAL" sim init "$W" --at $T0 --rate-ppm 10 --off-rate-ppm 60
printf -- '0.000000 %s 0.000000\n%s\nUTC\n' $T0 $T0 >"$A"
on=(12h 2d 4h 1d)
off=(3d 1d 6d 2d)
noise=(3 -1 2.5 -2)
for i in 0 1 2 3; do
  expect_code 0 rt apply
  e=$(awk -v s="$(sim system_error_s)" -v n="${noise[i]}" 'BEGIN { printf "%.6f", s + n }')
  expect_code 0 rt measure --boot --system-error "$e" --sigma 0.001
  expect_code 0 "$RTCAL" sim advance "$W" "${on[i]}"
  expect_code 0 rt shutdown
  expect_code 0 "$RTCAL" sim power-off "$W" "${off[i]}"
done

# The fit exists and drift --auto calls it suspect.
expect_code 0 rt --json drift
[ "$(json_get rate_off_s_per_day)" != null ] || fail "no two-rate fit: $(cat "$T/out")"
scatter=$(json_get two_rate_typical_scatter_scale)
awk -v s="$scatter" 'BEGIN { exit !(s > 4) }' || fail "the fit is not suspect (scatter $scatter)"
expect_code 0 rt drift --auto
expect_contains "factor not written: the on/off intervals scatter" "$T/out"

# adjtime's factor by hand: the RTC gains 100 ppm (8.64 s/day per true day).
factor=$(awk 'BEGIN { r = 8.64; printf "%.6f", -r / (1 + r / 86400) }')
sed -i "1s/^[^ ]*/$factor/" "$A"
last=$(grep '"source":"boot"' "$L" | tail -n 1)  # no step after it (unsynchronised shutdown)
expect_code 0 rt -v --json apply
expect_contains "two-rate fit not used: the on/off intervals scatter" "$T/err"
expect_contains "(suspect); adjtime's factor instead" "$T/err"
expect_contains " off at 8.6400 s/day since the measurement on line" "$T/err"
case "$(json_get two_rate_not_used)" in *"(suspect)"*) ;; *) fail "two_rate_not_used: $(cat "$T/out")" ;; esac
[ "$(json_get drift_basis)" = "measurement + adjtime factor" ] || fail "drift_basis: $(cat "$T/out")"
[ "$(json_get drift_ci95_s)" = null ] || fail "a fit's interval for adjtime's factor: $(cat "$T/out")"
# The RTC's error E at this boot's edge (the RTC read R there: the boot record
# just logged) is the last measurement's a at its time t plus 8.64 s/day over
# the true days since: E = a + 8.64 (R - E - t) / 86400.
R=$(grep '"type":"boot"' "$L" | tail -n 1 | jq -r .time)
want=$(awk -v a="$(echo "$last" | jq -r .rtc_error)" -v t="$(echo "$last" | jq -r .time)" -v R="$R" \
  'BEGIN { r = 8.64 / 86400; printf "%.6f", -(a + r * (R - t)) / (1 + r) }')
near "$(json_get drift_s)" "$want" 0.001 "apply's correction: the last measurement plus adjtime's factor since"
echo "ok: a suspect two-rate fit is not used (scatter $scatter)"

#!/usr/bin/env bash
# A set whose tries ran out before one landed within 1 ms (a busy host: here
# a sim whose sets land 5 ms late, `sim init --set-latency`): systohc times
# the first edge of its last write, so the RTC's error is known exactly; it is
# kept in adjtime's not_adjusted (true minus RTC, as for an AMD RTC's kept
# phase) and in the logged step (asserted by the AMD lab and apply tests), so show, hctosys and apply are right to the
# millisecond afterwards. A set that lands on time leaves not_adjusted 0, as
# hwclock does.
. "$(dirname "$0")/../lib.sh"
sim_world
T0=1795427168
new_world() { rm -f "$W" "$L" "$A"; expect_code 0 "$RTCAL" sim init "$W" --at $T0 --edge-latency 0 "$@"; }

# --- 5 ms late on every try -------------------------------------------------
new_world --set-latency 0.005 --offset 3.25
expect_code 0 rt systohc
expect_contains "ms from the target (+ = ahead)" "$T/err"
near "$(sim rtc_error_s)" -0.005 0.0002 "the RTC after the late set"
na=$(awk 'NR == 1 { print $3 }' "$A")
near "$na" 0.005 0.0002 "adjtime's not_adjusted (true minus RTC) after the late set"
expect_contains "the step logged includes it" "$T/err"
expect_code 0 rt --json show
near "$(jq -r '.corrected_time - .system_time' "$T/out")" 0 0.001 "show's corrected time minus the system clock after the late set"
expect_code 0 rt hctosys
near "$(sim system_error_s)" 0 0.001 "the system clock after hctosys"
echo "ok: a late set's residual kept"

# --- on time: not_adjusted stays 0 (hwclock's bytes) ------------------------
new_world --offset 3.25
expect_code 0 rt systohc
[ "$(awk 'NR == 1 { print $3 }' "$A")" = 0.000000 ] || fail "on-time set: adjtime $(head -1 "$A")"
near "$(sim rtc_error_s)" 0 0.001 "the RTC after an on-time set"
echo "ok: an on-time set leaves not_adjusted 0"

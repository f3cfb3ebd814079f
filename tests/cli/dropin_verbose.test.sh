#!/usr/bin/env bash
# Drop-in -v on the sim: hwclock 2.38.1's verbose steps, in its order and
# wording (the header names rtcal; the device is the sim world), for -r,
# --get, -w, --set, --adjust and --predict; and the warning for a write that
# landed more than 1 ms from its target (a sim whose sets land late:
# `sim init --set-latency`): said by `rtcal systohc`, silent in drop-in mode
# without -v (OpenRC takes stderr output for a failure), said with -v.
# The same lines against the real hwclock: tests/compat/dropin_table.test.sh.
. "$(dirname "$0")/../lib.sh"

W=$T/w.json A=$T/adjtime L=$T/log.jsonl
ln -s "$RTCAL" "$T/hwclock"
export RTCAL_RTC="sim:$W" RTCAL_ADJFILE=$A RTCAL_LOG=$L TZ=UTC
new_world() { expect_code 0 "$RTCAL" sim init "$W" --force --at 1795427168 --edge-latency 0 "$@"; }
# The lines of $T/out with every number masked: "#", decimals (with their sign) "#.#".
shape() { sed -E -e 's/-?[0-9]+\.[0-9]+/#.#/g' -e 's/[0-9]+/#/g' "$T/out"; }
expect_shape() {  # expect_shape WHAT LINE...: stdout's masked lines are exactly LINE...
  local what=$1; shift
  printf '%s\n' "$@" >"$T/want"
  shape >"$T/got"
  diff -u "$T/want" "$T/got" >"$T/diff" || { cat "$T/diff"; fail "$what: hwclock -v's lines differ"; }
}
ADJ_LINES=("Last drift adjustment done at # seconds after #" "Last calibration done at # seconds after #"
           "Hardware clock is on UTC time" "Assuming hardware clock is kept in UTC time.")
OPEN_LINES=("Trying to open: sim:$(echo "$W" | sed -E 's/[0-9]+/#/g')" "Using the rtc interface to the clock.")
READ_LINES=("Waiting for clock tick..." "...got clock tick" "Time read from Hardware Clock: #/#/# #:#:#"
            "Hw clock time : #/#/# #:#:# = # seconds since #")
DRIFT_LINES=("Time since last adjustment is # seconds" "Calculated Hardware Clock drift is #.# seconds")

# --- -r -v: header, system time, device, adjtime, read, drift, the time -----
new_world --offset -10
printf -- '-86.400000 1795340768 0.000000\n1795340768\nUTC\n' >"$A"
expect_code 0 "$T/hwclock" -r -v
expect_shape "-r -v" "hwclock from rtcal #.#.#" "System Time: #.#" "${OPEN_LINES[@]}" "${ADJ_LINES[@]}" \
  "${READ_LINES[@]}" "${DRIFT_LINES[@]}" "#-#-# #:#:#.#+#:#"
# The RTC (10 s slow) is read at its next edge, 09:45:59; the drift there is
# 86391 s x -86.4 s/day = -86.391 s, which hwclock prints as -87 + 0.608999
# (floor, then the fraction truncated to microseconds in doubles).
expect_contains "Time read from Hardware Clock: 2026/11/23 09:45:59" "$T/out"
expect_contains "Hw clock time : 2026/11/23 09:45:59 = 1795427159 seconds since 1969" "$T/out"
expect_contains "Time since last adjustment is 86391 seconds" "$T/out"
expect_contains "Calculated Hardware Clock drift is -87.608999 seconds" "$T/out"
expect_contains "System Time: 1795427168." "$T/out"
expect_code 0 "$T/hwclock" -r          # without -v: the time alone
[ "$(wc -l <"$T/out")" = 1 ] || fail "hwclock -r without -v printed more than the time: $(cat "$T/out")"
echo "ok: -r -v"

# --- --predict -v: no device, the drift at the date, target and prediction ---
expect_code 0 "$T/hwclock" --predict --date '2026-11-24 00:00:00' -v
expect_shape "--predict -v" "hwclock from rtcal #.#.#" "System Time: #.#" "${ADJ_LINES[@]}" "${DRIFT_LINES[@]}" \
  "Target date:   #" "Predicted RTC: #" "#-#-# #:#:#.#+#:#"
expect_contains "Target date:   1795478400" "$T/out"
# 137632 s after the adjustment at -86.4 s/day: the RTC is 137.632 s ahead of the date then.
expect_contains "Time since last adjustment is 137632 seconds" "$T/out"
grep -qx "Predicted RTC: 1795478537" "$T/out" || fail "predicted RTC: $(grep Predicted "$T/out")"
echo "ok: --predict -v"

# --- -w -v: the set, and why the factor is kept -----------------------------
new_world --offset -10
printf -- '0.000000 1795340768 0.000000\n1795340768\nUTC\n' >"$A"
expect_code 0 "$T/hwclock" -w -v   # hwclock 2.38 reads the RTC first only with --update-drift
expect_shape "-w -v" "hwclock from rtcal #.#.#" "System Time: #.#" "${OPEN_LINES[@]}" "${ADJ_LINES[@]}" \
  "RTC type: 'sim'" "Using delay: #.# seconds" "#.# is close enough to #.# (#.# < #.#)" \
  "Set RTC to # (# + #; refsystime = #.#)" "Setting Hardware Clock to #:#:# = # seconds since #" \
  "ioctl(RTC_SET_TIME) was successful." \
  "Not adjusting drift factor because the --update-drift option was not used." \
  "New $(echo "$A" | sed -E 's/[0-9]+/#/g') data:" "#.# # #.#" "#" "UTC"
expect_contains "Using delay: 0.500000 seconds" "$T/out"   # the sim's MC146818-like first tick, as rtc_cmos
# systohc's reference is the system time's whole second at the start, and the
# value written is that second plus the whole seconds passed (N = S + d).
grep -Eq '^Set RTC to ([0-9]+) \(([0-9]+) \+ [01]; refsystime = [0-9]+\.000000\)$' "$T/out" ||
  fail "-w -v: the 'Set RTC to' line: $(grep 'Set RTC' "$T/out")"
set_line=$(grep '^Set RTC to' "$T/out")
n=$(echo "$set_line" | sed -E 's/^Set RTC to ([0-9]+) \(([0-9]+) \+ ([01]);.*/\1 \2 \3/')
read -r n_s s_s d_s <<<"$n"
[ "$n_s" = $((s_s + d_s)) ] || fail "-w -v: $set_line: N is not S + d"
grep -q "^Setting Hardware Clock to .* = $n_s seconds since 1969$" "$T/out" || fail "-w -v: Set RTC to $n_s but $(grep 'Setting Hardware' "$T/out")"
expect_code 0 "$T/hwclock" -w -v --delay 0.5   # hwclock names the RTC type only when it gives the delay
grep -q "RTC type" "$T/out" && fail "-w -v --delay: $(grep 'RTC type' "$T/out")"
expect_code 0 "$T/hwclock" -w -v --test   # nothing written: no ioctl line
expect_contains "Setting Hardware Clock to" "$T/out"
grep -q "ioctl(RTC_SET_TIME)" "$T/out" && fail "-w -v --test: $(grep ioctl "$T/out")"
printf -- '0.000000 1795340768 0.000000\n1795340768\nUTC\n' >"$A"
expect_code 0 "$T/hwclock" -w --update-drift -v   # the last calibration was a day ago: the factor moves
expect_contains "Waiting for clock tick..." "$T/out"   # --update-drift reads the RTC at its tick first
expect_contains "in spite of a drift factor of 0.000000 seconds/day." "$T/out"   # hwclock's adjust_drift_factor lines
grep -Eq '^Clock drifted -?[0-9]+\.[0-9]{6} seconds in the past [0-9]+\.[0-9]{6} seconds$' "$T/out" ||
  fail "-w --update-drift -v: no 'Clock drifted' line: $(cat "$T/out")"
grep -Eq '^Adjusting drift factor by -?[0-9]+\.[0-9]{6} seconds/day$' "$T/out" ||
  fail "-w --update-drift -v: no 'Adjusting drift factor' line: $(cat "$T/out")"
grep -q "Not adjusting" "$T/out" && fail "-w --update-drift -v: $(grep 'Not adjusting' "$T/out")"
expect_code 0 "$T/hwclock" -w --update-drift -v   # seconds after the last: too soon
expect_contains "Not adjusting drift factor because it has been less than four hours since the last calibration." "$T/out"
# An RTC 3000 s slow after a day: a factor beyond hwclock's limit is reset, in its words.
new_world --offset -3000
printf -- '0.000000 1795340768 0.000000\n1795340768\nUTC\n' >"$A"
expect_code 0 "$T/hwclock" -w --update-drift -v
grep -Eq '^Clock drift factor was calculated as 3[0-9]{3}\.[0-9]{6} seconds/day\.$' "$T/out" ||
  fail "-w --update-drift -v, factor too large: $(cat "$T/out")"
expect_contains "It is far too much. Resetting to zero." "$T/out"
[ "$(awk 'NR == 1 { print $1 }' "$A")" = 0.000000 ] || fail "factor too large: adjtime $(head -1 "$A")"
echo "ok: -w -v"

# --- a write that lands late: the 'missed' warning ---------------------------
missed="the RTC's first edge after the write came"
new_world --set-latency 0.005
expect_code 0 "$RTCAL" sim show "$W" --json
expect_code 0 "$RTCAL" --rtc "sim:$W" --adjfile "$A" --log "$L" systohc
expect_contains "rtcal: warning: $missed -5.000 ms from the target (+ = ahead)" "$T/err"  # landed 5 ms late: behind
expect_contains "ms from the target (+ = ahead)" "$T/err"
new_world --set-latency 0.005
expect_code 0 "$T/hwclock" -w
grep -qF "$missed" "$T/err" && fail "hwclock -w without -v warned: $(cat "$T/err")"
[ ! -s "$T/err" ] || fail "hwclock -w without -v wrote on stderr: $(cat "$T/err")"
new_world --set-latency 0.005
expect_code 0 "$T/hwclock" -w -v
expect_contains "$missed -5.000 ms" "$T/err"
new_world   # no latency: no warning
expect_code 0 "$RTCAL" --rtc "sim:$W" --adjfile "$A" --log "$L" systohc
grep -qF "$missed" "$T/err" && fail "a set landing on time warned: $(cat "$T/err")"
expect_code 2 "$RTCAL" sim init "$W" --force --set-latency 0.2
expect_contains "--set-latency" "$T/err"
echo "ok: missed target"

# --- a wake-up too late for the moment: hwclock's "missed it" lines ----------
# Every sleep of the sim wakes 8 ms late (sim init --sleep-latency): the
# moment to write is missed by more than the 1 ms a try allows and put off to
# the next second, until the last try the budget allows takes it. hwclock -v
# prints a "missed it" line for each such moment (set_hardware_clock_exact),
# its tolerance 1 ms and doubled with each miss, then "close enough" within
# a tolerance that admits the write.
new_world --sleep-latency 0.008
printf -- '0.000000 1795340768 0.000000\n1795340768\nUTC\n' >"$A"
expect_code 0 "$T/hwclock" -w -v
sed -n '/^Using delay/,/^Set RTC/p' "$T/out" | sed -E -e 's/-?[0-9]+\.[0-9]+/#.#/g' >"$T/got"
grep -qx "missed it - #.# is too far past #.# (#.# > #.#)" "$T/got" || fail "-w -v, late wake-ups: no 'missed it' line: $(cat "$T/out")"
sed -n '2p' "$T/got" | grep -q '^missed it - ' || fail "-w -v: 'missed it' must follow 'Using delay': $(cat "$T/out")"
grep -Eq '^missed it - [0-9]+\.[0-9]{6} is too far past [0-9]+\.[0-9]{6} \(0\.0[0-9]{5} > 0\.001000\)$' "$T/out" ||
  fail "-w -v: the first miss is judged against 1 ms: $(grep 'missed it' "$T/out")"
misses=$(grep -c '^missed it - ' "$T/out")
close=$(grep ' is close enough to ' "$T/out")
echo "$close" | awk -v m="$misses" '{ gsub(/[()]/, ""); d = $(NF - 2); tol = $NF
  exit !(d < tol && tol >= 0.001 * 2 ^ m - 1e-9) }' || fail "-w -v: after $misses misses: $close"
# Each miss is a real moment: the woken time minus the aimed one is the miss.
grep '^missed it - ' "$T/out" | awk '{ gsub(/[()]/, ""); w = $4; a = $9; d = $10
  if (w - a - d > 1e-5 || a - w + d > 1e-5 || d <= 0.001) exit 1 }' || fail "-w -v: misses: $(grep 'missed it' "$T/out")"
new_world --sleep-latency 0.008   # rtcal's own -v says it too
expect_code 0 "$RTCAL" --rtc "sim:$W" --adjfile "$A" --log "$L" -v systohc
expect_contains "to write (the last " "$T/err"
expect_contains "late): put off to the next second" "$T/err"
expect_code 2 "$RTCAL" sim init "$W" --force --sleep-latency 0.5
expect_contains "--sleep-latency" "$T/err"
echo "ok: missed it"

# --- -s -v and --systz -v: hwclock's settimeofday lines, after the read -------
new_world --offset 0
printf -- '0.000000 1795340768 0.000000\n1795340768\nUTC\n' >"$A"
expect_code 0 "$T/hwclock" -s -v
expect_shape "-s -v" "hwclock from rtcal #.#.#" "System Time: #.#" "${OPEN_LINES[@]}" "${ADJ_LINES[@]}" \
  "${READ_LINES[@]}" "${DRIFT_LINES[@]}" "Calling settimeofday(NULL, #) to lock the warp_clock function." \
  "Calling settimeofday(#.#, NULL) to set the System time."
expect_code 0 env TZ=Europe/Berlin "$T/hwclock" --systz -v   # UTC+1 there: the zone's own call too
expect_contains "Calling settimeofday(NULL, 0) to lock the warp_clock function." "$T/out"
expect_contains "Calling settimeofday(NULL, -60) to set the kernel timezone." "$T/out"
grep -q "to set the System time" "$T/out" && fail "--systz -v must not set the System time: $(cat "$T/out")"
echo "ok: -s -v, --systz -v"

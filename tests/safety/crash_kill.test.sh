#!/usr/bin/env bash
# Crash safety: SIGKILL rtcal at random moments while it writes adjtime, the
# sim file and the measurement log (factor --write, measure, systohc, adjust,
# set on the simulated RTC), 200 times; each file must be exactly the old or
# the new version, the log must lose no record and keep no half record, and
# no lock may block the next run (see crash_kill.py). RTCAL_CRASH_ROUNDS and
# RTCAL_CRASH_SEED override the count and the seed.
. "$(dirname "$0")/../lib.sh"
command -v python3 >/dev/null || skip "python3 runs the kill loop"

D=$T/state
mkdir -p "$D"
expect_code 0 "$RTCAL" sim init "$D/sim.json" --at 1795427168 --offset 30 --rate-ppm 200
printf '%s\n' '-9.600000 1795000000 0.000000' 1795000000 UTC >"$D/adjtime"
printf '%s\n' '{"type":"measurement","time":1795000000,"rtc_error":0.5,"sigma":0.1,"source":"typed"}' >"$D/log.jsonl"
python3 "$(dirname "$0")/crash_kill.py" "$RTCAL" "$D" "${RTCAL_CRASH_ROUNDS:-200}" "${RTCAL_CRASH_SEED:-$RANDOM}"

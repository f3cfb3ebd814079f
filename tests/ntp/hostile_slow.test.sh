#!/usr/bin/env bash
# A reply slower than the per-try timeout is a timeout; with a longer timeout it is good.
. "$(dirname "$0")/hostile_lib.sh"
start_hostile slow --slow 0.6
expect_code 1 "$RTCAL" ntp --samples 2 --timeout 0.3 "127.0.0.1:$HPORT"
expect_contains "rtcal: NTP server 127.0.0.1:$HPORT: no reply from 127.0.0.1:$HPORT within 0.300 s in 2 tries" "$T/err"
# A fresh server (the old one is still busy with the late requests).
kill "$HPID"; wait "$HPID" 2>/dev/null || true
start_hostile slow --slow 0.6
expect_code 0 "$RTCAL" --json ntp --samples 1 --timeout 3 "127.0.0.1:$HPORT"
off=$(json_offset)
# The server sleeps 0.6 s between T2 and T3, which neither θ nor δ counts
# (T3 - T2 is taken out): the offset is right to within half the round trip
# (a loaded host delays one direction more than the other), and the round
# trip is far below the 0.6 s the server slept.
delay=$(json_delay)
expect_close "$delay" 0 0.1
expect_close "$off" 0.25 "$("$PY" -c 'import sys; print(float(sys.argv[1]) / 2 + 0.001)' "$delay")"

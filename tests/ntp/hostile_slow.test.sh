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
# The server sleeps between T2 and T3, which θ does not count (T3 - T2 is taken out).
expect_close "$off" 0.25 0.002

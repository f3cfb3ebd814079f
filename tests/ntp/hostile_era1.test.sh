#!/usr/bin/env bash
# A server whose clock is in NTP era 1 (2036-03-01, after the 2036-02-07 rollover)
# is read right: the offset is the 10-odd years it is ahead, to the millisecond.
. "$(dirname "$0")/hostile_lib.sh"
start_hostile era1 --offsetfile "$T/offset"
expect_code 0 "$RTCAL" --json ntp --samples 2 "127.0.0.1:$HPORT"
expect_close "$(json_offset)" "$(cat "$T/offset")" 0.001
expect_contains '"server_time": "2036-03-01 00:00:0' "$T/out"
expect_code 0 "$RTCAL" ntp --samples 1 "127.0.0.1:$HPORT"
expect_contains "s slow; add +" "$T/out"

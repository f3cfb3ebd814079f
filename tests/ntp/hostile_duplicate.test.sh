#!/usr/bin/env bash
# A duplicated reply: the first copy is used, the second is named and ignored (RFC 5905 TEST1).
. "$(dirname "$0")/hostile_lib.sh"
start_hostile duplicate
expect_code 0 "$RTCAL" --json ntp --samples 2 --timeout 0.5 "127.0.0.1:$HPORT"
expect_contains "rtcal: warning: NTP server 127.0.0.1:$HPORT: reply ignored: RFC 5905 §8 TEST1 (duplicate)" "$T/err"
expect_close "$(json_offset)" 0.25 0.001

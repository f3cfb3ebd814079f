#!/usr/bin/env bash
# No reply: a timeout naming the server, within the per-try timeout.
. "$(dirname "$0")/hostile_lib.sh"
SECONDS=0
expect_rejected silent "no reply from 127.0.0.1:"
expect_contains "within 0.300 s in 2 tries" "$T/err"
[ "$SECONDS" -le 3 ] || fail "took $SECONDS s for two 0.3 s tries"

#!/usr/bin/env bash
# rtcal ntp's command line: usage errors exit 2; with several servers the first
# good one wins and the others' failures are named; --all asks and compares all.
. "$(dirname "$0")/hostile_lib.sh"

expect_code 2 "$RTCAL" ntp
expect_code 2 "$RTCAL" ntp --samples 17 127.0.0.1
expect_contains "rtcal: --samples: must be 1-16, got 17 (give a number from 1 to 16)" "$T/err"
expect_code 2 "$RTCAL" ntp --samples 0 127.0.0.1
expect_code 2 "$RTCAL" ntp --timeout 0 127.0.0.1
expect_code 2 "$RTCAL" ntp 127.0.0.1:notaport
expect_contains "rtcal: server '127.0.0.1:notaport': port 'notaport' is not 1-65535" "$T/err"
expect_code 2 "$RTCAL" ntp '[::1'

start_hostile silent; silent=$HPORT
start_hostile good --offset 1.5; good=$HPORT
start_hostile kod_deny; deny=$HPORT

# First good one wins; the silent one before it is named.
expect_code 0 "$RTCAL" --json ntp --samples 2 --timeout 0.2 "127.0.0.1:$silent" "127.0.0.1:$good" "127.0.0.1:$deny"
expect_contains "rtcal: warning: NTP server 127.0.0.1:$silent: no reply" "$T/err"
expect_close "$(json_offset)" 1.5 0.001
grep -q "$deny" "$T/err" && fail "the server after the winner was asked"

# --all: every server, failures included, and the spread of the good ones.
start_hostile good --offset 1.502; good2=$HPORT
expect_code 0 "$RTCAL" ntp --all --samples 2 --timeout 0.2 "127.0.0.1:$good" "127.0.0.1:$deny" "127.0.0.1:$good2"
expect_contains "kiss code 'DENY'" "$T/err"
expect_contains "spread       0.00" "$T/out"
[ "$(grep -c '^offset' "$T/out")" = 2 ] || fail "expected two offsets"
expect_code 0 "$RTCAL" --json ntp --all --samples 1 "127.0.0.1:$good" "127.0.0.1:$deny"
"$PY" - "$T/out" <<'PY' || fail "--all --json"
import json, sys
j = json.load(open(sys.argv[1]))["servers"]
assert len(j) == 2 and abs(j[0]["offset"] - 1.5) < 0.001 and "DENY" in j[1]["error"]
PY

# Nothing listening: ICMP port unreachable is reported at once, not after a timeout.
kill "$HPID"; wait "$HPID" 2>/dev/null || true
SECONDS=0
expect_code 1 "$RTCAL" ntp --timeout 5 "127.0.0.1:$good2"
expect_contains "nothing answers on 127.0.0.1:$good2 (ICMP port unreachable)" "$T/err"
[ "$SECONDS" -lt 3 ] || fail "port unreachable took $SECONDS s"

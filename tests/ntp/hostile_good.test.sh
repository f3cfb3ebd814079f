#!/usr/bin/env bash
# An exact sub-second offset (+0.25 s, -0.75 s) over IPv4 and IPv6, text and JSON.
. "$(dirname "$0")/hostile_lib.sh"
start_hostile good --offset 0.25
expect_code 0 "$RTCAL" --json ntp "127.0.0.1:$HPORT"
expect_close "$(json_offset)" 0.25 0.001
"$PY" - "$T/out" <<'PY' || fail "JSON keys"
import json, sys
j = json.load(open(sys.argv[1]))
for key in ["offset", "delay", "error_bound", "stratum", "server", "samples", "refid", "leap", "server_time"]:
    assert key in j, key
assert len(j["samples"]) == 4 and j["stratum"] == 2 and j["refid"] == "192.0.2.1"
assert min(s["delay"] for s in j["samples"]) == j["delay"]
assert 0 <= j["delay"] < 0.01 and j["error_bound"] >= j["delay"] / 2
PY
kill "$HPID"; wait "$HPID" 2>/dev/null || true
start_hostile good --offset -0.75 --family 6
expect_code 0 "$RTCAL" ntp "[::1]:$HPORT"
expect_contains "your system clock is 0.7" "$T/out"
expect_contains " s fast; add -0.7" "$T/out"
expect_contains "server       [::1]:$HPORT ([::1]:$HPORT)" "$T/out"

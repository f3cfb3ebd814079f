#!/usr/bin/env bash
# rtcal ntp against a real chronyd whose clock is faked +123.456 s ahead, over
# IPv4 and IPv6: the offset agrees with the fake to 1 ms and with chronyd's own
# client (chronyd -x -Q; its "System clock wrong by" is + when we are slow, the
# same sign as ours) to 1 ms.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/chronyd_lib.sh"
command -v "$PY" >/dev/null

KNOWN=123.456
start_chronyd "$KNOWN"
for host in 127.0.0.1 ::1; do
  spec="$host:$CPORT"
  [ "$host" = ::1 ] && spec="[::1]:$CPORT"
  expect_code 0 "$RTCAL" --json ntp "$spec"
  ours=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["offset"])' "$T/out")
  theirs=$(chronyd_q_offset "$host")
  [ -n "$theirs" ] || fail "chronyd -Q printed no offset for $host"
  echo "$host: rtcal $ours, chronyd -Q $theirs, known $KNOWN"
  "$PY" - "$ours" "$theirs" "$KNOWN" <<'PY' || fail "offsets disagree for $host"
import sys
ours, theirs, known = map(float, sys.argv[1:])
assert abs(ours - known) <= 0.001, ("vs known", ours - known)
assert abs(ours - theirs) <= 0.001, ("vs chronyd -Q", ours - theirs)
PY
  expect_contains '"stratum": 1' "$T/out"
done

# The text form says which way to correct.
expect_code 0 "$RTCAL" ntp --samples 2 "127.0.0.1:$CPORT"
expect_contains "your system clock is 123.45" "$T/out"
expect_contains "s slow; add +123.45" "$T/out"
expect_contains "stratum      1" "$T/out"
stop_chronyd

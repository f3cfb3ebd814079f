# A real chronyd on loopback with a known, faked clock offset (LAB.md), for
# tests/ntp/chronyd.test.sh and tests/bench/ntp_bench.sh. Source after lib.sh.
#   start_chronyd OFFSET [PORT]  start chronyd -x -d under libfaketime FAKETIME=+OFFSET on
#                                127.0.0.1 and ::1, port PORT (default: a free one); sets
#                                $CPORT, $CPID; waits until it answers (bounded)
#   stop_chronyd                 stop it by its own PID (also done at exit)
#   chronyd_q_offset HOST        chronyd -x -Q's "System clock wrong by" figure (s, + = slow)
# chronyd never runs without -x here: it must not touch this machine's clock.

command -v chronyd >/dev/null || skip "chronyd is not installed (apt-get install chrony)"
FAKETIME_LIB=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -n1 || true)
[ -n "$FAKETIME_LIB" ] || skip "libfaketime is not installed (apt-get install faketime)"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3) || skip "python3 is not installed"

CPID=
stop_chronyd() {
  if [ -n "$CPID" ]; then kill "$CPID" 2>/dev/null || true; wait "$CPID" 2>/dev/null || true; fi
  CPID=
}
trap 'stop_chronyd; rm -rf "$T"' EXIT

# A UDP port free on both 127.0.0.1 and ::1 right now.
free_port() {
  "$PY" - <<'PY'
import socket
for _ in range(50):
    a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); a.bind(("127.0.0.1", 0))
    port = a.getsockname()[1]
    try:
        b = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); b.bind(("::1", port)); b.close()
    except OSError:
        a.close(); continue
    a.close(); print(port); break
PY
}

start_chronyd() {
  local offset=$1
  CPORT=${2:-$(free_port)}
  local dir="$T/chronyd"
  mkdir -p "$dir"
  cat >"$dir/chrony.conf" <<CONF
local stratum 1
allow 127.0.0.1
allow ::1
bindaddress 127.0.0.1
bindaddress ::1
port $CPORT
cmdport 0
bindcmdaddress /
pidfile $dir/chronyd.pid
driftfile $dir/drift
CONF
  local user=(-u root)
  [ "$(id -u)" = 0 ] || user=(-U)
  env LD_PRELOAD="$FAKETIME_LIB" FAKETIME="+$offset" \
    timeout 600 chronyd -x -d "${user[@]}" -f "$dir/chrony.conf" >"$dir/log" 2>&1 &
  CPID=$!
  for _ in $(seq 50); do
    if "$RTCAL" ntp --samples 1 --timeout 0.1 "127.0.0.1:$CPORT" >/dev/null 2>&1; then return 0; fi
    kill -0 "$CPID" 2>/dev/null || { cat "$dir/log"; fail "chronyd exited"; }
    sleep 0.1
  done
  cat "$dir/log"
  fail "chronyd on port $CPORT did not answer within 5 s"
}

chronyd_q_offset() {
  local out
  out=$(timeout 20 chronyd -x -Q -t 3 -f /dev/null "server $1 port $CPORT iburst maxsamples 1" 2>&1) || true
  echo "$out" | sed -n 's/.*System clock wrong by \([-+0-9.]*\) seconds.*/\1/p' | head -n1
}

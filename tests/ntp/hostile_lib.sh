# Helpers for the hostile-server tests (tests/ntp/hostile_*.test.sh). Source it
# after nothing else: it sources tests/lib.sh.
#   start_hostile MODE [ARGS...]   start tests/ntp/hostile_server.py in MODE; sets $HPORT, $HPID
#   expect_rejected MODE TEXT [RTCAL ARGS...]
#       start MODE, run `rtcal ntp` against it, and require exit 1, the server
#       named, TEXT (the failed rule) on stderr, no measurement on stdout and
#       the adjtime file given with --adjfile untouched.
. "$(dirname "$0")/../lib.sh"
# Debian's python3 first: a pyenv shim costs most of a second per start.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3) || skip "python3 is not installed"

# Every server started, stopped by its own PID when the test ends.
HPIDS=()
stop_servers() {
  local pid
  for pid in "${HPIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
}
trap 'stop_servers; rm -rf "$T"' EXIT

start_hostile() {
  local mode=$1; shift
  rm -f "$T/port"
  timeout 60 "$PY" "$RTCAL_SOURCE_DIR/tests/ntp/hostile_server.py" --mode "$mode" \
    --portfile "$T/port" --lifetime 30 "$@" &
  HPID=$!
  HPIDS+=("$HPID")
  for _ in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.05; done
  [ -s "$T/port" ] || fail "hostile server ($mode) did not start"
  HPORT=$(cat "$T/port")
}

expect_rejected() {
  local mode=$1 text=$2; shift 2
  start_hostile "$mode"
  printf '0.000000 1795427168 0.000000\n1795427168\nUTC\n' >"$T/adjtime"
  cp "$T/adjtime" "$T/adjtime.before"
  expect_code 1 "$RTCAL" --adjfile "$T/adjtime" ntp --samples 2 --timeout 0.3 "$@" "127.0.0.1:$HPORT"
  expect_contains "rtcal: NTP server 127.0.0.1:$HPORT: " "$T/err"
  expect_contains "$text" "$T/err"
  [ ! -s "$T/out" ] || { cat "$T/out"; fail "printed a measurement for a bad server"; }
  cmp -s "$T/adjtime" "$T/adjtime.before" || fail "the adjtime file changed"
  echo "ok: $mode -> $(tail -n1 "$T/err")"
}

# The offset (s) rtcal printed with --json in $T/out.
json_offset() { "$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["offset"])' "$T/out"; }

# The round-trip delay (s) rtcal printed with --json in $T/out.
json_delay() { "$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["delay"])' "$T/out"; }

# Fail unless |$1 - $2| <= $3 (seconds).
expect_close() {
  "$PY" -c 'import sys; a,b,t=map(float,sys.argv[1:]); sys.exit(0 if abs(a-b)<=t else 1)' "$1" "$2" "$3" \
    || fail "expected $1 within $3 of $2"
}

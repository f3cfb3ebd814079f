#!/usr/bin/env bash
# The body of disk.test.sh, inside its private mount namespace.
set -euo pipefail
T=${T:?}
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_code() {
  local want=$1; shift
  local got=0
  "$@" >"$T/out" 2>"$T/err" || got=$?
  if [ "$got" != "$want" ]; then cat "$T/out" "$T/err"; fail "expected exit $want, got $got: $*"; fi
}
expect_contains() { grep -qF -- "$1" "$2" || { cat "$2"; fail "expected '$1' in $2"; }; }
same() { cmp -s "$1" "$2" || { diff "$1" "$2" || true; fail "$1 changed"; }; }

sim=$T/sim.json
expect_code 0 "$RTCAL" sim init "$sim" --at 1795427168 --offset 30 --rate-ppm 200
adj_text='-9.600000 1795000000 0.000000
1795000000
UTC'
log_line='{"type":"measurement","time":1795000000,"rtc_error":0.5,"sigma":0.1,"source":"typed"}'

# --- a full disk: a 64 KiB tmpfs, filled up after the files are in place ---
full=$T/full
mkdir -p "$full"
mount -t tmpfs -o size=64k tmpfs "$full"
printf '%s\n' "$adj_text" >"$full/adjtime"
# The log fills its 4 KiB page to within a few bytes, so the next record
# needs a new page (tmpfs allocates whole pages).
python3 -c '
import sys
line = sys.argv[1] + "\n"
text = line * (4096 // len(line))
pad = 4096 - 8 - len(text)
print(text + "{\"type\":\"reset\",\"time\":1795000000,\"reason\":\"" + "x" * (pad - 46) + "\"}", end="\n")
' "$log_line" >"$full/log.jsonl"
cp "$full/adjtime" "$T/adjtime.before"; cp "$full/log.jsonl" "$T/log.before"
dd if=/dev/zero of="$full/filler" bs=4k 2>/dev/null || true
r() { "$RTCAL" --rtc "sim:$sim" --adjfile "$1/adjtime" --log "$1/log.jsonl" "${@:2}"; }

# refused_writes DIR WHAT FACTOR_MESSAGE MEASURE_MESSAGE: factor --write and
# measure fail on DIR, and adjtime and the log stay as they were.
refused_writes() {
  expect_code 1 r "$1" factor --error 5 --days 10 --write
  expect_contains "$3" "$T/err"
  same "$1/adjtime" "$T/adjtime.before"
  echo "ok: $2, factor --write: $(head -n1 "$T/err")"
  expect_code 1 r "$1" measure --system-error 0.01
  expect_contains "$4" "$T/err"
  same "$1/log.jsonl" "$T/log.before"
  echo "ok: $2, measure: $(head -n1 "$T/err")"
}
# refused_sets DIR WHAT MESSAGE: a set finds the bad disk before it touches
# the RTC (issue 12 item 6): systohc, set and adjust fail with MESSAGE, the
# files and the simulated RTC and system clock stay as they were.
sim_state() { "$RTCAL" sim show "$sim" --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.2f %.2f" % (d["rtc_error_s"], d["system_error_s"]))'; }
refused_sets() {
  local cmd before_state
  cp "$sim" "$T/sim.before"
  before_state=$(sim_state)
  for cmd in systohc "set --date 2030-01-01" adjust; do
    # shellcheck disable=SC2086
    expect_code 1 r "$1" $cmd
    expect_contains "$3" "$T/err"
    expect_contains "rtcal: nothing was changed: not the RTC, the system clock or any file" "$T/err"
    same "$1/adjtime" "$T/adjtime.before"
    same "$1/log.jsonl" "$T/log.before"
    # systohc and set find it before they read the RTC; adjust reads it first
    # (to know whether anything is due), which only lets simulated time pass.
    [ "$cmd" = adjust ] || same "$sim" "$T/sim.before"
    [ "$(sim_state)" = "$before_state" ] || fail "$cmd on $2 changed the simulated clocks"
    echo "ok: $2, $cmd: nothing changed: $(head -n1 "$T/err")"
  done
}

refused_writes "$full" "full disk" "rtcal: $full/adjtime: cannot write the new contents: No space left on device" \
  "No space left on device"
refused_sets "$full" "full disk (adjtime)" \
  "rtcal: $full/adjtime: cannot write the new contents: No space left on device (free some space on that filesystem)"
# The log's filesystem full, adjtime's not: found before the RTC is set too.
mkdir -p "$T/etc"; cp "$T/adjtime.before" "$T/etc/adjtime"; cp "$sim" "$T/sim.before"
expect_code 1 "$RTCAL" --rtc "sim:$sim" --adjfile "$T/etc/adjtime" --log "$full/log.jsonl" systohc
expect_contains "rtcal: $full/log.jsonl: cannot reserve room to append: No space left on device" "$T/err"
expect_contains "rtcal: nothing was changed" "$T/err"
same "$T/etc/adjtime" "$T/adjtime.before"
same "$sim" "$T/sim.before"
echo "ok: full disk (log), systohc: nothing changed: $(head -n1 "$T/err")"
[ -z "$(ls -A "$full" | grep -v -e '^adjtime$' -e '^log.jsonl$' -e '^filler$')" ] || { ls -la "$full"; fail "temp or lock files left on the full disk"; }

# --- a read-only /etc: a read-only bind mount of a directory with the files ---
ro=$T/ro
mkdir -p "$ro"
printf '%s\n' "$adj_text" >"$ro/adjtime"
printf '%s\n' "$log_line" >"$ro/log.jsonl"
cp "$ro/adjtime" "$T/adjtime.before"; cp "$ro/log.jsonl" "$T/log.before"
mount --bind "$ro" "$ro"
mount -o remount,bind,ro "$ro"
touch "$ro/probe" 2>/dev/null && fail "the bind mount is not read-only"

refused_writes "$ro" "read-only" "Read-only file system" "Read-only file system"
refused_sets "$ro" "read-only /etc" \
  "rtcal: $ro/adjtime: cannot create a temporary file in $ro: Read-only file system (remount the filesystem read-write, or choose another file with --adjfile)"
# Drop-in mode: hwclock -w on a read-only /etc (util-linux would set the RTC
# and then fail on adjtime): exit 1, nothing changed.
ln -sf "$RTCAL" "$T/hwclock"
cp "$sim" "$T/sim.before"
code=0
RTCAL_RTC="sim:$sim" RTCAL_ADJFILE="$ro/adjtime" RTCAL_LOG="$ro/log.jsonl" "$T/hwclock" -w >"$T/out" 2>"$T/err" || code=$?
[ "$code" = 1 ] || fail "hwclock -w on a read-only /etc: exit $code"
expect_contains "Read-only file system" "$T/err"
same "$sim" "$T/sim.before"
echo "ok: read-only, hwclock -w: nothing changed"
# apply at boot on a read-only /etc with a correction due: the RTC is left
# alone (the correction could not be recorded), the system clock is set
# from the RTC and the drift all the same, exit 0.
"$RTCAL" sim init "$sim" --force --at 1795427168 --offset 30 --system-error -100 >/dev/null
cp "$sim" "$T/sim.before"
expect_code 0 r "$ro" apply
expect_contains "rtcal: warning: $ro/adjtime: cannot create a temporary file in $ro: Read-only file system" "$T/err"
expect_contains "the RTC is not adjusted, the system clock is set from it and the drift" "$T/err"
same "$ro/adjtime" "$T/adjtime.before"
"$RTCAL" sim show "$sim" --json >"$T/state.json"
python3 - "$T/state.json" <<'PY' || fail "apply on a read-only /etc: the RTC was changed or the system clock not set"
import json, sys
d = json.load(open(sys.argv[1]))
# factor -9.6 s/day since 1795000000, evaluated at the RTC's reading
drift = (d["rtc_reading_unix_s"] - 1795000000) * -9.6 / 86400
want = d["rtc_error_s"] + drift          # system clock = RTC + drift
assert abs(d["rtc_error_s"] - 30) < 1e-6, d
assert abs(d["system_error_s"] - want) < 0.002, (d, want)
PY
echo "ok: read-only, apply: system clock set, RTC and files unchanged"

# Reading still works on a read-only /etc.
expect_code 0 r "$ro" status
echo "ok: read-only, status reads"

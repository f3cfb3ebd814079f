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

expect_code 1 r "$full" factor --error 5 --days 10 --write
expect_contains "rtcal: $full/adjtime: cannot write the new contents: No space left on device" "$T/err"
same "$full/adjtime" "$T/adjtime.before"
echo "ok: full disk, factor --write: $(head -n1 "$T/err")"

expect_code 1 r "$full" measure --system-error 0.01
expect_contains "No space left on device" "$T/err"
same "$full/log.jsonl" "$T/log.before"
echo "ok: full disk, measure: $(head -n1 "$T/err")"

cp "$sim" "$T/sim.before"
expect_code 1 r "$full" systohc
expect_contains "No space left on device" "$T/err"
expect_contains "rtcal: the RTC was set; $full/adjtime was not updated; the step was not logged in $full/log.jsonl" "$T/err"
same "$full/adjtime" "$T/adjtime.before"
same "$full/log.jsonl" "$T/log.before"
cmp -s "$sim" "$T/sim.before" && fail "systohc on a full /etc did not set the (simulated) RTC"
echo "ok: full disk, systohc: $(tail -n1 "$T/err")"
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

expect_code 1 r "$ro" factor --error 5 --days 10 --write
expect_contains "Read-only file system" "$T/err"
same "$ro/adjtime" "$T/adjtime.before"
echo "ok: read-only, factor --write: $(head -n1 "$T/err")"

expect_code 1 r "$ro" measure --system-error 0.01
expect_contains "Read-only file system" "$T/err"
same "$ro/log.jsonl" "$T/log.before"
echo "ok: read-only, measure: $(head -n1 "$T/err")"

expect_code 1 r "$ro" systohc
expect_contains "rtcal: the RTC was set; $ro/adjtime was not updated; the step was not logged in $ro/log.jsonl" "$T/err"
same "$ro/adjtime" "$T/adjtime.before"
echo "ok: read-only, systohc: $(tr '\n' ' ' <"$T/err")"

# Reading still works on a read-only /etc.
expect_code 0 r "$ro" status
echo "ok: read-only, status reads"

# Shared helpers for the script tests (tests/*/*.test.sh). Source it:
#   . "$(dirname "$0")/../lib.sh"
# Provides: $RTCAL (the binary), $T (a scratch directory removed at exit),
# fail MSG, skip MSG, expect_code CODE CMD..., expect_contains TEXT FILE.
set -euo pipefail

: "${RTCAL:?RTCAL must name the rtcal binary (ctest sets it)}"
export RTCAL_FORBID_REAL_CLOCK=1
# English messages for every test, whatever the caller's language (tests/i18n
# choose theirs per command); the catalogs are the build tree's.
unset LANGUAGE LANG LC_MESSAGES LC_CTYPE LC_NUMERIC LC_TIME LC_COLLATE LC_MONETARY
export LC_ALL=C.UTF-8
if [ -n "${RTCAL_BUILD_DIR:-}" ]; then export RTCAL_LOCALEDIR="$RTCAL_BUILD_DIR/locale"; fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# Exit 77 (ctest: skipped), or fail when every test must run (CI).
skip() {
  if [ "${RTCAL_REQUIRE_ALL:-0}" = 1 ]; then fail "cannot run: $* (RTCAL_REQUIRE_ALL=1)"; fi
  echo "SKIP: $*" >&2
  exit 77
}

# expect_code CODE CMD...: run CMD, stdout to $T/out, stderr to $T/err; fail unless it exits CODE.
expect_code() {
  local want=$1; shift
  local got=0
  "$@" >"$T/out" 2>"$T/err" || got=$?
  if [ "$got" != "$want" ]; then
    echo "--- stdout"; cat "$T/out"; echo "--- stderr"; cat "$T/err"
    fail "expected exit $want, got $got: $*"
  fi
}

# expect_contains TEXT FILE: fail unless FILE contains TEXT (fixed string).
expect_contains() {
  grep -qF -- "$1" "$2" || { echo "--- $2"; cat "$2"; fail "expected '$1' in $2"; }
}

# json_get KEY [FILE]: one value of a JSON object (default $T/out), via jq.
json_get() { jq -r --arg k "$1" '.[$k]' "${2:-$T/out}"; }

# near GOT WANT TOLERANCE WHAT: fail unless |GOT - WANT| <= TOLERANCE.
near() {
  awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }' \
    || fail "$4: got $1, expected $2 (± $3)"
}

# sim_world [TZ]: the files of a simulated world in $T: W the sim (RTC and
# system clock), A adjtime, L the measurement log; TZ (default UTC) and an
# empty RTCAL_SYSCONF_ROOT (no chrony or timesyncd configuration seen);
# skips without jq. Then `rt ARGS` runs rtcal on them and `sim KEY` reads a
# value of the sim's state.
sim_world() {
  command -v jq >/dev/null || skip "jq is needed to read the JSON output"
  export TZ=${1:-UTC} RTCAL_SYSCONF_ROOT=$T/root
  mkdir -p "$RTCAL_SYSCONF_ROOT"
  W=$T/w.json A=$T/adjtime L=$T/log.jsonl
}
rt() { "$RTCAL" --rtc "sim:$W" --adjfile "$A" --log "$L" "$@"; }
sim() { "$RTCAL" sim show "$W" --json 2>/dev/null | jq -r ".$1"; }

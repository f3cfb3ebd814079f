#!/usr/bin/env bash
# zsh completion, driven as a user would: an interactive zsh on a
# pseudo-terminal (zsh/zpty, tests/install/completion_zsh.zsh) with the
# generated _rtcal in fpath; we type a line and TAB and read what zsh lists
# or inserts. The script the build installs is the one `rtcal completion zsh`
# prints now.
. "$(dirname "$0")/../lib.sh"

command -v zsh >/dev/null || skip "zsh is not installed"
built="$RTCAL_BUILD_DIR/generated/completions/_rtcal"
[ -f "$built" ] || fail "the build did not generate $built"
mkdir -p "$T/fpath"
"$RTCAL" completion zsh >"$T/fpath/_rtcal"
cmp -s "$built" "$T/fpath/_rtcal" || fail "$built is stale: it differs from 'rtcal completion zsh'"
zsh -n "$T/fpath/_rtcal" || fail "the zsh completion script has a syntax error"
: >"$T/world.json"

cat >"$T/lines" <<LINES
rtcal 
rtcal sim 
rtcal sim init --clock 
rtcal predict --da
rtcal status --
rtcal --rtc 
rtcal --rtc sim:$T/wor
rtcal ntp --dead
LINES
timeout 60 zsh -f "$RTCAL_SOURCE_DIR/tests/install/completion_zsh.zsh" "$T/fpath" <"$T/lines" >"$T/screen" \
  || { cat "$T/screen"; fail "the zsh driver failed"; }
# shown LINE: what zsh showed after LINE and TAB.
shown() { awk -v h="=== $1" '$0 == h {on=1; next} /^=== /{on=0} on' "$T/screen"; }
n=0
# expect_shown LINE TEXT...: each TEXT appears in what zsh showed for LINE.
expect_shown() {
  local line=$1; shift
  for text in "$@"; do
    shown "$line" | grep -qF -- "$text" || { shown "$line"; fail "zsh, '$line' TAB: expected '$text'"; }
  done
  n=$((n + 1))
}

cmds=$("$RTCAL" --help | awk '/^Subcommands:/{on=1; next} on && /^  [a-z]/{print $1} on && /^$/{on=0}')
# shellcheck disable=SC2086
expect_shown "rtcal " $cmds "Explain the adjtime file"
expect_shown "rtcal sim " init advance show "Let time pass"
expect_shown "rtcal sim init --clock " virtual real
expect_shown "rtcal predict --da" "rtcal predict --date"
expect_shown "rtcal status --" --adjfile --json --rtc --dry-run "The adjtime file"
expect_shown "rtcal --rtc " "rtcal --rtc sim:"
expect_shown "rtcal --rtc sim:$T/wor" "rtcal --rtc sim:$T/world.json"
expect_shown "rtcal ntp --dead" "--deadline"
echo "zsh completion: $n cases passed"

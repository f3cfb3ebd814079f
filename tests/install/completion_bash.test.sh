#!/usr/bin/env bash
# bash completion, driven as bash drives it: the generated script is sourced
# into a non-interactive bash, COMP_LINE/COMP_POINT/COMP_WORDS/COMP_CWORD are
# set as readline would set them, _rtcal is called and COMPREPLY checked.
# The script the build installs is the one `rtcal completion bash` prints now,
# and it offers every command and option that --help lists.
. "$(dirname "$0")/../lib.sh"

built="$RTCAL_BUILD_DIR/generated/completions/rtcal"
[ -f "$built" ] || fail "the build did not generate $built"
"$RTCAL" completion bash >"$T/rtcal.bash"
cmp -s "$built" "$T/rtcal.bash" || fail "$built is stale: it differs from 'rtcal completion bash'"
bash -n "$T/rtcal.bash" || fail "the bash completion script has a syntax error"

# A fake /dev with two RTCs, and files for the file-name cases.
mkdir -p "$T/dev" "$T/files/sub"
: >"$T/dev/rtc0"; : >"$T/dev/rtc1"; : >"$T/files/adjtime"; : >"$T/files/world.json"

# complete_lines < LINES: for each line, "=== LINE" and then COMPREPLY (sorted,
# one a line) for the cursor at the line's end; one bash for all lines.
complete_lines() {
  bash -c '
    . "$1"
    devdir=$2; _rtcal_devices() { compgen -G "$devdir/rtc*"; }
    [[ $COMP_WORDBREAKS == *:* && $COMP_WORDBREAKS == *=* ]] || { echo "COMP_WORDBREAKS lacks : or =" >&2; exit 1; }
    while IFS= read -r line; do
      COMP_LINE=$line; COMP_POINT=${#line}
      read -ra COMP_WORDS <<<"$line"; [[ $line == *" " ]] && COMP_WORDS+=("")
      COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
      COMPREPLY=()
      _rtcal
      echo "=== $line"
      printf "%s\n" "${COMPREPLY[@]}" | sed "/^\$/d" | sort
    done' _ "$T/rtcal.bash" "$T/dev"
}
cases=() wants=()
# expect LINE WORD...: the completions of LINE are exactly WORD... (in any order).
expect() {
  cases+=("$1"); shift
  wants+=("$(printf '%s\n' "$@" | sed '/^$/d' | sort)")
}
# check: complete every expected line at once and compare.
check() {
  printf '%s\n' "${cases[@]}" | complete_lines >"$T/replies" || fail "the completion function failed"
  local i got
  for i in "${!cases[@]}"; do
    got=$(awk -v h="=== ${cases[i]}" '$0 == h {on=1; next} /^=== /{on=0} on' "$T/replies")
    [ "$got" = "${wants[i]}" ] || fail "completing '${cases[i]}': got [$(echo $got)], expected [$(echo ${wants[i]})]"
  done
}

cmds=$("$RTCAL" --help | awk '/^Subcommands:/{on=1; next} on && /^  [a-z]/{print $1} on && /^$/{on=0}')
# shellcheck disable=SC2086
expect "rtcal " $cmds
expect "rtcal sy" systohc systz
expect "rtcal pre" predict
expect "rtcal sim " init advance power-off sync show
expect "rtcal --json sim a" advance
expect "rtcal --rtc $T/dev/rtc0 sta" status
expect "rtcal --rtc " "$T/dev/rtc0" "$T/dev/rtc1" "sim:"
expect "rtcal -f $T/dev/rtc1 show --rtc $T/dev/rtc" "$T/dev/rtc0" "$T/dev/rtc1"
expect "rtcal --rtc sim:$T/files/wo" "$T/files/world.json"   # bash replaces only after the ':'
expect "rtcal --adjfile $T/files/adj" "$T/files/adjtime"
expect "rtcal --adjfile=$T/files/adj" "$T/files/adjtime"
expect "rtcal --log $T/files/s" "$T/files/sub"
expect "rtcal predict --date " ""
expect "rtcal sim init --clock " virtual real
expect "rtcal sim init --clock=r" real
expect "rtcal sim init $T/files/wo" "$T/files/world.json"
expect "rtcal sim advance $T/files/world.json " ""
expect "rtcal ntp --samples 4 " ""
expect "rtcal sim init --for" --force
expect "rtcal set --from-ntp a.example --no" --noadjfile --no-system
expect "rtcal predict --d" --date --directisa --dry-run

# Every option of every command's --help is offered after `rtcal CMD --`.
for c in $cmds; do
  # shellcheck disable=SC2046
  expect "rtcal $c --" $( ("$RTCAL" "$c" --help; "$RTCAL" --help | sed '/^Subcommands:/,$d') \
    | sed -n 's/^  \(-[^ ]*\).*/\1/p' | tr ',' '\n' | grep '^--' | sort -u)
done
check
echo "bash completion: ${#cases[@]} cases passed"

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

# complete LINE: print COMPREPLY (sorted, one a line) for the cursor at LINE's end.
complete_line() {
  bash -c '
    . "$1"
    devdir=$2; _rtcal_devices() { compgen -G "$devdir/rtc*"; }
    COMP_LINE=$3; COMP_POINT=${#3}
    [[ $COMP_WORDBREAKS == *:* && $COMP_WORDBREAKS == *=* ]] || { echo "COMP_WORDBREAKS lacks : or =" >&2; exit 1; }
    read -ra COMP_WORDS <<<"$3"; [[ $3 == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    _rtcal
    printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$T/rtcal.bash" "$T/dev" "$1"
}
n=0
# expect LINE WORD...: the completions of LINE are exactly WORD... (in any order).
expect() {
  local line=$1; shift
  local got want
  got=$(complete_line "$line")
  want=$(printf '%s\n' "$@" | sed '/^$/d' | sort)
  [ "$got" = "$want" ] || fail "completing '$line': got [$(echo $got)], expected [$(echo $want)]"
  n=$((n + 1))
}

cmds=$("$RTCAL" --help | awk '/^Subcommands:/{on=1; next} on && /^  [a-z]/{print $1} on && /^$/{on=0}')
# shellcheck disable=SC2086
expect "rtcal " $cmds
expect "rtcal sy" systohc systz
expect "rtcal pre" predict
expect "rtcal sim " init advance show
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
  want=$("$RTCAL" "$c" --help | sed -n 's/^  \(-[^ ]*\).*/\1/p' | tr ',' '\n' | grep '^--' | sort -u)
  got=$(complete_line "rtcal $c --")
  missing=$(comm -23 <(echo "$want") <(echo "$got"))
  [ -z "$missing" ] || fail "completing 'rtcal $c --' lacks: $(echo $missing)"
  n=$((n + 1))
done
echo "bash completion: $n cases passed"

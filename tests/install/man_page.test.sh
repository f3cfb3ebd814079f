#!/usr/bin/env bash
# rtcal(8) renders without warnings and is in step with --help, both ways:
# every command that `rtcal --help` lists (and their subcommands) has a
# `.SS "rtcal CMD..."` entry, every option of `rtcal CMD --help` is named in
# that entry, every global option in GLOBAL OPTIONS; and the page names no
# command or option that --help lacks (hwclock's own options are allowed only
# under DROP-IN MODE). The exit codes match src/cli/exit_codes.h.
. "$(dirname "$0")/../lib.sh"

page="$RTCAL_SOURCE_DIR/man/rtcal.8"
[ -f "$page" ] || fail "no man page at $page"
command -v man >/dev/null || skip "man (man-db) is not installed"
command -v groff >/dev/null || skip "groff is not installed"

# --- renders cleanly ----------------------------------------------------------
warnings=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l "$page" 2>&1 >/dev/null)
[ -z "$warnings" ] || fail "man --warnings on rtcal.8:
$warnings"
warnings=$(groff -ww -z -man "$page" 2>&1)
[ -z "$warnings" ] || fail "groff -ww on rtcal.8:
$warnings"

# --- what --help says ------------------------------------------------------------
# subcommands CMD...: the subcommands listed by `rtcal CMD... --help`.
subcommands() {
  "$RTCAL" "$@" --help | awk '/^Subcommands:/{on=1; next} on && /^  [a-z]/{print $1} on && /^$/{on=0}'
}
# option_names CMD...: the names on the option lines ("  -f,--rtc DEV ...") of
# `rtcal CMD... --help`, one a line; not those in descriptions or examples.
option_names() {
  "$RTCAL" "$@" --help | sed -n 's/^  \(-[^ ]*\).*/\1/p' | tr ',' '\n' | sort -u
}
# long_options CMD...: the long options of `rtcal CMD... --help` (--help left out).
long_options() { option_names "$@" | grep -E '^--' | grep -vx -- '--help' || true; }
# The command paths: "status", ..., "sim", "sim init", ...
paths=()
for c in $(subcommands); do
  paths+=("$c")
  for s in $(subcommands "$c"); do paths+=("$c $s"); done
done
[ ${#paths[@]} -gt 5 ] || fail "too few commands in rtcal --help: ${paths[*]}"
# Global options: the root's options (-h, --help, --version, --adjfile, ...).
globals=$(option_names)

# --- what the page says ------------------------------------------------------------
# Plain text of the roff source: escapes for '-' undone, font changes dropped.
plain=$(sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\ / /g' "$page")
# section NAME: the lines of the page from `.SH NAME` to the next .SH.
section() { awk -v s=".SH $1" '$0 == s || $0 == ".SH \"" substr(s, 5) "\"" {on=1; next} on && /^\.SH/{on=0} on' <<<"$plain"; }
# entry PATH: the lines of `.SS "rtcal PATH..."` up to the next .SS or .SH.
entry() { awk -v p=".SS \"rtcal $1" 'index($0, p) == 1 && substr($0, length(p) + 1, 1) ~ /[" ]/ {on=1; next} on && /^\.S[SH]/{on=0} on' <<<"$plain"; }

missing=() all_long=()
for p in "${paths[@]}"; do
  text=$(entry "$p")
  if [ -z "$text" ]; then missing+=("command '$p' has no .SS \"rtcal $p\" entry"); continue; fi
  # shellcheck disable=SC2086
  opts=$(long_options $p)
  all_long+=($opts)
  for o in $opts; do
    [[ $text == *"$o"* ]] || missing+=("option $o of 'rtcal $p' is not in its entry")
  done
done
global_text=$(section "GLOBAL OPTIONS")
for o in $globals; do
  [[ $global_text =~ (^|[^a-z-])$o([^a-z-]|$) ]] || missing+=("global option $o is not in GLOBAL OPTIONS")
done

# Nothing that --help lacks: commands in .SS headings, long options anywhere but DROP-IN MODE.
declare -A known=()
for p in "${paths[@]}"; do known["$p"]=1; done
# A heading's command path: its first one or two lowercase words after "rtcal".
while read -r path; do
  [[ -n ${known["$path"]-} ]] || missing+=("rtcal(8) documents command '$path', which rtcal --help does not list")
done < <(sed -nE 's/^\.SS "rtcal ([a-z]+)( ([a-z]+))?([" ].*)?$/\1 \3/p' <<<"$plain" | sed 's/ $//')
declare -A known_option=()
for o in $globals "${all_long[@]}"; do known_option["$o"]=1; done
outside_dropin=$(awk '/^\.SH "?DROP-IN MODE/{on=1; next} on && /^\.SH/{on=0} !on' <<<"$plain")
for o in $(grep -oE -- '--[a-z][a-z0-9-]*' <<<"$outside_dropin" | sort -u); do
  [[ -n ${known_option["$o"]-} ]] || missing+=("rtcal(8) names option $o, which no --help lists")
done
known_options=$(printf '%s\n' "${!known_option[@]}")

# Exit status: ".TP / .B N / name: ..." entries against src/cli/exit_codes.h.
code_pairs=$(sed -n 's/^ *\([a-z_]*\) = \([0-9]\),.*/\2 \1/p' "$RTCAL_SOURCE_DIR/src/cli/exit_codes.h" | sort)
page_pairs=$(section "EXIT STATUS" | awk '/^\.B [0-9]+$/{n=$2; getline; sub(/:.*/, ""); print n, $0}' | sort)
[ "$code_pairs" = "$page_pairs" ] || missing+=("EXIT STATUS differs from src/cli/exit_codes.h: header [$code_pairs] page [$page_pairs]")

if ((${#missing[@]})); then
  printf 'rtcal(8) is out of step with --help:\n' >&2
  printf '  %s\n' "${missing[@]}" >&2
  fail "${#missing[@]} difference(s) between man/rtcal.8 and --help"
fi
echo "rtcal(8): renders without warnings; ${#paths[@]} commands, $(wc -w <<<"$known_options") options, exit codes in step with --help"

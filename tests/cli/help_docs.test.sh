#!/usr/bin/env bash
# Help and documentation stay complete and in step with the code:
# every subcommand's --help has examples, and the README's exit-status table
# lists exactly the codes of src/cli/exit_codes.h.
. "$(dirname "$0")/../lib.sh"

expect_code 0 "$RTCAL" --help
expect_contains "Examples:" "$T/out"
expect_contains "Exit status:" "$T/out"
# The subcommands, as the root help lists them.
cmds=$(awk '/^Subcommands:/{on=1; next} on && /^  [a-z]/{print $1} on && /^$/{on=0}' "$T/out")
[ -n "$cmds" ] || fail "no subcommands listed in rtcal --help"
n=0
for c in $cmds; do
  expect_code 0 "$RTCAL" "$c" --help
  expect_contains "Examples:" "$T/out"
  n=$((n + 1))
done
echo "help: $n subcommands, each with examples"

expect_code 0 "$RTCAL" --version
grep -Eq '^rtcal [0-9]+\.[0-9]+\.[0-9]+' "$T/out" || fail "--version: $(cat "$T/out")"

# Exit codes: "  name = N," in the header; "| N | name |" rows in the README.
code_pairs=$(sed -n 's/^ *\([a-z_]*\) = \([0-9]\),.*/\2 \1/p' "$RTCAL_SOURCE_DIR/src/cli/exit_codes.h" | sort)
readme_pairs=$(sed -n 's/^| *\([0-9]\) *| *`\([a-z_]*\)` *|.*/\1 \2/p' "$RTCAL_SOURCE_DIR/README.md" | sort)
[ -n "$code_pairs" ] || fail "no exit codes found in src/cli/exit_codes.h"
[ "$code_pairs" = "$readme_pairs" ] || fail "README exit-status table differs from src/cli/exit_codes.h:
header:
$code_pairs
README:
$readme_pairs"
echo "2 passed, 0 failed"

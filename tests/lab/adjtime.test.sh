#!/usr/bin/env bash
# Lab: systohc, hctosys, set --date and adjust with adjtime history on the
# real rtc_cmos, UTC and LOCAL across a DST change, side by side with
# util-linux hwclock; --dry-run/--test change nothing (see scenarios/adjtime.sh).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lab-lib.sh"
lab_boot "$(lab_scenario adjtime.sh)"

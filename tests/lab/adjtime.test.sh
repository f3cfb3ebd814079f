#!/usr/bin/env bash
# Lab: systohc, hctosys, set --date and adjust with adjtime history on the
# real rtc_cmos, UTC and LOCAL across a DST change, side by side with
# util-linux hwclock; --dry-run/--test change nothing (see scenarios/adjtime.sh).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lab-lib.sh"
# A long scenario: ~100 s of guest time on a busy 2-core host (lab.sh kills a boot after 120 s by default).
export LAB_BOOT_TIMEOUT_S=${LAB_BOOT_TIMEOUT_S:-420}
lab_boot "$(lab_scenario adjtime.sh)"

#!/usr/bin/env bash
# Lab: rtcal's commands (show, set, systohc, hctosys, adjust) over
# --directisa with the CMOS in BCD/binary and 24 h/12 h modes, checked against
# QEMU's raw registers; a dead battery through every command over /dev/rtc0
# and --directisa: clear errors, exit 1, nothing changed; systohc and set
# repair it (see scenarios/isa.sh).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lab-lib.sh"
# A long scenario: ~100 s of guest time on a busy 2-core host (lab.sh kills a boot after 120 s by default).
export LAB_BOOT_TIMEOUT_S=${LAB_BOOT_TIMEOUT_S:-420}
lab_boot "$(lab_scenario isa.sh)"

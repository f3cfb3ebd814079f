#!/usr/bin/env bash
# Lab: rtcal as /sbin/hwclock and /sbin/clock: hwclock's and clock(8)'s
# command lines with their exit codes and effects; Debian's hwclock.sh and
# udev's hwclock-set run unchanged; OpenRC's hwclock service's command lines
# replayed (see scenarios/compat.sh).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lab-lib.sh"
# A long scenario: ~100 s of guest time on a busy 2-core host (lab.sh kills a boot after 120 s by default).
export LAB_BOOT_TIMEOUT_S=${LAB_BOOT_TIMEOUT_S:-420}
lab_boot "$(lab_scenario compat.sh)"

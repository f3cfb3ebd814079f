#!/usr/bin/env bash
# Lab: util-linux hwclock reads what rtcal's drivers wrote and the other way
# round, through /dev/rtc0 and through direct CMOS I/O (see
# scenarios/hwclock.sh).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lab-lib.sh"
lab_boot "$(lab_scenario hwclock.sh)"

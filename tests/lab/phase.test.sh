#!/usr/bin/env bash
# Lab: systohc, show and hctosys over /dev/rtc0 from three phases of the RTC's
# edge, on the lab's CPU model (LAB_CPU: Nehalem by default; lab.amd.phase runs
# it on EPYC, where rtc_cmos keeps the RTC's sub-second phase on a set and
# rtcal must measure and record the residual); --directisa on both (see
# scenarios/phase.sh).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lab-lib.sh"
export LAB_BOOT_TIMEOUT_S=${LAB_BOOT_TIMEOUT_S:-300}
lab_boot "$(lab_scenario phase.sh)"

#!/usr/bin/env bash
# Lab: setting the RTC through /dev/rtc0 and through direct CMOS I/O lines its
# seconds edges up with the guest's system clock, as an independent probe
# sees it; a deliberately misaligned write is seen as +500 ms (see
# scenarios/set_sync.sh).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lab-lib.sh"
lab_boot "$(lab_scenario set_sync.sh)"

#!/usr/bin/env bash
# Lab: under kernel lockdown (the guest booted with lockdown=integrity) the
# CMOS driver's port I/O is refused even to root; rtcal names lockdown as the
# cause and /dev/rtc as the fix, and /dev/rtc0 still works (see
# scenarios/lockdown.sh). Backs the failure catalogue's lockdown row.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lab-lib.sh"
LAB_KERNEL_ARGS="lockdown=integrity" lab_boot "$(lab_scenario lockdown.sh)"

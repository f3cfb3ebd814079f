#!/usr/bin/env bash
# Lab: `rtcal trim` on a real kernel RTC with a trim register (the lab's own
# module, tests/lab/module/rtcal_lab_rtc.c): features, --set, --from-fit and
# the residual rate, write on change, the sign check, hwclock --param-get
# (see scenarios/trim.sh). Skips when the lab kernel's headers are missing.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lab-lib.sh"
export LAB_BOOT_TIMEOUT_S=${LAB_BOOT_TIMEOUT_S:-400}
bash "$RTCAL_SOURCE_DIR/tests/lab/lab.sh" prepare || { [ $? = 77 ] && skip "the QEMU lab cannot run here"; fail "lab prepare"; }
[ -s "${RTCAL_BUILD_DIR}/lab/module/rtcal_lab_rtc.ko" ] || skip "no lab trim RTC module (the lab kernel's linux-headers are missing)"
lab_boot "$(lab_scenario trim.sh)"

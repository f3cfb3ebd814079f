#!/bin/busybox sh
# /init of the QEMU lab guest (tests/lab/lab.sh builds the initramfs): mount
# the kernel's file systems, run /lab/scenario.sh in a subshell, report
# "LAB-DONE" on the serial console, power off.
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
. /lab/env
. /lab/guest-lib.sh
echo "LAB-BEGIN scenario=$LAB_SCENARIO base=$LAB_BASE kernel=$(uname -r) uptime_s=$(cut -d' ' -f1 /proc/uptime)"
if [ -n "${LAB_SET_RTC:-}" ]; then  # a date QEMU's -rtc base cannot take (lab.sh)
  lab_info "setting the RTC to $LAB_SET_RTC in the guest: $(rtcal_lab_tool set cmos "$LAB_SET_RTC")"
  date -u -s "$LAB_SET_RTC" >/dev/null
fi
( . /lab/scenario.sh ) || lab_result scenario fail "the scenario exited with status $?"
echo "LAB-DONE uptime_s=$(cut -d' ' -f1 /proc/uptime)"
poweroff -f

// The Linux RTC character device (/dev/rtc0, /dev/rtc, /dev/misc/rtc) as an
// RtcDevice: RTC_RD_TIME, RTC_SET_TIME, and the seconds edge from update
// interrupts (RTC_UIE_ON), with a polling fallback where those are missing.
//
// Opens are exclusive in the kernel: while another program (typically
// chronyd with `rtcfile`) holds the device, open fails with EBUSY. We retry
// for about a second, as busybox does, then name the likely holder.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "rtc/rtc_device.h"

namespace rtcal {

struct DevRtcOptions {
  // Wait for edges with update interrupts; false polls RTC_RD_TIME instead.
  bool use_update_interrupts = true;
  // Where the driver name is looked up (tests point it elsewhere).
  std::string sysfs_class_dir = "/sys/class/rtc";
};

// The names tried, in order, when no device is given (as util-linux does).
const std::vector<std::string>& dev_rtc_probe_order();

// Open `path`, or with an empty path the first device of the probe order that
// exists. A missing RTC, a permission problem or a busy device is an Error
// that says what to do.
Result<std::unique_ptr<RtcDevice>> open_dev_rtc(const std::string& path, DevRtcOptions options = {});

// The kernel driver behind a device node ("rtc_cmos"), from the first word of
// SYSFS_CLASS_DIR/rtcN/name ("rtc_cmos 00:05") after resolving links; "" when
// unknown.
std::string rtc_driver_name(const std::string& device_path, const std::string& sysfs_class_dir);

// Time from RTC_SET_TIME to the first seconds increment, per driver: 500 ms
// for rtc_cmos (the MC146818 divider restarts mid-second), 1 s otherwise (the
// kernel's set_offset_nsec says the same).
Nanos first_tick_for_driver(const std::string& driver);

// The Error for a failed open(2) of `path` with errno `err`.
Error dev_rtc_open_error(const std::string& path, int err);

}  // namespace rtcal

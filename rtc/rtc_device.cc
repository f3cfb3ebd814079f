// The RtcDevice defaults: an RTC without parameters (see rtc_device.h).
#include "rtc/rtc_device.h"

#include <cerrno>

namespace rtcal {

Error no_params_error(const std::string& name, const char* request) {
  return failure(name, std::string(request) + ": " + errno_text(ENOTTY) + " (this RTC has no parameters)",
                 "RTC parameters are read from a kernel RTC (/dev/rtcN) whose driver has them");
}

Error no_valid_time_error(const std::string& object, const std::string& detail) {
  return failure(object, "the RTC holds no valid time (battery dead or never set)" + detail,
                 "set it once the system clock is right, e.g. rtcal systohc; replace the "
                 "battery if it happens after every power-off");
}

Result<uint64_t> RtcDevice::get_param(uint64_t) { return no_params_error(name(), "RTC_PARAM_GET"); }

Status RtcDevice::set_param(uint64_t, uint64_t) { return no_params_error(name(), "RTC_PARAM_SET"); }

}  // namespace rtcal

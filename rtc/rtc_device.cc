// The RtcDevice defaults: an RTC without parameters (see rtc_device.h).
#include "rtc/rtc_device.h"

#include <cerrno>

namespace rtcal {

Error no_params_error(const std::string& name, const char* request) {
  return failure(name, std::string(request) + ": " + errno_text(ENOTTY) + " (this RTC has no parameters)",
                 "RTC parameters are read from a kernel RTC (/dev/rtcN) whose driver has them");
}

Result<uint64_t> RtcDevice::get_param(uint64_t) { return no_params_error(name(), "RTC_PARAM_GET"); }

Status RtcDevice::set_param(uint64_t, uint64_t) { return no_params_error(name(), "RTC_PARAM_SET"); }

}  // namespace rtcal

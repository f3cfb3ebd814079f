// Direct CMOS port I/O exists only on x86: on every other architecture the
// --directisa path is a clear error, so callers need no #ifdef.
#include "rtc/cmos_x86.h"

namespace rtcal {
namespace {

Error needs_x86() {
  return usage_error("--directisa", "--directisa needs x86 (CMOS ports 0x70/0x71 exist only there)",
                     "leave out --directisa to use /dev/rtc");
}

}  // namespace

Result<std::unique_ptr<CmosPorts>> open_cmos_ports() { return needs_x86(); }

Result<std::unique_ptr<RtcDevice>> open_cmos_rtc() { return needs_x86(); }

}  // namespace rtcal

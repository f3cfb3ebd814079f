// Opening the real CMOS clock through I/O ports 0x70/0x71 (--directisa).
// Declared for every architecture; rtc/cmos_x86.cc implements it on x86 and
// rtc/cmos_nox86.cc elsewhere returns an error, so callers need no #ifdef.
#pragma once

#include <memory>

#include "base/result.h"
#include "rtc/cmos.h"

namespace rtcal {

// Raw access to the CMOS ports (ioperm). Errors name the fix: run as root
// (CAP_SYS_RAWIO); under kernel lockdown port access is refused outright.
Result<std::unique_ptr<CmosPorts>> open_cmos_ports();

// The CMOS clock as an RtcDevice over the real ports.
Result<std::unique_ptr<RtcDevice>> open_cmos_rtc();

}  // namespace rtcal

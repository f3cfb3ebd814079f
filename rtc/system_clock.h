// The system clock behind a small interface, so that every "now", every wait
// and every clock step can be simulated: a test advances a week without
// sleeping, and no test can ever step this machine's clock.
//
// RealSystemClock (rtc/system_clock.cc) uses CLOCK_REALTIME/CLOCK_MONOTONIC
// and clock_settime; it refuses to change the clock when the environment has
// RTCAL_FORBID_REAL_CLOCK=1 (set by the test suite as a second line of defence).
// The simulated clock lives with the simulated RTC in rtc/sim.h.
#pragma once

#include <memory>
#include <string>

#include "base/clock_types.h"
#include "base/result.h"

namespace rtcal {

class SystemClock {
 public:
  virtual ~SystemClock() = default;

  // A short name for messages: "system clock" or "simulated system clock (FILE)".
  virtual std::string name() const = 0;

  // The current system time (CLOCK_REALTIME).
  virtual SysTime now() = 0;

  // A monotonic reading for measuring waits and bounding loops.
  virtual Nanos monotonic() = 0;

  // Sleep (the simulated clock just advances both readings).
  virtual void sleep_for(Nanos duration) = 0;

  // Step the clock to an absolute time.
  virtual Status set(SysTime t) = 0;

  // Step the clock by a signed amount (+ = forward), preserving the sub-second
  // phase as well as the hardware allows.
  virtual Status step(Nanos delta) = 0;

  // Tell the kernel the local time zone, minutes west of UTC (settimeofday
  // with a timezone and no time). Like the kernel, the first such call since
  // boot also warps the clock forward by minutes_west * 60 s (it assumes the
  // clock was set from an RTC in local time) and from then on 11-minute mode
  // writes local time to the RTC; a first call with 0 only uses up the warp.
  // The default refuses: a clock that cannot do this says so.
  virtual Status set_kernel_timezone(int minutes_west);

  // Whether the kernel takes this clock as NTP-synchronised: adjtimex(2)
  // status without STA_UNSYNC. Then (CONFIG_RTC_SYSTOHC, "11-minute mode")
  // the kernel writes the RTC about every 11 minutes, which spoils drift
  // measurements. Read only. The default: an error (not known).
  virtual Result<bool> kernel_synchronized();

  // Whether the kernel has been writing this clock's time into the RTC (11-
  // minute mode). The default: kernel_synchronized(), as Linux with
  // CONFIG_RTC_SYSTOHC (Debian's and most distributions' kernels) does.
  virtual Result<bool> kernel_writes_rtc();

  // CLOCK_BOOTTIME now, s: time since this boot, counting suspend; it never
  // steps with the system clock. The default: an error (not known).
  virtual Result<double> boottime_s();

  // This boot's id (/proc/sys/kernel/random/boot_id), new at every boot.
  // The default: an error (not known).
  virtual Result<std::string> boot_id();
};

// The machine's real clock.
std::unique_ptr<SystemClock> make_real_system_clock();

}  // namespace rtcal

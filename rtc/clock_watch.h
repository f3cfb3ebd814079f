// Noticing that the system clock was stepped while rtcal measured against it.
// A measurement ties the RTC's edge to the system clock and the system clock
// to a reference; if chronyd, ntpd, systemd-timesyncd or a user sets the clock
// in between, the measurement is off by the step and must be thrown away.
// The monotonic clock is never stepped, so comparing how far each moved
// shows a step; slewing (at most 500 ppm on Linux) is allowed for.
#pragma once

#include <string_view>

#include "base/clock_types.h"
#include "base/result.h"
#include "rtc/system_clock.h"

namespace rtcal {

// The most the system clock may drift from the monotonic one without a step:
// a fixed 50 ms plus 1000 ppm of the time that passed.
inline constexpr double kMaxUnsteppedS = 0.050;
inline constexpr double kMaxSlewPpm = 1000.0;

class ClockWatch {
 public:
  // Reads both clocks now.
  explicit ClockWatch(SystemClock& clock);

  // A failure naming the step when the system clock moved more than the
  // monotonic one allows since construction; `during` names the operation
  // ("the measurement").
  Status check(std::string_view during);

 private:
  SystemClock& clock_;
  SysTime start_;
  Nanos start_monotonic_;
};

}  // namespace rtcal

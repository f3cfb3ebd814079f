// The clock-step watch (see clock_watch.h).
#include "rtc/clock_watch.h"

#include <cmath>
#include <cstdio>
#include <string>

namespace rtcal {

ClockWatch::ClockWatch(SystemClock& clock)
    : clock_(clock), start_(clock.now()), start_monotonic_(clock.monotonic()) {}

Status ClockWatch::check(std::string_view during) {
  const double system_s = static_cast<double>((clock_.now() - start_).count()) * 1e-9;
  const double monotonic_s = static_cast<double>((clock_.monotonic() - start_monotonic_).count()) * 1e-9;
  const double step_s = system_s - monotonic_s;
  if (std::fabs(step_s) <= kMaxUnsteppedS + std::fabs(monotonic_s) * kMaxSlewPpm * 1e-6) {
    return Status::success();
  }
  char text[160];
  std::snprintf(text, sizeof text, "was stepped by %+.3f s during %.*s (it moved %.3f s while %.3f s passed)",
                step_s, static_cast<int>(during.size()), during.data(), system_s, monotonic_s);
  return failure(clock_.name(), text,
                 "nothing was recorded; stop what sets the clock meanwhile, e.g. chronyd, ntpd "
                 "or systemd-timesyncd, or simply measure again");
}

}  // namespace rtcal

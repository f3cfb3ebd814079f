// Placeholder until the simulated RTC lands (the sim helper replaces this file).
#include "rtc/sim.h"

namespace rtcal {

Result<std::unique_ptr<SimWorld>> SimWorld::open(const std::string& path) {
  return failure("sim:" + path, "the simulated RTC is not built yet", "wait for rtc/sim.cc");
}

}  // namespace rtcal

// The simulated world behind --rtc sim:FILE, a test and demo device: a fake
// system clock and an RTC with an offset and a drift rate against it, both
// kept in one small JSON file so that state carries from one command to the
// next. Waiting for an RTC edge or sleeping advances the simulated clocks;
// nothing here ever touches the real clock or hardware.
//
// File format: see rtc/sim.cc and the README ("The simulated RTC").
#pragma once

#include <memory>
#include <string>

#include "rtc/rtc_device.h"
#include "rtc/system_clock.h"
#include "src/result.h"

namespace rtcal {

class SimWorld {
 public:
  virtual ~SimWorld() = default;

  // Load FILE. A missing or malformed file is an error naming the file, the
  // cause, and the fix ("create it with: rtcal sim init FILE").
  static Result<std::unique_ptr<SimWorld>> open(const std::string& path);

  virtual SystemClock& clock() = 0;
  virtual RtcDevice& rtc() = 0;

  // Write the state back atomically (only when it changed).
  virtual Status save() = 0;
};

}  // namespace rtcal

// What the drift fit reads: one observation per log record, in log order.
// calibration/ owns this type so it stays pure (no JSON, no files): src/
// converts the measurement log's records (state/measurement_log.h) into it.
//
// Sign convention: rtc_error_s = RTC reading minus true time (+ = fast);
// a step's amount_s = new RTC reading minus old.
#pragma once

#include <cstdint>

namespace rtcal::calibration {

enum class ObservationType : uint8_t {
  measurement,  // the RTC's error at a true time, with its 1-sigma
  step,         // the RTC was changed by a known amount
  reset,        // the RTC was changed by an unknown amount: a new segment
};

struct Observation {
  ObservationType type = ObservationType::measurement;
  bool dropped = false;       // measurement withdrawn by a correction (rtcal log drop)
  int line = 0;               // its line in the log (0 if none)
  double time_unix_s = 0.0;   // true time, unix s
  double rtc_error_s = 0.0;   // measurement
  double sigma_s = 0.0;       // measurement, > 0
  double amount_s = 0.0;      // step
};

// A measurement (tests and benchmarks build logs with these).
inline Observation measurement_at(double t_unix_s, double rtc_error_s, double sigma_s) {
  Observation o;
  o.time_unix_s = t_unix_s;
  o.rtc_error_s = rtc_error_s;
  o.sigma_s = sigma_s;
  return o;
}

}  // namespace rtcal::calibration

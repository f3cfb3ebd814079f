// A real-time clock behind a small interface: read it, wait for its seconds
// edge, set it, name it. Implementations: /dev/rtc (rtc/dev_rtc.*), direct
// CMOS port I/O on x86 (rtc/cmos_x86.*), and the simulated RTC (rtc/sim.*).
//
// Sign convention used everywhere in rtcal: RTC error = RTC reading minus true
// time; positive means the RTC is fast.
//
// Drivers deal in whole RTC seconds only. Sub-second precision comes from the
// edge: rtc/precise.h brackets it between two back-to-back read()s where the
// system clock can be polled (rtc/edge_poll.h), and otherwise uses
// wait_for_edge(), which returns just after the RTC's seconds counter changed,
// so the caller timestamps the system clock then and reads the new value.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/clock_types.h"
#include "base/result.h"

namespace rtcal {

class RtcDevice {
 public:
  virtual ~RtcDevice() = default;

  // What the user named or we found: "/dev/rtc0", "cmos", "sim:/tmp/lab.json".
  virtual std::string name() const = 0;

  // The driver behind it: "rtc_cmos", "cmos (direct port I/O)", "sim".
  virtual std::string driver() const = 0;

  // The current value, whole seconds, without waiting. An RTC that holds no
  // valid time (dead battery, never set) is an error that says so.
  virtual Result<RtcTime> read() = 0;

  // Block until the seconds counter next changes, at most `timeout`.
  virtual Status wait_for_edge(Nanos timeout) = 0;

  // Write `t` now.
  virtual Status set(const RtcTime& t) = 0;

  // Time from a write to the RTC's first seconds increment after it:
  // 500 ms for the MC146818 (rtc_cmos), 1 s for most others. To make the RTC's
  // edges line up with the system clock's, write value V when the system
  // clock reads V + 1 s - first_tick_after_set().
  virtual Nanos first_tick_after_set() const = 0;

  // An RTC parameter (linux/rtc.h RTC_PARAM_GET/SET: 0 features, 1
  // correction, 2 backup switch mode). RTCs without them (the CMOS ports,
  // the simulation) say so with errno ENOTTY, as the kernel does.
  virtual Result<uint64_t> get_param(uint64_t param);
  virtual Status set_param(uint64_t param, uint64_t value);
};

// The error of an RTC without parameters: "<name>: RTC_PARAM_GET: ..." (errno ENOTTY).
Error no_params_error(const std::string& name, const char* request);

// The error of an RTC that holds no valid time (battery dead or never set),
// the same from every driver; `detail` follows the cause (": it reads ...").
Error no_valid_time_error(const std::string& object, const std::string& detail = "");

}  // namespace rtcal

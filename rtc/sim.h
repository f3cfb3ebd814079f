// The simulated world behind --rtc sim:FILE, a test and demo device: a fake
// system clock and an RTC with an offset and a drift rate against it, both
// kept in one small JSON file so that state carries from one command to the
// next. Waiting for an RTC edge or sleeping advances the simulated clocks;
// nothing here ever touches the real clock or hardware.
//
// The model: a true time t; the simulated system clock reads t + system error
// (changed only by setting or stepping it); the RTC shows the floor of a value
// that advances at (1 + rate_ppm * 1e-6) true seconds per second. In "virtual"
// mode t moves only by sleeps, edge waits and advance(); in "real" mode t
// follows this machine's CLOCK_REALTIME (read only, never set).
//
// File format: see rtc/sim.cc and the README ("The simulated RTC").
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "base/result.h"
#include "rtc/rtc_device.h"
#include "rtc/system_clock.h"

namespace rtcal {

// How a new world starts (`rtcal sim init`).
struct SimSetup {
  SysTime true_time{};            // the true time at the start
  double rtc_offset_s = 0.0;      // RTC error at the start: RTC minus true (+ = fast)
  double rate_ppm = 0.0;          // + = the RTC gains
  std::optional<double> off_rate_ppm;  // the rate while powered off; none: rate_ppm
  double system_error_s = 0.0;    // system clock minus true time (+ = ahead)
  double first_tick_s = 0.5;      // from a set to the first increment (0.5 MC146818, 1.0 others)
  double edge_latency_s = 20e-6;  // from an RTC edge to a waiter waking up
  double set_latency_s = 0.0;     // a set of the RTC lands this long after it is asked for
  double sleep_latency_s = 0.0;   // every sleep of a command ends this long late (a busy host)
  bool real_clock = false;        // true: true time follows this machine's clock
  bool rtc_valid = true;          // false: dead battery, reads fail until set
  bool kernel_synced = false;     // the simulated kernel is NTP-synchronised (adjtimex)
  bool kernel_rtc_writes = false; // while synchronised, it writes the RTC every 11 minutes (sim advance)
  long trim_step_ppb = 0;         // the chip's trim register: one step, ppb (0: no register)
  long trim_range_ppb = 0;        // it holds -range..+range ppb
  int trim_sign = 1;              // +1: + slows the RTC (Linux's convention); -1: the opposite
  bool trim_clamp = false;        // beyond the range: clamp (true) or ERANGE (false)
};

// The world at one moment, for `rtcal sim show`.
struct SimSnapshot {
  bool real_clock = false;
  SysTime true_time{};
  SysTime system_time{};
  bool rtc_valid = true;
  Nanos rtc_value{};        // the RTC's continuous value (fields as UTC, since 1970)
  int64_t rtc_reading_s = 0;  // what it shows: floor of rtc_value
  double rate_ppm = 0.0;          // the RTC's rate now, the trim's effect included
  double base_rate_ppm = 0.0;     // without the trim
  long trim_step_ppb = 0;         // 0: no trim register
  long trim_offset_ppb = 0;
  double off_rate_ppm = 0.0;     // while powered off, the trim included
  double first_tick_s = 0.5;
  double edge_latency_s = 0.0;
  std::string boot_id;        // this boot's
  double boottime_s = 0.0;    // CLOCK_BOOTTIME: true time since this boot
  int kernel_tz_minutes_west = 0;     // set by systz / hctosys
  bool kernel_tz_warp_pending = true;  // the next timezone call warps the clock
};

class SimWorld {
 public:
  virtual ~SimWorld() = default;

  // Load FILE. A missing or malformed file is an error naming the file, the
  // cause, and the fix ("create it with: rtcal sim init FILE").
  static Result<std::unique_ptr<SimWorld>> open(const std::string& path);

  // A new world in memory for FILE; save() writes it. Errors when the setup
  // cannot be simulated (first tick outside (0, 1], rate beyond 100000 ppm).
  static Result<std::unique_ptr<SimWorld>> create(const std::string& path, const SimSetup& setup);

  virtual SystemClock& clock() = 0;
  virtual RtcDevice& rtc() = 0;

  // Let `duration` of true time pass at once (in real mode: add it on top of
  // the real clock's progression). Time stops just before 2106-02-07 06:28:16
  // UTC, the end of what a sim file holds.
  virtual void advance(Nanos duration) = 0;

  // Power the machine off for `duration` of true time (the RTC runs at its
  // off-rate), then boot: the system clock starts from the RTC, a new boot id,
  // CLOCK_BOOTTIME from 0 (rtc/sim_state.h power_cycle).
  virtual void power_off(Nanos duration) = 0;

  // Set the system clock to true time and mark the kernel NTP-synchronised,
  // as an NTP daemon would.
  virtual void sync_system_clock() = 0;

  // The world now.
  virtual SimSnapshot snapshot() = 0;

  // Write the state back atomically (only when it changed).
  virtual Status save() = 0;
};

}  // namespace rtcal

// The state of the simulated world (rtc/sim.*) as plain data, its JSON form,
// and the pure arithmetic of the simulated RTC: what it reads at a true time
// and when its next seconds edge comes. No files and no clocks here, so all of
// it is testable from literals (tests/unit/sim_test.cc).
//
// All times are integer nanoseconds since 1970-01-01 00:00 UTC on the true
// time scale; an RTC value is the RTC's fields read as UTC, with the sub-second
// phase of its oscillator (the RTC shows floor of it). The file format is
// documented at the top of rtc/sim.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock_types.h"
#include "base/result.h"

namespace rtcal::sim {

using rtcal::kNsPerS;

// Limits a sim file must respect (so the RTC always moves forward and its
// first tick after a set is a real fraction of a second).
inline constexpr double kMaxAbsRatePpm = 100'000.0;
inline constexpr double kMaxEdgeLatencyS = 0.1;

// Every time in a sim file lies in [0, 2^32 s): 1970-01-01 to 2106-02-07
// 06:28:16 UTC, so that no sum of times and rates can overflow 64 bits.
inline constexpr int64_t kMaxTimeNs = (int64_t{1} << 32) * kNsPerS;
inline constexpr int64_t kMaxAbsSystemErrorNs = 1'000'000'000 * kNsPerS;  // about 31 years

// True when `ns` is a time a sim file can hold.
inline bool sim_time_in_range(int64_t ns) { return ns >= 0 && ns < kMaxTimeNs; }

struct SimState {
  bool real_clock = false;        // false: "virtual" time; true: follows this machine's clock
  int64_t true_ns = 0;            // virtual: the true time now; real: true time at real_anchor_ns
  int64_t real_anchor_ns = 0;     // real only: this machine's CLOCK_REALTIME when true_ns held
  int64_t system_error_ns = 0;    // simulated system clock minus true time (+ = ahead)
  bool rtc_valid = true;          // false: dead battery or never set; reads fail
  int64_t rtc_value_at_anchor_ns = 0;  // the RTC value at rtc_true_at_anchor_ns
  int64_t rtc_true_at_anchor_ns = 0;   // true time of the RTC's anchor (its last set)
  double rtc_rate_ppm = 0.0;      // + = the RTC gains (runs fast)
  double rtc_first_tick_s = 0.5;  // from a set to the RTC's first increment: 0.5 MC146818, 1.0 most others
  int64_t edge_latency_ns = 20'000;  // from an RTC edge to the waiter waking up
  int64_t set_latency_ns = 0;        // a set lands this long after it is asked for (a busy bus/host)
  int64_t sleep_latency_ns = 0;      // every sleep ends this long late (a busy host's wake-ups)
  int kernel_tz_minutes_west = 0;    // the simulated kernel's time zone (settimeofday)
  bool kernel_tz_warp_pending = true;  // no timezone call since "boot": the next one warps
  bool kernel_synced = false;        // the kernel's adjtimex status lacks STA_UNSYNC (11-minute mode)
  bool kernel_rtc_writes = false;    // with kernel_synced: the kernel writes the RTC every 11 minutes
  // The chip's trim register (rtc/trim.h): absent when trim_step_ppb is 0.
  int64_t trim_step_ppb = 0;         // one register step, ppb
  int64_t trim_range_ppb = 0;        // the register holds -range..+range
  int trim_sign = 1;                 // +1: + slows the RTC (Linux's convention); -1: the opposite
  bool trim_clamp = false;           // out of range: clamp (true) or ERANGE (false)
  int64_t trim_offset_ppb = 0;       // what the register holds now
  std::optional<double> rtc_off_rate_ppm;  // the rate while powered off (on battery); none: the on rate
  int64_t boot_true_ns = 0;          // true time of this boot (CLOCK_BOOTTIME is 0 there)
  int64_t boot_count = 1;            // boots since `sim init` (the boot id is made from it)

  // The RTC's rate, + = gains: `powered` while the system runs, else on
  // battery. The one place a rate is chosen (a trim adds here).
  double rate_ppm(bool powered) const {
    // Linux's trim convention: + ppb removes ticks, so the RTC runs slower (rtc/trim.h).
    const double base = powered ? rtc_rate_ppm : rtc_off_rate_ppm.value_or(rtc_rate_ppm);
    return base - trim_sign * static_cast<double>(trim_offset_ppb) / 1000.0;
  }
  friend bool operator==(const SimState&, const SimState&) = default;
};

// Parse a sim file's text. `object` names it in errors ("sim:/tmp/x.json");
// `path` goes into the fix. Errors are bad_state (exit 3).
Result<SimState> parse_sim_state(std::string_view text, const std::string& object,
                                 const std::string& path);

// The JSON text of a state (ends with a newline). parse(format(s)) == s.
std::string format_sim_state(const SimState& state);

// A reason the values cannot be simulated ("rtc_first_tick_s must be in (0, 1]"),
// or "" when they are fine.
std::string sim_state_problem(const SimState& state);

// Program the trim register at true time `true_ns` (the RTC's value stays
// continuous: it is re-anchored there, then runs at the new rate).
void set_trim(SimState& state, int64_t true_ns, int64_t offset_ppb);

// The RTC's continuous value at true time `true_ns` (it shows the floor).
int64_t rtc_value_ns(const SimState& state, int64_t true_ns);

// The whole seconds the RTC shows at true time `true_ns`.
int64_t rtc_reading_s(const SimState& state, int64_t true_ns);

// The first true time after `true_ns` at which the RTC shows a new second.
int64_t next_edge_true_ns(const SimState& state, int64_t true_ns);

// Write `value_s` into the RTC at true time `true_ns`: it shows value_s at
// once and its first increment comes rtc_first_tick_s later.
void set_rtc(SimState& state, int64_t true_ns, int64_t value_s);

// The kernel's 11-minute mode over a stretch of running time from
// `from_true_ns` to `to_true_ns`: when kernel_synced and kernel_rtc_writes,
// the system time is written into the RTC every kKernelRtcWriteNs (the last
// write before `to_true_ns` is what remains); otherwise nothing.
inline constexpr int64_t kKernelRtcWriteNs = 660'000'000'000;
void kernel_rtc_writes(SimState& state, int64_t from_true_ns, int64_t to_true_ns);

// Power the simulated machine off at true time `off_true_ns` for
// `duration_ns`: the RTC runs at rate_ppm(false) meanwhile; at power-on the
// system clock starts from the RTC's reading (as the kernel does at boot), a
// new boot begins (boot_count + 1, CLOCK_BOOTTIME 0, no kernel time zone, not
// NTP-synchronised). The caller moves true time on by `duration_ns`.
void power_cycle(SimState& state, int64_t off_true_ns, int64_t duration_ns);

// The simulated boot id, like /proc/sys/kernel/random/boot_id.
std::string boot_id(const SimState& state);

// floor(a / b) (rtc/clock_types.h).
using rtcal::floor_div;

}  // namespace rtcal::sim

// The simulated world: one JSON file holding a simulated system clock and a
// simulated RTC (see rtc/sim.h for the model, rtc/sim_state.* for the
// arithmetic). This file owns loading, the two device objects and the atomic
// save. Nothing here sets this machine's clock; "real" mode only reads it.
//
// The sim file (written by `rtcal sim init FILE`, one JSON object):
//   "format":                 "rtcal-sim 1"
//   "clock":                  "virtual": true time moves only by sleeps, edge
//                             waits and `rtcal sim advance`, so runs are
//                             deterministic; "real": true time follows this
//                             machine's CLOCK_REALTIME and sleeps really sleep
//   "true_ns":                integer ns since 1970 UTC: virtual, the true time
//                             now; real, the true time when this machine's
//                             clock read real_anchor_ns
//   "real_anchor_ns":         integer ns since 1970, this machine's clock (real only)
//   "system_error_ns":        integer ns, simulated system clock minus true time
//                             (+ = ahead); changes only when the clock is set/stepped
//   "rtc_valid":              false = dead battery / never set: reads fail until set
//   "rtc_value_at_anchor_ns": integer ns, the RTC's value (its fields read as UTC,
//                             with its oscillator's sub-second phase) at the anchor
//   "rtc_true_at_anchor_ns":  integer ns since 1970, the true time of the anchor
//                             (the RTC's last set, or init)
//   "rtc_rate_ppm":           number, + = the RTC gains; |rate| <= 100000
//   "rtc_first_tick_s":       number in (0, 1], s from a set to the RTC's first
//                             increment: 0.5 for the MC146818 (rtc_cmos), 1.0 others
//   "edge_latency_ns":        integer ns, from an RTC edge to the waiter waking (20000)
//   "sleep_latency_ns":       optional integer ns (0): every sleep ends this late
//   "set_latency_ns":         optional integer ns (0): a set of the RTC takes effect
//                             this long after it is asked for, as on a busy host
//   "rtc_off_rate_ppm":       optional number: the RTC's rate while the machine is
//                             powered off (`rtcal sim power-off`); absent = rtc_rate_ppm
//   "boot_true_ns":           integer ns, true time of this boot: CLOCK_BOOTTIME = true - it
//   "boot_count":             integer from 1, boots so far; the boot id is made from it
//                             (the last two are optional: absent, the file booted when read)
//   "kernel_tz_minutes_west": integer, the kernel time zone set by systz/hctosys (0)
//   "kernel_tz_warp_pending": true until the first timezone call since "boot":
//                             that call warps the system clock by minutes west
//                             (the last two are optional; older files lack them)
//   "kernel_synced":          optional, default false: the simulated kernel is
//                             NTP-synchronised (adjtimex without STA_UNSYNC),
//                             i.e. in 11-minute mode
//   "kernel_rtc_writes":      optional, default false: while kernel_synced, `sim
//                             advance` writes the system time into the RTC every
//                             11 minutes, as Linux's CONFIG_RTC_SYSTOHC does
//   "trim_step_ppb", "trim_range_ppb", "trim_sign", "trim_clamp", "trim_offset_ppb":
//                             optional, together: the chip's trim register
//                             (rtcal sim init --trim-step-ppb ...), read and set
//                             through RTC_PARAM_GET/SET correction like a kernel
//                             RTC; it rounds to whole steps, clamps or refuses
//                             (ERANGE) beyond the range, and changes the rate by
//                             -trim_sign * offset / 1000 ppm
// The RTC shows floor(rtc_value_at_anchor_ns + e * (1 + rate * 1e-6)) s,
// e = true time - rtc_true_at_anchor_ns, rate = rtc_rate_ppm plus the trim's
// effect (SimState::rate_ppm). RTC error = RTC value - true time.
#include "rtc/sim.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>
#include <thread>

#include "base/atomic_file.h"
#include "rtc/sim_state.h"
#include "rtc/trim.h"

namespace rtcal {
namespace {

using sim::kNsPerS;
using sim::SimState;

int64_t real_clock_ns() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return int64_t{ts.tv_sec} * kNsPerS + ts.tv_nsec;
}

int64_t to_ns(double seconds) { return static_cast<int64_t>(std::llround(seconds * 1e9)); }

// The whole file's text, or an error naming it.
Result<std::string> read_text(const std::string& path, const std::string& object) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int saved = errno;
    return failure(object, "cannot read: " + errno_text(saved),
                   saved == ENOENT ? "create it with: rtcal sim init " + path : "check the path and its permissions");
  }
  std::string text;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      const int saved = errno;
      ::close(fd);
      return failure(object, "cannot read: " + errno_text(saved), "check the file");
    }
    text.append(buffer, static_cast<size_t>(n));
    if (text.size() > 1'000'000) {
      ::close(fd);
      return bad_state(object, "too large for a sim file (over 1 MB)",
                       "recreate it with: rtcal sim init " + path + " --force");
    }
  }
  ::close(fd);
  return text;
}

class World;

class SimClock final : public SystemClock {
 public:
  explicit SimClock(World& world) : world_(world) {}
  std::string name() const override;
  SysTime now() override;
  Nanos monotonic() override;
  void sleep_for(Nanos duration) override;
  Status set(SysTime t) override;
  Status step(Nanos delta) override;
  Status set_kernel_timezone(int minutes_west) override;
  Result<bool> kernel_synchronized() override;
  Result<bool> kernel_writes_rtc() override;
  Result<double> boottime_s() override;
  Result<std::string> boot_id() override;

 private:
  World& world_;
};

class SimRtc final : public RtcDevice {
 public:
  explicit SimRtc(World& world) : world_(world) {}
  std::string name() const override;
  std::string driver() const override { return "sim"; }
  Result<RtcTime> read() override;
  Status wait_for_edge(Nanos timeout) override;
  Status set(const RtcTime& t) override;
  Nanos first_tick_after_set() const override;
  Result<uint64_t> get_param(uint64_t param) override;
  Status set_param(uint64_t param, uint64_t value) override;

 private:
  World& world_;
};

class World final : public SimWorld {
 public:
  World(std::string path, SimState state, bool dirty)
      : path_(std::move(path)), state_(state), dirty_(dirty) {}

  SystemClock& clock() override { return clock_; }
  RtcDevice& rtc() override { return rtc_; }

  void advance(Nanos duration) override {
    if (duration.count() <= 0) return;
    const int64_t from = true_now();
    // In real mode this shifts the anchor's true time. Time stops at the end of the range.
    state_.true_ns = std::min(state_.true_ns, sim::kMaxTimeNs - 1 - duration.count()) + duration.count();
    if (!state_.real_clock) sim::kernel_rtc_writes(state_, from, true_now());
    dirty_ = true;
  }

  void power_off(Nanos duration) override {
    if (duration.count() <= 0) return;
    const int64_t off = true_now();
    const int64_t d = std::min(duration.count(), sim::kMaxTimeNs - 1 - off);
    sim::power_cycle(state_, off, d);
    state_.true_ns += d;  // in real mode this shifts the anchor's true time
    dirty_ = true;
  }

  void sync_system_clock() override {
    state_.system_error_ns = 0;
    state_.kernel_synced = true;
    dirty_ = true;
  }

  SimSnapshot snapshot() override {
    const int64_t t = true_now();
    SimSnapshot s;
    s.real_clock = state_.real_clock;
    s.true_time = SysTime(Nanos(t));
    s.system_time = SysTime(Nanos(t + state_.system_error_ns));
    s.rtc_valid = state_.rtc_valid;
    s.rtc_value = Nanos(sim::rtc_value_ns(state_, t));
    s.rtc_reading_s = sim::rtc_reading_s(state_, t);
    s.base_rate_ppm = state_.rtc_rate_ppm;
    s.trim_step_ppb = static_cast<long>(state_.trim_step_ppb);
    s.trim_offset_ppb = static_cast<long>(state_.trim_offset_ppb);
    s.rate_ppm = state_.rate_ppm(true);
    s.off_rate_ppm = state_.rate_ppm(false);
    s.boot_id = sim::boot_id(state_);
    s.boottime_s = static_cast<double>(t - state_.boot_true_ns) * 1e-9;
    s.first_tick_s = state_.rtc_first_tick_s;
    s.edge_latency_s = static_cast<double>(state_.edge_latency_ns) * 1e-9;
    s.kernel_tz_minutes_west = state_.kernel_tz_minutes_west;
    s.kernel_tz_warp_pending = state_.kernel_tz_warp_pending;
    return s;
  }

  Status save() override {
    if (!dirty_) return Status::success();
    // Every caller holds the sim file's lock (src/cli/context.h lock_sim_file).
    remove_stale_temp_files(path_);
    if (Status s = replace_file_atomically(path_, sim::format_sim_state(state_), 0644, "--rtc sim:FILE"); !s) {
      return s;
    }
    dirty_ = false;
    return Status::success();
  }

  // --- used by SimClock and SimRtc ---
  std::string object() const { return "sim:" + path_; }
  const std::string& path() const { return path_; }
  SimState& state() { return state_; }
  void touch() { dirty_ = true; }

  // The true time now, never earlier than a previous answer.
  int64_t true_now() {
    if (!state_.real_clock) return state_.true_ns;
    const int64_t t = state_.true_ns + (real_clock_ns() - state_.real_anchor_ns);
    high_water_ns_ = std::max(high_water_ns_, t);
    return high_water_ns_;
  }

  // Let `ns` of true time pass: virtual time jumps, real time is slept.
  void pass(int64_t ns) {
    if (ns <= 0) return;
    if (state_.real_clock) {
      std::this_thread::sleep_for(Nanos(ns));
    } else {
      state_.true_ns = std::min(state_.true_ns, sim::kMaxTimeNs - 1 - ns) + ns;
      dirty_ = true;
    }
  }

 private:
  std::string path_;
  SimState state_;
  bool dirty_ = false;
  int64_t high_water_ns_ = INT64_MIN;
  SimClock clock_{*this};
  SimRtc rtc_{*this};
};

int64_t now_ns(World& world) { return world.true_now() + world.state().system_error_ns; }

// The simulated clocks hold 1970-01-01 .. 2106-02-07 (see rtc/sim_state.h).
Error out_of_range(const World& world, const char* what, int64_t ns) {
  return failure(world.object(),
                 std::string("the simulated ") + what + " cannot be set to " +
                     (ns < 0 ? "before 1970" : "2106-02-07 06:28:16 UTC or later"),
                 "choose a time between 1970 and 2106");
}

std::string SimClock::name() const { return "simulated system clock (" + world_.path() + ")"; }
SysTime SimClock::now() { return SysTime(Nanos(now_ns(world_))); }
Nanos SimClock::monotonic() { return Nanos(world_.true_now()); }
void SimClock::sleep_for(Nanos duration) {
  if (duration.count() > 0) world_.pass(duration.count() + world_.state().sleep_latency_ns);
}

Status SimClock::set(SysTime t) {
  const int64_t ns = t.time_since_epoch().count();
  if (!sim::sim_time_in_range(ns)) return out_of_range(world_, "system clock", ns);
  world_.state().system_error_ns = ns - world_.true_now();
  world_.touch();
  return Status::success();
}

Status SimClock::step(Nanos delta) {
  const int64_t now = now_ns(world_);
  if (delta.count() < -now || delta.count() >= sim::kMaxTimeNs - now) {
    return out_of_range(world_, "system clock", delta.count() < 0 ? -1 : sim::kMaxTimeNs);
  }
  world_.state().system_error_ns += delta.count();
  world_.touch();
  return Status::success();
}

Status SimClock::set_kernel_timezone(int minutes_west) {
  if (minutes_west < -15 * 60 || minutes_west > 15 * 60) {
    return failure(name(), "the kernel refuses a time zone " + std::to_string(minutes_west) + " minutes west (EINVAL)",
                   "check TZ");
  }
  auto& s = world_.state();
  if (s.kernel_tz_warp_pending) s.system_error_ns += int64_t{minutes_west} * 60 * kNsPerS;  // the kernel's warp
  s.kernel_tz_warp_pending = false;
  s.kernel_tz_minutes_west = minutes_west;
  world_.touch();
  return Status::success();
}

Result<bool> SimClock::kernel_synchronized() { return world_.state().kernel_synced; }
Result<bool> SimClock::kernel_writes_rtc() { return world_.state().kernel_synced && world_.state().kernel_rtc_writes; }
Result<double> SimClock::boottime_s() {
  return static_cast<double>(world_.true_now() - world_.state().boot_true_ns) * 1e-9;
}
Result<std::string> SimClock::boot_id() { return sim::boot_id(world_.state()); }

std::string SimRtc::name() const { return world_.object(); }
Nanos SimRtc::first_tick_after_set() const { return Nanos(to_ns(world_.state().rtc_first_tick_s)); }

Result<RtcTime> SimRtc::read() {
  if (!world_.state().rtc_valid) return no_valid_time_error(world_.object());
  return utc_fields_of_unix_s(sim::rtc_reading_s(world_.state(), world_.true_now()));
}

Status SimRtc::wait_for_edge(Nanos timeout) {
  if (!world_.state().rtc_valid) return no_valid_time_error(world_.object());
  const int64_t now = world_.true_now();
  const int64_t wake = sim::next_edge_true_ns(world_.state(), now) + world_.state().edge_latency_ns;
  if (wake - now > timeout.count()) {
    world_.pass(std::max<int64_t>(timeout.count(), 0));
    return failure(world_.object(), "no seconds edge within " + ms_text(timeout),
                   "give a longer timeout");
  }
  world_.pass(wake - now);
  return Status::success();
}

Status SimRtc::set(const RtcTime& t) {
  if (!rtc_time_is_valid(t)) {
    return failure(world_.object(), "cannot set the invalid time " + format_rtc_time(t), "give a real date");
  }
  const int64_t value_s = rtc_time_as_utc_unix_s(t);
  if (value_s < 0 || value_s >= sim::kMaxTimeNs / kNsPerS - 1) {
    return out_of_range(world_, "RTC", value_s < 0 ? -1 : sim::kMaxTimeNs);
  }
  world_.pass(world_.state().set_latency_ns);  // the set lands late, and the call returns then
  sim::set_rtc(world_.state(), world_.true_now(), value_s);
  world_.touch();
  return Status::success();
}

// The trim register behind RTC_PARAM_GET/SET (features, correction), as a
// kernel RTC whose driver has read_offset/set_offset; without a register the
// sim has no parameters at all (ENOTTY, the RtcDevice default).
Result<uint64_t> SimRtc::get_param(uint64_t param) {
  const auto& s = world_.state();
  if (s.trim_step_ppb == 0) return RtcDevice::get_param(param);
  if (param == 0) return uint64_t{1} << 5;  // RTC_FEATURE_CORRECTION
  if (param == 1) return static_cast<uint64_t>(s.trim_offset_ppb);
  return failure(world_.object(), "RTC_PARAM_GET: " + errno_text(EINVAL) + " (no parameter " + std::to_string(param) + ")",
                 "the simulated RTC has features (0) and correction (1)");
}

Status SimRtc::set_param(uint64_t param, uint64_t value) {
  auto& s = world_.state();
  if (s.trim_step_ppb == 0) return RtcDevice::set_param(param, value);
  if (param != 1) {
    return failure(world_.object(), "RTC_PARAM_SET: " + errno_text(EINVAL) + " (parameter " + std::to_string(param) +
                   " cannot be set)", "set correction (1)");
  }
  const auto requested = static_cast<long>(static_cast<int64_t>(value));
  const trim::Quantized q = trim::quantize_simple(static_cast<long>(s.trim_step_ppb), static_cast<long>(s.trim_range_ppb),
                                                  s.trim_clamp, requested);
  if (q.refused) {
    return failure(world_.object(), "RTC_PARAM_SET: " + errno_text(ERANGE) + " (" + std::to_string(requested) +
                   " ppb is beyond the trim register's +-" + std::to_string(s.trim_range_ppb) + " ppb)",
                   "give an offset within the range");
  }
  sim::set_trim(s, world_.true_now(), q.offset_ppb);
  world_.touch();
  return Status::success();
}

}  // namespace

Result<std::unique_ptr<SimWorld>> SimWorld::open(const std::string& path) {
  const std::string object = "sim:" + path;
  Result<std::string> text = read_text(path, object);
  if (!text) return text.error();
  Result<SimState> state = sim::parse_sim_state(*text, object, path);
  if (!state) return state.error();
  return std::unique_ptr<SimWorld>(std::make_unique<World>(path, *state, false));
}

Result<std::unique_ptr<SimWorld>> SimWorld::create(const std::string& path, const SimSetup& setup) {
  SimState s;
  s.real_clock = setup.real_clock;
  s.true_ns = setup.true_time.time_since_epoch().count();
  s.real_anchor_ns = setup.real_clock ? real_clock_ns() : 0;
  s.system_error_ns = to_ns(setup.system_error_s);
  s.rtc_valid = setup.rtc_valid;
  s.kernel_synced = setup.kernel_synced;
  s.kernel_rtc_writes = setup.kernel_rtc_writes;
  s.rtc_true_at_anchor_ns = s.true_ns;
  s.rtc_value_at_anchor_ns = s.true_ns + to_ns(setup.rtc_offset_s);
  s.rtc_rate_ppm = setup.rate_ppm;
  s.rtc_off_rate_ppm = setup.off_rate_ppm;
  s.boot_true_ns = s.true_ns;
  s.rtc_first_tick_s = setup.first_tick_s;
  s.edge_latency_ns = to_ns(setup.edge_latency_s);
  s.set_latency_ns = to_ns(setup.set_latency_s);
  s.sleep_latency_ns = to_ns(setup.sleep_latency_s);
  s.trim_step_ppb = setup.trim_step_ppb;
  s.trim_range_ppb = setup.trim_range_ppb;
  s.trim_sign = setup.trim_sign;
  s.trim_clamp = setup.trim_clamp;
  if (std::string problem = sim::sim_state_problem(s); !problem.empty()) {
    return usage_error("sim:" + path, problem, "see rtcal sim init --help");
  }
  return std::unique_ptr<SimWorld>(std::make_unique<World>(path, s, true));
}

}  // namespace rtcal

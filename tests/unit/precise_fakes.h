// Test doubles for rtc/precise: a fake clock and a fake RTC sharing one true
// time, each able to misbehave on purpose (a stale or late wake-up, a missed
// edge, a frozen counter, a slow read or write, a sleep that overshoots).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "base/clock_types.h"
#include "base/result.h"
#include "rtc/rtc_device.h"
#include "rtc/system_clock.h"
#include "tests/unit/test_support.h"

namespace rtcal::testing {

using rtcal::test_support::kStart_s;

// True time shared by the fake clock and the fake RTC.
struct FakeTime {
  int64_t true_ns = kStart_s * kNsPerS;
};

class FakeClock final : public SystemClock {
 public:
  FakeClock(FakeTime& t, int64_t error_ns) : t_(t), error_ns_(error_ns) {}
  std::string name() const override { return "fake clock"; }
  SysTime now() override {
    t_.true_ns += now_cost_ns;
    return SysTime(Nanos(t_.true_ns + error_ns_));
  }
  Nanos monotonic() override { return Nanos(t_.true_ns); }
  void sleep_for(Nanos d) override {
    t_.true_ns += std::max<int64_t>(d.count(), 0) + (overshoot_sleeps > 0 ? overshoot_ns : 0);
    --overshoot_sleeps;
  }
  Status set(SysTime t) override { error_ns_ = t.time_since_epoch().count() - t_.true_ns; return {}; }
  Status step(Nanos d) override { error_ns_ += d.count(); return {}; }
  int64_t overshoot_ns = 0;  // every sleep ends this much late (a busy scheduler)
  int64_t now_cost_ns = 0;   // time passes while reading the clock (a real clock moves by itself)
  int overshoot_sleeps = 1'000'000;  // how many sleeps overshoot (the first ones)

 private:
  FakeTime& t_;
  int64_t error_ns_;
};

// An RTC with no drift whose continuous value is true time + value_minus_true_ns.
class FakeRtc final : public RtcDevice {
 public:
  FakeRtc(FakeTime& t, int64_t value_minus_true_ns, double first_tick_s)
      : t_(t), diff_ns_(value_minus_true_ns), first_tick_ns_(std::llround(first_tick_s * 1e9)) {}
  std::string name() const override { return "fake"; }
  std::string driver() const override { return "fake"; }
  Result<RtcTime> read() override {
    int64_t s = floor_div(t_.true_ns + diff_ns_, kNsPerS);
    if (frozen_reads) {
      if (frozen_at_s_ < 0) frozen_at_s_ = s;
      s = frozen_at_s_;
    }
    t_.true_ns += read_cost_ns;
    if (++reads == held_up_read) t_.true_ns += held_up_ns;  // the reader preempted after the read
    return utc_fields_of_unix_s(s);
  }
  Status wait_for_edge(Nanos timeout) override {
    ++waits;
    if (frozen) {
      t_.true_ns += timeout.count();
      return failure("fake", "no edge", "");
    }
    if (stale_wakeups > 0) {
      --stale_wakeups;  // returns at once, as a stale update interrupt would
      return {};
    }
    const int64_t skip_ns = missed_edges > 0 ? kNsPerS : 0;  // an edge passed before the wait took hold
    if (missed_edges > 0) --missed_edges;
    const int64_t edge = (floor_div(t_.true_ns + diff_ns_, kNsPerS) + 1) * kNsPerS - diff_ns_ + skip_ns;
    if (edge + wake_latency_ns - t_.true_ns > timeout.count()) {
      t_.true_ns += timeout.count();
      return failure("fake", "no edge within the timeout", "");
    }
    t_.true_ns = edge + wake_latency_ns;
    return {};
  }
  Status set(const RtcTime& v) override {
    if (slow_sets-- > 0) t_.true_ns += set_cost_ns;  // the RTC restarts at the end of the write
    // An RTC that keeps its phase (rtc_cmos on AMD) shows V until its old edge.
    const int64_t fraction_ns = keeps_phase ? t_.true_ns + diff_ns_ - floor_div(t_.true_ns + diff_ns_, kNsPerS) * kNsPerS
                                            : kNsPerS - first_tick_ns_;
    diff_ns_ = rtc_time_as_utc_unix_s(v) * kNsPerS + fraction_ns - t_.true_ns;
    if (frozen_reads) frozen_at_s_ = rtc_time_as_utc_unix_s(v);  // a stopped RTC shows what was written
    ++writes;
    return {};
  }
  Nanos first_tick_after_set() const override { return Nanos(first_tick_ns_); }

  int stale_wakeups = 0;
  int missed_edges = 0;              // waits that sleep through one edge to the next
  int64_t wake_latency_ns = 5'000;   // from the edge to the waiter waking
  int waits = 0;
  bool frozen_reads = false;         // read() keeps showing one second (a stopped RTC)
  bool frozen = false;
  int64_t read_cost_ns = 0;
  int reads = 0;
  int held_up_read = 0;     // this read (1-based) returns held_up_ns late (the reader preempted)
  int64_t held_up_ns = 0;
  int writes = 0;
  int64_t set_cost_ns = 0;  // how long a slow write takes
  int slow_sets = 0;        // how many writes (the first ones) are slow
  bool keeps_phase = false;  // a write does not restart the divider (Linux's rtc_cmos on AMD)

 private:
  FakeTime& t_;
  int64_t diff_ns_;
  int64_t first_tick_ns_;
  int64_t frozen_at_s_ = -1;
};

// A fake time, a system clock on it that moves 1 us per read (so edges are
// polled), and an RTC read in 20 us that shows true time plus
// `rtc_minus_true_ns`, its first tick 0.5 s after the start, which is
// `sub_second_ns` past a system second.
struct FakeWorld {
  FakeTime t;
  FakeClock clock{t, 0};
  FakeRtc rtc;
  FakeWorld(int64_t rtc_minus_true_ns, int64_t sub_second_ns) : rtc(t, rtc_minus_true_ns, 0.5) {
    t.true_ns = kStart_s * kNsPerS + sub_second_ns;
    clock.now_cost_ns = 1'000;
    rtc.read_cost_ns = 20'000;
  }
};

}  // namespace rtcal::testing

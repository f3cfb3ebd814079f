// Bracketing a seconds edge by back-to-back reads (see rtc/edge_poll.h).
#include "rtc/edge_poll.h"

#include <algorithm>
#include <string>

namespace rtcal {
namespace {

// Far more reads than fit in a second on any RTC (an RTC_RD_TIME takes a
// microsecond at least, a simulated read ~0.1 us); the deadline ends the loop
// long before. This bounds it should the clock's readings misbehave.
constexpr int64_t kMaxEdgePolls = 200'000'000;
// watch_for_tick reads the RTC this often: a tick is seen within it.
constexpr Nanos kWatchInterval = std::chrono::milliseconds(5);
// ... but not in the last stretch before `until`: a read can take
// milliseconds (the CMOS driver waits out an update; a busy host preempts
// it), and the caller's moment to write follows `until` closely.
constexpr Nanos kWatchGuard = std::chrono::milliseconds(20);
// More sleeps than fit in the longest wait it serves (1.5 s), sleeps that end early included.
constexpr int kMaxWatchSleeps = 2000;

}  // namespace

Result<std::optional<PolledEdge>> poll_edge(RtcDevice& rtc, SystemClock& clock, Nanos deadline,
                                            std::optional<int64_t> stop_after_s, PollWatch* watch) {
  const Nanos started = clock.monotonic();
  SysTime last_pre = clock.now();
  Result<RtcTime> first = rtc.read();
  if (!first) return first.error();
  const Nanos first_read_end = clock.monotonic();
  Nanos unchanged_until = first_read_end;  // the start of the last read still showing the first second
  int64_t shown_s = rtc_time_as_utc_unix_s(*first);
  const int64_t first_s = shown_s;
  if (stop_after_s && shown_s > *stop_after_s) return std::optional<PolledEdge>();
  for (int64_t i = 0; i < kMaxEdgePolls && clock.monotonic() < deadline; ++i) {
    const Nanos pre_mono = clock.monotonic();
    const SysTime pre = clock.now();
    Result<RtcTime> now = rtc.read();
    if (!now) return now.error();
    const SysTime post = clock.now();
    if (post == last_pre) return std::optional<PolledEdge>();  // the clock stands still: cannot poll
    const int64_t now_s = rtc_time_as_utc_unix_s(*now);
    if (now_s == shown_s + 1) {
      const Nanos width = post - last_pre;
      return std::optional<PolledEdge>(PolledEdge{*now, last_pre + width / 2, width, shown_s});
    }
    if (now_s == first_s) unchanged_until = pre_mono;
    // Any other change (the RTC was set meanwhile, or we were away a second):
    // no edge to time here; time the next one.
    shown_s = now_s;
    last_pre = pre;
  }
  if (watch) {
    watch->moved = shown_s != first_s;
    watch->unchanged_for = unchanged_until - first_read_end;
  }
  return failure(rtc.name(), "no seconds edge within " + ms_text(clock.monotonic() - started),
                 "the RTC may be stopped; set it, and check the kernel log (dmesg)");
}

Result<bool> watch_for_tick(RtcDevice& rtc, SystemClock& clock, SysTime until) {
  Result<RtcTime> first = rtc.read();
  if (!first) return first.error();
  for (int i = 0; i < kMaxWatchSleeps && until - clock.now() >= kWatchInterval + kWatchGuard; ++i) {
    clock.sleep_for(kWatchInterval);
    Result<RtcTime> now = rtc.read();
    if (!now) return now.error();
    if (!(*now == *first)) return true;
  }
  return false;
}

}  // namespace rtcal

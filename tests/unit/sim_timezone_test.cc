// The simulated kernel time zone (SystemClock::set_kernel_timezone on the
// sim): the first call since "boot" warps the clock by minutes west, later
// calls do not; a first call with 0 uses the warp up; the kernel's limits;
// sim files written before these fields existed still load.
#include <doctest/doctest.h>

#include "rtc/sim.h"
#include "rtc/sim_state.h"
#include "tests/unit/test_support.h"

using namespace rtcal;
using namespace std::chrono_literals;

namespace {

using rtcal::test_support::kStart_s;

std::unique_ptr<SimWorld> world_at_start() {
  SimSetup setup;
  setup.true_time = SysTime(std::chrono::seconds(kStart_s));
  auto world = SimWorld::create("/nonexistent/tz.json", setup);
  REQUIRE(world.ok());
  return std::move(world.value());
}

}  // namespace

TEST_CASE("sim tz: the first timezone call warps the clock by minutes west, once") {
  auto world = world_at_start();
  const SysTime before = world->clock().now();
  REQUIRE(world->clock().set_kernel_timezone(-60).ok());  // Berlin: 60 minutes EAST
  CHECK(world->clock().now() - before == -3600s);
  CHECK(world->snapshot().kernel_tz_minutes_west == -60);
  CHECK_FALSE(world->snapshot().kernel_tz_warp_pending);
  REQUIRE(world->clock().set_kernel_timezone(300).ok());
  CHECK(world->clock().now() - before == -3600s);  // no second warp
  CHECK(world->snapshot().kernel_tz_minutes_west == 300);
}

TEST_CASE("sim tz: a first call with zone 0 uses the warp up (hwclock's order for a UTC RTC)") {
  auto world = world_at_start();
  const SysTime before = world->clock().now();
  REQUIRE(world->clock().set_kernel_timezone(0).ok());
  REQUIRE(world->clock().set_kernel_timezone(-60).ok());
  CHECK(world->clock().now() == before);
  CHECK(world->snapshot().kernel_tz_minutes_west == -60);
}

TEST_CASE("sim tz: zones beyond 15 hours are refused, as the kernel does") {
  auto world = world_at_start();
  Status s = world->clock().set_kernel_timezone(901);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message().find("901 minutes west") != std::string::npos);
  CHECK(world->snapshot().kernel_tz_warp_pending);
}

TEST_CASE("sim tz: the fields round-trip, and files without them load with the defaults") {
  sim::SimState s;
  s.kernel_tz_minutes_west = -330;
  s.kernel_tz_warp_pending = false;
  auto parsed = sim::parse_sim_state(sim::format_sim_state(s), "sim:f", "f");
  REQUIRE(parsed.ok());
  CHECK(parsed.value() == s);

  std::string old_text = sim::format_sim_state(sim::SimState{});
  for (const char* key : {"kernel_tz_minutes_west", "kernel_tz_warp_pending"}) {
    const size_t at = old_text.find(std::string("\"") + key);
    REQUIRE(at != std::string::npos);
    const size_t end = old_text.find('\n', at);
    old_text.erase(at, end - at + 1);
  }
  // The line before the removed ones now ends in a comma: drop it.
  const size_t last_comma = old_text.rfind(',');
  old_text.erase(last_comma, 1);
  auto old_parsed = sim::parse_sim_state(old_text, "sim:f", "f");
  REQUIRE_MESSAGE(old_parsed.ok(), old_text);
  CHECK(old_parsed->kernel_tz_minutes_west == 0);
  CHECK(old_parsed->kernel_tz_warp_pending);

  sim::SimState bad;
  bad.kernel_tz_minutes_west = 1000;
  CHECK(sim::sim_state_problem(bad) == "field 'kernel_tz_minutes_west' must be between -900 and 900 (as the kernel allows)");
}

TEST_CASE("sim tz: a clock without kernel time zone support says so") {
  struct NoTz final : SystemClock {
    std::string name() const override { return "test clock"; }
    SysTime now() override { return {}; }
    Nanos monotonic() override { return {}; }
    void sleep_for(Nanos) override {}
    Status set(SysTime) override { return Status::success(); }
    Status step(Nanos) override { return Status::success(); }
  } clock;
  Status s = clock.set_kernel_timezone(0);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message() == "test clock: cannot set the kernel's time zone (use the real system clock or --rtc sim:FILE)");
}

// The simulated world (rtc/sim.*, rtc/sim_state.*): known answers for offset
// and drift, the edge arithmetic, a dead battery, the file round trip, exact
// messages for malformed files, and time that never runs backwards.
#include "rtc/sim.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <doctest/doctest.h>

#include "rtc/sim_state.h"
#include "tests/unit/test_support.h"

using namespace rtcal;
using namespace std::chrono_literals;

namespace {

using rtcal::test_support::test_seed;
using rtcal::test_support::kStart_s;

// A scratch directory removed at the end of the test.
struct Scratch {
  std::filesystem::path dir;
  Scratch() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "rtcal-sim-test-XXXXXX").string();
    dir = ::mkdtemp(tmpl.data());
  }
  ~Scratch() { std::filesystem::remove_all(dir); }
  std::string file(const char* name) const { return (dir / name).string(); }
};

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

SimSetup setup_at(int64_t unix_s) {
  SimSetup s;
  s.true_time = SysTime(std::chrono::seconds(unix_s));
  return s;
}

std::unique_ptr<SimWorld> make(const std::string& path, const SimSetup& setup) {
  auto world = SimWorld::create(path, setup);
  REQUIRE(world.ok());
  return std::move(world.value());
}

int64_t unix_s_of(const RtcTime& t) { return rtc_time_as_utc_unix_s(t); }

}  // namespace

TEST_CASE("sim: RTC 10 s slow, gains 100 ppm; after 4 days its error is -10 + 34.56 s") {
  SimSetup setup = setup_at(kStart_s);
  setup.rtc_offset_s = -10;
  setup.rate_ppm = 100;
  auto world = make("/nonexistent/never-saved.json", setup);
  CHECK(unix_s_of(*world->rtc().read()) == kStart_s - 10);
  world->advance(std::chrono::days(4));
  const SimSnapshot s = world->snapshot();
  CHECK((s.rtc_value - s.true_time.time_since_epoch()).count() == 24'560'000'000);
  CHECK(s.true_time == SysTime(std::chrono::seconds(kStart_s + 4 * 86400)));
  CHECK(unix_s_of(*world->rtc().read()) == kStart_s + 4 * 86400 + 24);
  CHECK(s.system_time == s.true_time);  // the system clock keeps true time unless set
}

TEST_CASE("sim: a set shows the value at once and the first increment first_tick later") {
  for (double first_tick : {0.5, 1.0, 0.25}) {
    sim::SimState s;
    s.rtc_first_tick_s = first_tick;
    s.rtc_rate_ppm = 0;
    const int64_t t = kStart_s * sim::kNsPerS + 123'456'789;
    sim::set_rtc(s, t, 1000);
    CHECK(sim::rtc_reading_s(s, t) == 1000);
    const int64_t edge = sim::next_edge_true_ns(s, t);
    CHECK(edge - t == std::llround(first_tick * 1e9));
    CHECK(sim::rtc_reading_s(s, edge) == 1001);
    CHECK(sim::rtc_reading_s(s, edge - 1) == 1000);
    CHECK(sim::next_edge_true_ns(s, edge) == edge + sim::kNsPerS);
  }
}

TEST_CASE("sim: the edge is exact to the nanosecond at any rate (seeded)") {
  const unsigned seed = test_seed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> ppm(-500, 500);
  std::uniform_int_distribution<int64_t> ns(0, 40LL * 86400 * sim::kNsPerS);
  for (int i = 0; i < 2000; ++i) {
    sim::SimState s;
    s.rtc_rate_ppm = ppm(rng);
    s.rtc_true_at_anchor_ns = kStart_s * sim::kNsPerS;
    s.rtc_value_at_anchor_ns = s.rtc_true_at_anchor_ns + ns(rng) / 1000 - 20 * sim::kNsPerS;
    const int64_t t = s.rtc_true_at_anchor_ns + ns(rng);
    const int64_t edge = sim::next_edge_true_ns(s, t);
    REQUIRE(edge > t);
    REQUIRE(sim::rtc_reading_s(s, edge) == sim::rtc_reading_s(s, t) + 1);
    REQUIRE(sim::rtc_reading_s(s, edge - 1) == sim::rtc_reading_s(s, t));
  }
}

TEST_CASE("sim: wait_for_edge wakes just after the edge, by the configured latency") {
  SimSetup setup = setup_at(kStart_s);
  setup.rtc_offset_s = 0.3;  // the RTC's edges come 0.7 s after the true ones
  auto world = make("/nonexistent/x.json", setup);
  const int64_t before = unix_s_of(*world->rtc().read());
  REQUIRE(world->rtc().wait_for_edge(1500ms).ok());
  CHECK(unix_s_of(*world->rtc().read()) == before + 1);
  CHECK(world->snapshot().true_time == SysTime(std::chrono::seconds(kStart_s) + 700ms + 20us));
  // A timeout shorter than the next edge is an error, and time still passes.
  const auto then = world->clock().monotonic();
  const Status timed_out = world->rtc().wait_for_edge(100ms);
  REQUIRE_FALSE(timed_out.ok());
  CHECK(timed_out.error().message() ==
        "sim:/nonexistent/x.json: no seconds edge within 100 ms (give a longer timeout)");
  CHECK(world->clock().monotonic() - then == 100ms);
}

TEST_CASE("sim: a dead battery makes reads fail until the RTC is set") {
  SimSetup setup = setup_at(kStart_s);
  setup.rtc_valid = false;
  auto world = make("/tmp/dead.json", setup);
  const std::string message =
      "sim:/tmp/dead.json: the RTC holds no valid time (battery dead or never set) "
      "(set it once the system clock is right, e.g. rtcal systohc; replace the battery if it happens after every power-off)";
  auto read = world->rtc().read();
  REQUIRE_FALSE(read.ok());
  CHECK(read.error().message() == message);
  CHECK(read.error().kind == ErrorKind::failure);
  Status waited = world->rtc().wait_for_edge(1500ms);
  REQUIRE_FALSE(waited.ok());
  CHECK(waited.error().message() == message);
  REQUIRE(world->rtc().set(utc_fields_of_unix_s(kStart_s + 5)).ok());
  CHECK(unix_s_of(*world->rtc().read()) == kStart_s + 5);
  CHECK_FALSE(world->snapshot().rtc_valid == false);
}

TEST_CASE("sim: the system clock is set and stepped without touching true time") {
  auto world = make("/nonexistent/x.json", setup_at(kStart_s));
  REQUIRE(world->clock().step(-2500ms).ok());
  CHECK(world->clock().now() == SysTime(std::chrono::seconds(kStart_s) - 2500ms));
  REQUIRE(world->clock().set(SysTime(std::chrono::seconds(kStart_s + 100))).ok());
  world->clock().sleep_for(1s);
  CHECK(world->clock().now() == SysTime(std::chrono::seconds(kStart_s + 101)));
  CHECK(world->snapshot().true_time == SysTime(std::chrono::seconds(kStart_s + 1)));
  CHECK(world->clock().name() == "simulated system clock (/nonexistent/x.json)");
  // The simulated clocks hold 1970..2106 only; anything else is refused, nothing changes.
  const SysTime before = world->clock().now();
  const Status too_early = world->clock().set(SysTime(-1s));
  REQUIRE_FALSE(too_early.ok());
  CHECK(too_early.error().message() ==
        "sim:/nonexistent/x.json: the simulated system clock cannot be set to before 1970 "
        "(choose a time between 1970 and 2106)");
  CHECK_FALSE(world->clock().step(std::chrono::years(200)).ok());
  CHECK_FALSE(world->rtc().set(RtcTime{2107, 1, 1, 0, 0, 0}).ok());
  CHECK(world->clock().now() == before);
  world->advance(std::chrono::years(200));  // time stops at the end of the range
  CHECK(world->snapshot().true_time.time_since_epoch().count() == sim::kMaxTimeNs - 1);
  CHECK(world->rtc().name() == "sim:/nonexistent/x.json");
  CHECK(world->rtc().driver() == "sim");
}

TEST_CASE("sim: save and load round trip; save writes only when something changed") {
  Scratch scratch;
  const std::string path = scratch.file("world.json");
  SimSetup setup = setup_at(kStart_s);
  setup.rtc_offset_s = -10.25;
  setup.rate_ppm = -37.5;
  setup.system_error_s = 0.125;
  setup.first_tick_s = 1.0;
  auto world = make(path, setup);
  world->clock().sleep_for(1234567us);
  REQUIRE(world->rtc().set(utc_fields_of_unix_s(kStart_s + 7)).ok());
  REQUIRE(world->save().ok());
  const SimSnapshot saved = world->snapshot();

  auto loaded = SimWorld::open(path);
  REQUIRE(loaded.ok());
  const SimSnapshot again = (*loaded)->snapshot();
  CHECK(again.true_time == saved.true_time);
  CHECK(again.system_time == saved.system_time);
  CHECK(again.rtc_value == saved.rtc_value);
  CHECK(again.rate_ppm == saved.rate_ppm);
  CHECK(again.first_tick_s == saved.first_tick_s);

  // Unchanged: save() leaves the file alone (here: does not recreate it).
  std::filesystem::remove(path);
  REQUIRE((*loaded)->save().ok());
  CHECK_FALSE(std::filesystem::exists(path));
  (*loaded)->advance(1s);
  REQUIRE((*loaded)->save().ok());
  CHECK(std::filesystem::exists(path));
  // No temporary files are left beside it.
  CHECK(std::distance(std::filesystem::directory_iterator(scratch.dir), {}) == 1);
}

TEST_CASE("sim: format and parse are inverse (seeded)") {
  const unsigned seed = test_seed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int64_t> big(0, sim::kMaxTimeNs - 1);
  std::uniform_real_distribution<double> ppm(-1000, 1000);
  for (int i = 0; i < 200; ++i) {
    sim::SimState s;
    s.real_clock = (i % 2) == 0;
    s.true_ns = big(rng);
    s.real_anchor_ns = big(rng);
    s.system_error_ns = big(rng) / 5 - sim::kMaxTimeNs / 10;
    s.rtc_valid = (i % 3) != 0;
    s.rtc_value_at_anchor_ns = big(rng);
    s.rtc_true_at_anchor_ns = big(rng);
    s.rtc_rate_ppm = ppm(rng);
    s.rtc_first_tick_s = 0.001 + (i % 1000) / 1000.0 * 0.999;
    s.edge_latency_ns = i * 1000;
    auto parsed = sim::parse_sim_state(sim::format_sim_state(s), "sim:f", "f");
    REQUIRE(parsed.ok());
    REQUIRE(*parsed == s);
  }
}

TEST_CASE("sim: a missing or malformed file is an error naming it, pinned exactly") {
  Scratch scratch;
  const std::string path = scratch.file("w.json");
  auto missing = SimWorld::open(path);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message() ==
        "sim:" + path + ": cannot read: No such file or directory (create it with: rtcal sim init " + path + ")");
  CHECK(missing.error().kind == ErrorKind::failure);

  const std::string good = sim::format_sim_state(sim::SimState{});
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string text = good;
    const size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
  };
  const std::string fix = " (fix the file or recreate it with: rtcal sim init " + path + " --force)";
  const std::pair<std::string, std::string> cases[] = {
      {"", "not valid JSON (error at byte 1)"},
      {"{\"format\": \"rtcal-sim 1\",", "not valid JSON (error at byte 26)"},
      {"[1, 2]", "not a JSON object"},
      {"{}", "not an rtcal sim file (field 'format' must be \"rtcal-sim 1\")"},
      {replaced("rtcal-sim 1", "rtcal-sim 2"), "not an rtcal sim file (field 'format' must be \"rtcal-sim 1\")"},
      {replaced("\"rtc_rate_ppm\": 0.0", "\"rtc_rate_ppm\": \"fast\""),
       "field 'rtc_rate_ppm' must be a number, got a string"},
      {replaced("\"true_ns\": 0", "\"true_ns\": 1.5"), "field 'true_ns' must be an integer, got a fractional number"},
      {replaced("\"rtc_valid\": true", "\"rtc_valid\": 1"), "field 'rtc_valid' must be true or false, got an integer"},
      {replaced("\"clock\": \"virtual\"", "\"clock\": \"wall\""),
       "field 'clock' must be \"virtual\" or \"real\", got \"wall\""},
      {replaced("\"system_error_ns\": 0,", ""), "field 'system_error_ns' is missing (expected an integer)"},
      {replaced("\"rtc_first_tick_s\": 0.5", "\"rtc_first_tick_s\": 1.5"),
       "field 'rtc_first_tick_s' must be more than 0 and at most 1 s"},
      {replaced("\"rtc_rate_ppm\": 0.0", "\"rtc_rate_ppm\": 2e5"), "field 'rtc_rate_ppm' must be within +-100000 ppm"},
      {replaced("\"true_ns\": 0", "\"true_ns\": -1"), "field 'true_ns' must be between 0 (1970) and 4294967296000000000 (2106) ns"},
      {replaced("\"rtc_value_at_anchor_ns\": 0", "\"rtc_value_at_anchor_ns\": 9223372036854775807"),
       "field 'rtc_value_at_anchor_ns' must be between 0 (1970) and 4294967296000000000 (2106) ns"},
      {replaced("\"system_error_ns\": 0", "\"system_error_ns\": -1000000000000000001"),
       "field 'system_error_ns' must be within +-1000000000000000000 ns"},
      {replaced("\"true_ns\": 0", "\"true_ns\": 18446744073709551615"),
       "field 'true_ns' must be between 0 (1970) and 4294967296000000000 (2106) ns"},
  };
  for (const auto& row : cases) {  // no structured binding: clang 14 cannot CAPTURE one
    const auto& text = row.first;
    const auto& cause = row.second;
    CAPTURE(text);
    write(path, text);
    auto opened = SimWorld::open(path);
    REQUIRE_FALSE(opened.ok());
    CHECK(opened.error().message() == "sim:" + path + ": " + cause + fix);
    CHECK(opened.error().kind == ErrorKind::bad_state);
    CHECK(slurp(path) == text);  // left as it was
  }
}

TEST_CASE("sim: time never goes backwards, whatever the commands do (seeded)") {
  const unsigned seed = test_seed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  SimSetup setup = setup_at(kStart_s);
  setup.rate_ppm = -80;
  auto world = make("/nonexistent/x.json", setup);
  Nanos last_monotonic = world->clock().monotonic();
  SysTime last_true = world->snapshot().true_time;
  int64_t last_rtc = unix_s_of(*world->rtc().read());
  for (int i = 0; i < 3000; ++i) {
    bool rtc_was_set = false;
    switch (rng() % 5) {
      case 0: world->clock().sleep_for(Nanos(static_cast<int64_t>(rng() % 3'000'000'000))); break;
      case 1: REQUIRE(world->rtc().wait_for_edge(1500ms).ok()); break;
      case 2: REQUIRE(world->clock().step(Nanos(static_cast<int64_t>(rng() % 20'000'000'000) - 10'000'000'000)).ok()); break;
      case 3: world->advance(Nanos(static_cast<int64_t>(rng() % 100'000'000'000))); break;
      default:
        REQUIRE(world->rtc().set(utc_fields_of_unix_s(kStart_s + static_cast<int64_t>(rng() % 1000))).ok());
        rtc_was_set = true;
    }
    const Nanos monotonic = world->clock().monotonic();
    const SysTime true_time = world->snapshot().true_time;
    const int64_t rtc = unix_s_of(*world->rtc().read());
    REQUIRE(monotonic >= last_monotonic);
    REQUIRE(true_time >= last_true);
    if (!rtc_was_set) REQUIRE(rtc >= last_rtc);
    last_monotonic = monotonic;
    last_true = true_time;
    last_rtc = rtc;
  }
}

TEST_CASE("sim: real clock mode follows this machine's clock and really sleeps") {
  SimSetup setup = setup_at(kStart_s);
  setup.real_clock = true;
  auto world = make("/nonexistent/real.json", setup);
  const SysTime t0 = world->snapshot().true_time;
  CHECK(t0 - SysTime(std::chrono::seconds(kStart_s)) < 1s);
  const auto wall0 = std::chrono::steady_clock::now();
  const Nanos m0 = world->clock().monotonic();
  world->clock().sleep_for(30ms);
  const SysTime t1 = world->snapshot().true_time;
  CHECK(t1 - t0 >= 30ms);
  CHECK(t1 - t0 < 5s);
  CHECK(std::chrono::steady_clock::now() - wall0 >= 30ms);
  CHECK(world->clock().monotonic() - m0 >= 30ms);
  world->advance(std::chrono::hours(1));  // advance adds on top of the real progression
  CHECK(world->snapshot().true_time - t1 >= std::chrono::hours(1));
}

TEST_CASE("sim: power-off runs the RTC at its off-rate, then boots from it (known answer)") {
  Scratch scratch;
  SimSetup setup = setup_at(kStart_s);
  setup.rtc_offset_s = 0.25;
  setup.rate_ppm = 10.0;
  setup.off_rate_ppm = 50.0;
  auto world = make(scratch.file("w.json"), setup);
  const std::string first_boot = world->clock().boot_id().value();
  world->advance(8h);  // on: +10 ppm over 28800 s = +0.288 s
  CHECK(world->clock().boottime_s().value() == doctest::Approx(28800.0));
  world->power_off(16h);  // off: +50 ppm over 57600 s = +2.88 s
  const SimSnapshot s = world->snapshot();
  CHECK(seconds_of(s.rtc_value - s.true_time.time_since_epoch()) == doctest::Approx(0.25 + 0.288 + 2.88).epsilon(1e-12));
  // The system clock starts from the RTC's whole second (true time is whole here): 3 s ahead.
  CHECK(seconds_of(s.system_time - s.true_time) == doctest::Approx(3.0).epsilon(1e-12));
  CHECK(world->clock().boottime_s().value() == 0.0);
  CHECK(world->clock().boot_id().value() != first_boot);
  CHECK(world->clock().kernel_synchronized().value() == false);
  world->advance(1h);  // on again at +10 ppm
  const SimSnapshot later = world->snapshot();
  CHECK(seconds_of(later.rtc_value - later.true_time.time_since_epoch()) ==
        doctest::Approx(3.418 + 0.036).epsilon(1e-12));
}

TEST_CASE("sim: the off-rate, boot and sync survive a save and load") {
  Scratch scratch;
  SimSetup setup = setup_at(kStart_s);
  setup.off_rate_ppm = -20.0;
  auto world = make(scratch.file("w.json"), setup);
  world->power_off(1h);
  world->sync_system_clock();
  REQUIRE(world->save().ok());
  auto again = SimWorld::open(scratch.file("w.json"));
  REQUIRE(again.ok());
  const SimSnapshot s = (*again)->snapshot();
  CHECK(s.off_rate_ppm == -20.0);
  CHECK(s.rate_ppm == 0.0);
  CHECK(s.system_time == s.true_time);
  CHECK(s.boot_id == world->snapshot().boot_id);
  CHECK((*again)->clock().kernel_synchronized().value() == true);
}

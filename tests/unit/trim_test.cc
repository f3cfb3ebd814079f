// The chip's trim (rtc/trim.*): the driver table against the drivers'
// own arithmetic, quantization (two modes, clamping, ERANGE), the sign of the
// rate effect, the sim's trim register (rate continuity, ERANGE, clamp), the
// trim record's round trip, and the log view re-expressing readings before a
// trim at the new rate.
#include "rtc/trim.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <doctest/doctest.h>

#include "calibration/fit.h"
#include "rtc/sim.h"
#include "rtc/sim_state.h"
#include "src/measure/log_view.h"
#include "state/measurement_log.h"

using namespace rtcal;

namespace {

const trim::TrimDriver& table_entry(const char* name) {
  const trim::TrimDriver* d = trim::find_trim_driver(name);
  REQUIRE(d != nullptr);
  return *d;
}

}  // namespace

TEST_CASE("trim: the table finds drivers by their kernel names") {
  CHECK(trim::find_trim_driver("rtc-pcf8523 1-0068")->name == "pcf8523");
  CHECK(trim::find_trim_driver("rtc_cmos")->name == "cmos");
  CHECK(trim::find_trim_driver("rv3028")->eeprom);
  CHECK(trim::find_trim_driver("rtc-nosuch") == nullptr);
  CHECK(table_entry("ds1307").step_ppt[0] == 0);
}

TEST_CASE("trim: ranges are the drivers' clamps (rv3028 -244141..243187, rv3032 -7629..7391)") {
  CHECK(trim::min_ppb(table_entry("rv3028")) == -244141);
  CHECK(trim::max_ppb(table_entry("rv3028")) == 243187);
  CHECK(trim::min_ppb(table_entry("rv3032")) == -7629);
  CHECK(trim::max_ppb(table_entry("rv3032")) == 7391);
  CHECK(trim::min_ppb(table_entry("pcf8523")) == -64 * 4340);
  CHECK(trim::max_ppb(table_entry("pcf8523")) == 63 * 4340);
}

TEST_CASE("trim: pcf8523 picks the closer of its two modes, mode 0 on a tie only when strictly closer") {
  const auto& d = table_entry("pcf8523");
  CHECK(trim::quantize(d, 4340).offset_ppb == 4340);    // exactly mode 0
  CHECK(trim::quantize(d, 4069).offset_ppb == 4069);    // exactly mode 1
  CHECK(trim::quantize(d, 8200).offset_ppb == 8138);    // 2 * 4069 = 8138 (62 off) beats 2 * 4340 = 8680 (480 off)
  CHECK(trim::quantize(d, -13000).offset_ppb == -13020);  // -3 * 4340 (20 off) beats -3 * 4069 (793 off)
  CHECK(trim::quantize(d, 0).offset_ppb == 0);
}

TEST_CASE("trim: out of range clamps (pcf8523) or is refused with ERANGE (pcf85063)") {
  const auto clamped = trim::quantize(table_entry("pcf8523"), 1'000'000);
  CHECK(clamped.clamped);
  CHECK(clamped.offset_ppb == 63 * 4340);
  const auto refused = trim::quantize(table_entry("pcf85063"), 1'000'000);
  CHECK(refused.refused);
  CHECK_FALSE(trim::quantize(table_entry("pcf85063"), 63 * 4340).refused);
}

TEST_CASE("trim: rv3028 reads back DIV_ROUND_CLOSEST(steps * 953674, 1000), rx8025 divides toward zero") {
  const auto& d = table_entry("rv3028");
  CHECK(trim::quantize(d, 1000).offset_ppb == 954);     // 1 step
  CHECK(trim::quantize(d, 10000).offset_ppb == 9537);   // 10.49 steps -> 10
  CHECK(trim::quantize(d, -10000).offset_ppb == -9537);
  CHECK(trim::quantize(table_entry("rx8025"), 5900).offset_ppb == 3050);    // 1.93 steps -> 1
  CHECK(trim::quantize(table_entry("rx8025"), -5900).offset_ppb == -3050);
}

TEST_CASE("trim: the sign: + ppb slows the RTC, and the cancelling offset moves with the rate") {
  CHECK(trim::rate_effect_ppm(1000, 1) == doctest::Approx(-1.0));
  CHECK(trim::rate_effect_ppm(1000, -1) == doctest::Approx(1.0));
  // An RTC gaining 8.68 ppm, untrimmed: +8680 ppb slows it by as much.
  CHECK(trim::offset_cancelling_ppb(0, 8.68, 1) == 8680);
  CHECK(trim::offset_cancelling_ppb(0, 8.68, -1) == -8680);
  // Already trimmed by +4340 and still gaining 1 ppm: one more ppm.
  CHECK(trim::offset_cancelling_ppb(4340, 1.0, 1) == 5340);
  CHECK(trim::rate_effect_ppm(trim::offset_cancelling_ppb(0, -3.5, 1), 1) == doctest::Approx(3.5));
}

TEST_CASE("trim: sysfs path and file") {
  CHECK(trim::sysfs_offset_path("/nonexistent/rtc3") == "/sys/class/rtc/rtc3/offset");
  CHECK(trim::sysfs_offset_path("/nonexistent/rtc") == "");
  CHECK(trim::sysfs_offset_path("sim:/tmp/x.json") == "");
  char tmpl[] = "/tmp/rtcal-trim-test-XXXXXX";
  const int fd = ::mkstemp(tmpl);
  REQUIRE(fd >= 0);
  ::close(fd);
  std::ofstream(tmpl) << "-8138\n";
  CHECK(trim::read_sysfs_offset(tmpl).value() == -8138);
  std::ofstream(tmpl) << "x\n";
  CHECK_FALSE(trim::read_sysfs_offset(tmpl).ok());
  std::filesystem::remove(tmpl);
}

TEST_CASE("trim: the sim's register rounds to steps, keeps the RTC continuous and changes its rate") {
  sim::SimState s;
  s.true_ns = s.rtc_true_at_anchor_ns = s.rtc_value_at_anchor_ns = 1'700'000'000LL * sim::kNsPerS;
  s.rtc_rate_ppm = 10.0;
  s.trim_step_ppb = 1000;
  s.trim_range_ppb = 50'000;
  const int64_t day = 86'400LL * sim::kNsPerS;
  const int64_t t1 = s.true_ns + day;
  const int64_t before = sim::rtc_value_ns(s, t1);
  sim::set_trim(s, t1, 10'000);  // +10 ppm of slowing cancels the 10 ppm gain
  CHECK(sim::rtc_value_ns(s, t1) == before);
  CHECK(s.rate_ppm(true) == doctest::Approx(0.0));
  CHECK(sim::rtc_value_ns(s, t1 + day) - sim::rtc_value_ns(s, t1) == day);
  s.trim_sign = -1;
  CHECK(s.rate_ppm(true) == doctest::Approx(20.0));
  CHECK(sim::sim_state_problem(s).empty());
  const auto parsed = sim::parse_sim_state(sim::format_sim_state(s), "sim:x", "x");
  REQUIRE(parsed.ok());
  CHECK(parsed.value() == s);
}

TEST_CASE("trim: the sim answers RTC_PARAM_GET/SET like a kernel RTC: features, quantized, ERANGE or clamp") {
  char tmpl[] = "/tmp/rtcal-trim-sim-XXXXXX";
  REQUIRE(::mkdtemp(tmpl) != nullptr);
  const std::string file = std::string(tmpl) + "/s.json";
  SimSetup setup;
  setup.true_time = from_unix_s(1'700'000'000.0);
  setup.trim_step_ppb = 4340;
  setup.trim_range_ppb = 277'760;
  auto world = SimWorld::create(file, setup);
  REQUIRE(world.ok());
  RtcDevice& rtc = (*world)->rtc();
  CHECK(trim::has_correction_feature(rtc).value());
  REQUIRE(trim::write_offset(rtc, "", 8200).ok());
  CHECK(trim::read_offset(rtc, "").value().offset_ppb == 8680);  // two steps of 4340
  CHECK((*world)->snapshot().rate_ppm == doctest::Approx(-8.68));
  const Status beyond = trim::write_offset(rtc, "", 300'000);
  REQUIRE_FALSE(beyond.ok());
  CHECK(beyond.error().cause.find("beyond the trim register's +-277760 ppb") != std::string::npos);
  CHECK(trim::read_offset(rtc, "").value().offset_ppb == 8680);  // unchanged
  setup.trim_clamp = true;
  auto clamping = SimWorld::create(file, setup);
  REQUIRE(clamping.ok());
  REQUIRE(trim::write_offset((*clamping)->rtc(), "", -300'000).ok());
  CHECK(trim::read_offset((*clamping)->rtc(), "").value().offset_ppb == -277'760);
  SimSetup plain;
  plain.true_time = setup.true_time;
  auto none = SimWorld::create(file, plain);
  REQUIRE(none.ok());
  CHECK_FALSE(trim::read_offset((*none)->rtc(), "").ok());  // no register: ENOTTY, as before
  std::filesystem::remove_all(tmpl);
}

TEST_CASE("trim: the record round-trips and a bad sign is refused") {
  state::LogRecord r;
  r.type = state::RecordType::trim;
  r.time_unix_s = 1'700'000'000;
  r.offset_ppb = 8680;
  r.previous_ppb = 0;
  r.trim_sign = 1;
  r.reason = "from-fit";
  const std::string line = state::format_record(r);
  CHECK(line == "{\"type\":\"trim\",\"time\":1700000000.0,\"offset_ppb\":8680.0,\"previous_ppb\":0.0,\"sign\":1,\"reason\":\"from-fit\"}\n");
  const auto parsed = state::parse_log_line(line.substr(0, line.size() - 1), 3);
  REQUIRE(parsed.record);
  CHECK(parsed.record->offset_ppb == 8680);
  CHECK(parsed.record->trim_sign == 1);
  const auto bad = state::parse_log_line(R"({"type":"trim","time":1700000000,"offset_ppb":1,"previous_ppb":0,"sign":2,"reason":"set"})", 1);
  CHECK_FALSE(bad.record);
  CHECK(bad.cause == "field \"sign\" must be 1 or -1");
}

TEST_CASE("trim: the fit across a trim sees one rate: readings before it are re-expressed at the new rate") {
  // An RTC gaining 10 ppm for 4 days, then trimmed by +6000 ppb (now 4 ppm).
  std::vector<state::LogRecord> records;
  const double t0 = 1'700'000'000.0, day = 86'400.0;
  auto measurement = [&](double t, double e) {
    state::LogRecord m;
    m.time_unix_s = t;
    m.rtc_error_s = e;
    m.sigma_s = 0.001;
    m.source = "ntp";
    records.push_back(m);
  };
  for (int d = 0; d <= 4; ++d) measurement(t0 + d * day, 10e-6 * d * day);
  state::LogRecord trim_record;
  trim_record.type = state::RecordType::trim;
  trim_record.time_unix_s = t0 + 4 * day;
  trim_record.offset_ppb = 6000;
  trim_record.previous_ppb = 0;
  trim_record.reason = "set";
  records.push_back(trim_record);
  const double e4 = 10e-6 * 4 * day;
  for (int d = 5; d <= 8; ++d) measurement(t0 + d * day, e4 + 4e-6 * (d - 4) * day);
  const LogView view = view_of(records);
  CHECK(view.trims == 1);
  CHECK(view.measurements == 9);
  const auto fit = calibration::fit_drift(view.observations);
  REQUIRE(fit.ok());
  CHECK(fit->rate_ppm == doctest::Approx(4.0).epsilon(1e-6));
  // With the wrong sign recorded the rates would not line up: the fit is not 4.
  records[5].trim_sign = -1;
  const auto wrong = calibration::fit_drift(view_of(records).observations);
  REQUIRE(wrong.ok());
  CHECK(std::fabs(wrong->rate_ppm - 4.0) > 1.0);
}

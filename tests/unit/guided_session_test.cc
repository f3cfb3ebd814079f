// The guided measurement's conversation (src/guided_session) played by a
// scripted person on a fake clock: practice beeps at whole seconds, the
// reaction time measured and removed, the offset and sigma of a time-beep
// reference, early presses, typed times, and the result in words.
#include "src/measure/guided_session.h"

#include <cmath>
#include <deque>

#include <doctest/doctest.h>

using namespace rtcal;

namespace {

// A system clock that moves only when told: system = true + error_s.
class SessionFakeClock final : public SystemClock {
 public:
  explicit SessionFakeClock(double true_s, double error_s) : true_ns_(std::llround(true_s * 1e9)), error_s_(error_s) {}
  std::string name() const override { return "fake clock"; }
  SysTime now() override { return SysTime(Nanos(true_ns_ + std::llround(error_s_ * 1e9))); }
  Nanos monotonic() override { return Nanos(true_ns_); }
  void sleep_for(Nanos d) override { true_ns_ += d.count(); }
  Status set(SysTime) override { return Status::success(); }
  Status step(Nanos) override { return Status::success(); }
  double true_s() const { return static_cast<double>(true_ns_) / 1e9; }
  void set_true_s(double t) { true_ns_ = std::llround(t * 1e9); }

 private:
  int64_t true_ns_;
  double error_s_;
};

// A person: presses Enter `reaction` after each practice mark; for the real
// round types the next whole minute (true time) and presses that long after it.
struct Step {
  enum Kind { press_after_beep, type_text, press_at_true } kind;
  double value = 0.0;
  std::string text;
};

class ScriptedPerson final : public Prompter {
 public:
  ScriptedPerson(SessionFakeClock& clock, std::deque<Step> script) : clock_(clock), script_(std::move(script)) {}
  void print(const std::string& text) override {
    screen += text;
    if (text.find(kBeepMark) != std::string::npos) beep_true_s_ = clock_.true_s();
  }
  void bell() override { ++bells; }
  std::optional<std::string> read_line(Nanos timeout) override {
    if (script_.empty()) {
      clock_.sleep_for(timeout);
      return std::nullopt;
    }
    Step s = script_.front();
    script_.pop_front();
    if (s.kind == Step::type_text) return s.text;
    const double at = s.kind == Step::press_after_beep ? beep_true_s_ + s.value : s.value;
    if (at - clock_.true_s() > static_cast<double>(timeout.count()) / 1e9) {
      clock_.sleep_for(timeout);
      return std::nullopt;
    }
    clock_.set_true_s(std::max(at, clock_.true_s()));
    return "";
  }
  bool discard_typed_ahead() override {
    if (early_presses > 0) {
      --early_presses;
      return true;
    }
    return false;
  }
  std::string screen;
  int bells = 0;
  int early_presses = 0;

 private:
  SessionFakeClock& clock_;
  std::deque<Step> script_;
  double beep_true_s_ = 0.0;
};

constexpr double kStart = 1795427168.3;  // 2026-11-23 ~ 09:46 UTC

}  // namespace

TEST_CASE("guided: practice measures the mean reaction and its spread") {
  SessionFakeClock clock(kStart, 0.0);
  std::deque<Step> script;
  for (double r : {0.20, 0.30, 0.25, 0.22, 0.28}) script.push_back({Step::press_after_beep, r, ""});
  ScriptedPerson person(clock, script);
  GuideSettings settings;
  auto stats = practice_round(person, clock, settings);
  REQUIRE(stats);
  CHECK(stats->n == 5);
  CHECK(stats->mean_s == doctest::Approx(0.25).epsilon(1e-6));
  CHECK(stats->spread_s == doctest::Approx(std::sqrt(0.0068 / 4)).epsilon(1e-6));
  CHECK(person.bells == 5);
  CHECK(person.screen.find("3... 2... 1... *** BEEP ***") != std::string::npos);
}

TEST_CASE("guided: a practice press too late or too early is retried") {
  SessionFakeClock clock(kStart, 0.0);
  std::deque<Step> script = {{Step::press_after_beep, 2.0, ""}, {Step::press_after_beep, 0.3, ""}};
  ScriptedPerson person(clock, script);
  person.early_presses = 1;
  GuideSettings settings;
  settings.practice_beeps = 1;
  auto stats = practice_round(person, clock, settings);
  REQUIRE(stats);
  CHECK(stats->mean_s == doctest::Approx(0.3));
  CHECK(person.screen.find("Too early") != std::string::npos);
  CHECK(person.screen.find("No press within 1.5 s") != std::string::npos);
  CHECK(person.bells == 3);
}

TEST_CASE("guided: no presses at all end the practice with an error") {
  SessionFakeClock clock(kStart, 0.0);
  ScriptedPerson person(clock, {});
  auto stats = practice_round(person, clock, GuideSettings{});
  REQUIRE_FALSE(stats);
  CHECK(stats.error().message().find("practice round") != std::string::npos);
}

TEST_CASE("guided: time beeps give the system clock's offset with the reaction removed") {
  const double system_error_s = 7.5;  // the system clock is 7.5 s ahead
  SessionFakeClock clock(kStart, system_error_s);
  std::deque<Step> script;
  const double minute = std::ceil(kStart / 60.0) * 60.0;
  const double reactions[] = {0.27, 0.23, 0.25};
  for (int i = 0; i < 3; ++i) {
    const double beep = minute + 60.0 * i;
    const time_t t = static_cast<time_t>(beep);
    struct tm tm {};
    gmtime_r(&t, &tm);
    char text[32];
    std::snprintf(text, sizeof text, "%02d:%02d:%02d UTC", tm.tm_hour, tm.tm_min, tm.tm_sec);
    script.push_back({Step::type_text, 0.0, text});
    script.push_back({Step::press_at_true, beep + reactions[i], ""});
  }
  ScriptedPerson person(clock, script);
  const ReactionStats reaction{0.25, 0.03, 5};
  auto ref = human_reference(person, clock, HumanSource::beep, reaction, GuideSettings{});
  REQUIRE(ref);
  CHECK(ref->source == "beep");
  CHECK(ref->offset_s == doctest::Approx(-system_error_s).epsilon(1e-6));
  // sigma: max(0.03, spread 0.02) * sqrt(1/3 + 1/5) = 0.0219 (the floor 0.02 does not bite),
  // with the 0.03 s systematic term in quadrature
  CHECK(ref->sigma_s == doctest::Approx(std::hypot(0.03 * std::sqrt(1.0 / 3 + 1.0 / 5), 0.03)).epsilon(1e-6));
  CHECK(person.screen.find("Press Enter at the beep.") != std::string::npos);
}

TEST_CASE("guided: an unreadable typed time is asked again") {
  SessionFakeClock clock(kStart, 0.0);
  const double beep = std::ceil(kStart / 60.0) * 60.0;
  const time_t t = static_cast<time_t>(beep);
  struct tm tm {};
  gmtime_r(&t, &tm);
  char text[32];
  std::snprintf(text, sizeof text, "%02d:%02dZ", tm.tm_hour, tm.tm_min);
  ScriptedPerson person(clock, {{Step::type_text, 0, "half past"}, {Step::type_text, 0, text},
                                {Step::press_at_true, beep + 0.2, ""}});
  GuideSettings settings;
  settings.real_presses = 1;
  auto ref = human_reference(person, clock, HumanSource::clock, ReactionStats{0.2, 0.05, 5}, settings);
  REQUIRE(ref);
  CHECK(ref->source == "typed");
  CHECK(ref->offset_s == doctest::Approx(0.0).epsilon(1e-6));
  CHECK(person.screen.find("is not HH:MM:SS or HH:MM") != std::string::npos);
}

TEST_CASE("guided: announced times resolve to the nearest day") {
  const SysTime near = from_unix_s(86400.0 * 20000 + 23 * 3600 + 59 * 60 + 50);  // 23:59:50 UTC
  auto t = parse_announced_time("00:00:10 UTC", near);
  REQUIRE(t);
  CHECK(to_unix_s(t.value()) == doctest::Approx(86400.0 * 20001 + 10));
  auto u = parse_announced_time("23:59", near);  // local: TZ of the test run
  REQUIRE(u);
  CHECK(std::fabs(to_unix_s(u.value()) - to_unix_s(near)) < 13 * 3600.0);
  CHECK_FALSE(parse_announced_time("25:00", near));
  CHECK_FALSE(parse_announced_time("12:00 CET", near));
}

TEST_CASE("guided: the result in words uses the first measurement and takes steps out") {
  using state::LogRecord;
  using state::RecordType;
  auto m = [](double day, double e) {
    LogRecord r;
    r.type = RecordType::measurement;
    r.time_unix_s = kStart + day * 86400.0;
    r.rtc_error_s = e;
    r.sigma_s = 0.1;
    return r;
  };
  LogRecord step;
  step.type = RecordType::step;
  step.time_unix_s = kStart + 10 * 86400.0;
  step.amount_s = -5.0;
  LogRecord now = m(31, 12.4);
  CHECK(result_in_words({}, now) ==
        "the RTC is 12.4 s fast; the first measurement: measure again in a week or more to learn the rate");
  CHECK(result_in_words({m(0, 0.0)}, now) ==
        "the RTC is 12.4 s fast; 31 days since the first measurement; it gains about 0.40 s/day");
  CHECK(result_in_words({m(0, 0.0), step}, now) ==
        "the RTC is 12.4 s fast; 31 days since the first measurement; it gains about 0.56 s/day");
  LogRecord reset;
  reset.type = RecordType::reset;
  reset.time_unix_s = kStart + 20 * 86400.0;
  CHECK(result_in_words({m(0, 0.0), reset, m(21, 2.4)}, now) ==
        "the RTC is 12.4 s fast; 10 days since the first measurement; it gains about 1.00 s/day");
  CHECK(result_in_words({m(30.9, -3)}, m(31, -3.5)) ==
        "the RTC is 3.50 s slow; 2.4 hours since the first measurement: too soon for a rate");
}

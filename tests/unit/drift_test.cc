// hwclock's drift arithmetic (calibration/drift) against known answers: the
// REFERENCE §2 worked example, outputs of the real util-linux 2.38.1 hwclock
// (`hwclock --predict --verbose`), the dead-band edges, the refusals, and
// --update-drift; then properties over random seeds (the seed is printed;
// replay with RTCAL_SEED=<seed>).
#include "calibration/drift.h"

#include <cmath>
#include <cstdlib>
#include <random>

#include <doctest/doctest.h>
#include "tests/unit/test_support.h"

using namespace rtcal::calibration;

namespace {

using rtcal::test_support::test_seed;

DriftState state_of(double factor, int64_t last_adjust, double not_adjusted, int64_t last_calibration) {
  return DriftState{factor, last_adjust, not_adjusted, last_calibration};
}

// The REFERENCE §2 example: adjtime "-9.600000 845082716 -0.250655 / 845082716 / UTC".
const DriftState kReference = state_of(-9.6, 845082716, -0.250655, 845082716);

}  // namespace

TEST_CASE("drift: REFERENCE worked example (hwclock --predict)") {
  const int64_t target = 846806400;  // 1996-11-01 00:00:00 UTC
  CHECK(drift_s(kReference, target) == doctest::Approx(-191.7710994444444).epsilon(1e-13));
  CHECK(predicted_rtc_unix_s(kReference, target) ==
        doctest::Approx(846806591.7710994444).epsilon(1e-16));
  // hwclock --verbose: "Calculated Hardware Clock drift is -192.228900 seconds"
  const HwclockDriftParts parts = hwclock_drift_parts(drift_s(kReference, target));
  CHECK(parts == HwclockDriftParts{-192, 228900});
  CHECK(hwclock_drift_text(parts) == "-192.228900");
  // hwclock prints "1996-11-01 00:03:11.771099+00:00".
  CHECK(hwclock_predict(kReference, target) == HwclockTime{846806591, 771099});
}

// Captured from util-linux 2.38.1 on Debian 12:
//   printf -- '<line1>\n<last calib>\nUTC\n' > a
//   TZ=UTC hwclock --predict --date "$(date -ud @T '+%F %T')" --adjfile a --verbose
TEST_CASE("drift: matches real hwclock 2.38.1 --predict outputs") {
  struct Case {
    DriftState state;
    int64_t target;
    const char* drift_text;  // "Calculated Hardware Clock drift is ... seconds"
    HwclockTime printed;     // the time it printed
  };
  const Case cases[] = {
      {state_of(2.5, 1700000000, 0.0, 1700000000), 1700864000, "25.000000", {1700863975, 0}},
      {state_of(2.5, 1700000000, 0.0, 1700000000), 1700034560, "1.000000", {1700034559, 0}},
      {state_of(-1.999893, 1795427168, 0.0, 1795427168), 1798019168, "-60.003210", {1798019227, 996789}},
      {state_of(0.0, 1795427168, 0.4, 1795427168), 1795427168, "0.400000", {1795427167, 600000}},
      {state_of(-2145.0, 1795427168, 0.0, 1795427168), 1795513568, "-2145.000000", {1795515713, 0}},
      {state_of(12.345678, 1795427168, -0.123456, 1795427168), 1795400000, "-5.994514", {1795400004, 5486}},
      {state_of(-0.0001, 1600000000, 0.0, 1600000000), 1600000001, "-1.999999", {1600000001, 1}},
      {state_of(100.0, 0, 0.0, 0), 86400, "100.000000", {86300, 0}},
  };
  for (const Case& c : cases) {
    INFO("target " << c.target << " factor " << c.state.factor_s_per_rtc_day);
    const double drift = drift_s(c.state, static_cast<double>(c.target));
    CHECK(hwclock_drift_text(hwclock_drift_parts(drift)) == c.drift_text);
    CHECK(hwclock_predict(c.state, c.target) == c.printed);
    // The true prediction is within 2 µs of what hwclock prints.
    const HwclockTime p = c.printed;
    CHECK(std::fabs(predicted_rtc_unix_s(c.state, static_cast<double>(c.target)) -
                    (static_cast<double>(p.seconds) + static_cast<double>(p.micros) / 1e6)) < 2e-6);
  }
}

TEST_CASE("drift: hwclock_drift_parts splits into floor and a positive fraction") {
  CHECK(hwclock_drift_parts(0.0) == HwclockDriftParts{0, 0});
  CHECK(hwclock_drift_parts(-0.25) == HwclockDriftParts{-1, 750000});
  CHECK(hwclock_drift_parts(1.5) == HwclockDriftParts{1, 500000});
  CHECK(hwclock_drift_parts(-1.0) == HwclockDriftParts{-1, 0});
  CHECK(hwclock_drift_text({-1, 750000}) == "-1.750000");
  // A tiny negative drift rounds up to a full second of micros, as in hwclock;
  // adding it to a time still normalises.
  CHECK(hwclock_drift_parts(-1e-17) == HwclockDriftParts{-1, 1000000});
  CHECK(hwclock_predict(state_of(-1e-17, 1000, 0.0, 1000), 87400) == HwclockTime{87400, 0});
}

TEST_CASE("drift: adjust dead band is -1 <= drift < 1 (floor above 0 or below -1 adjusts)") {
  // factor 86400 s/day = 1 s per elapsed second, so drift = rtc - last_adjust + not_adjusted.
  const int64_t last = 1'800'000'000;
  auto decide = [&](double not_adjusted) {
    return decide_adjust(state_of(0.0, last, not_adjusted, last), static_cast<double>(last) + 10).kind;
  };
  using Kind = AdjustDecision::Kind;
  CHECK(decide(0.0) == Kind::within_dead_band);
  CHECK(decide(0.999999) == Kind::within_dead_band);
  CHECK(decide(1.0) == Kind::adjust);            // floor 1 > 0
  CHECK(decide(-0.5) == Kind::within_dead_band);
  CHECK(decide(-1.0) == Kind::within_dead_band);  // floor -1 is not < -1
  CHECK(decide(-1.000001) == Kind::adjust);       // floor -2
}

TEST_CASE("drift: adjust evaluates the drift at the RTC reading and updates last adjust") {
  // An RTC gaining 10 s/day, last adjusted 3 days ago by the RTC's count.
  const DriftState state = state_of(-10.0, 1'800'000'000, 0.25, 1'790'000'000);
  const double rtc = 1'800'000'000.0 + 3 * 86400.0;
  const AdjustDecision d = decide_adjust(state, rtc);
  REQUIRE(d.kind == AdjustDecision::Kind::adjust);
  CHECK(d.correction_s == doctest::Approx(-29.75));
  // hclocktime = rtc + floor(drift) = rtc - 30 (the .25 is applied by timing).
  CHECK(d.next.last_adjust_unix_s == 1'800'000'000 + 3 * 86400 - 30);
  CHECK(d.next.not_adjusted_s == 0.0);
  CHECK(d.next.last_calibration_unix_s == 1'790'000'000);  // never moved by --adjust
  CHECK(d.next.factor_s_per_rtc_day == -10.0);
}

TEST_CASE("drift: adjust refusals come after the dead-band test as in hwclock") {
  using Kind = AdjustDecision::Kind;
  // last adjust 0: drift since the epoch is huge, so it gets past the dead band, then refused.
  const AdjustDecision no_history = decide_adjust(state_of(-1.0, 0, 0.0, 0), 1.8e9);
  CHECK(no_history.kind == Kind::refused_no_history);
  CHECK(no_history.next.last_adjust_unix_s == 0);
  // last adjust 0 but factor 0: within the dead band, reported as such (hwclock's order).
  CHECK(decide_adjust(state_of(0.0, 0, 0.0, 0), 1.8e9).kind == Kind::within_dead_band);
  // |factor| > 2145 refused; exactly 2145 allowed.
  const int64_t last = 1'800'000'000;
  CHECK(decide_adjust(state_of(2145.5, last, 0.0, last), last + 86400.0).kind == Kind::refused_factor);
  CHECK(decide_adjust(state_of(-2145.5, last, 0.0, last), last + 86400.0).kind == Kind::refused_factor);
  CHECK(decide_adjust(state_of(2145.0, last, 0.0, last), last + 86400.0).kind == Kind::adjust);
  const AdjustDecision refused = decide_adjust(state_of(3000.0, last, 0.5, last), last + 86400.0);
  CHECK(refused.next.not_adjusted_s == 0.5);  // state untouched
  CHECK(refused.next.last_adjust_unix_s == last);
}

TEST_CASE("drift: update-drift known answers") {
  const int64_t t0 = 1'000'000'000;
  using Kind = DriftUpdate::Kind;
  SUBCASE("RTC 12 s fast after 10 days, no factor yet: -1.2 s per true day, -1.199983 per RTC day") {
    const DriftUpdate u = update_drift(state_of(0.0, t0, 0.0, t0), t0 + 864000.0, t0 + 864012.0);
    CHECK(u.kind == Kind::updated);
    CHECK(u.days == doctest::Approx(10.0));
    // The RTC counted 864012 s: -12 s over 864012 RTC seconds (hwclock: -1.2).
    CHECK(u.factor_s_per_rtc_day == doctest::Approx(-12.0 * 86400.0 / 864012.0).epsilon(1e-12));
    CHECK(u.next.factor_s_per_rtc_day == u.factor_s_per_rtc_day);
    CHECK(u.next.last_adjust_unix_s == t0 + 864000);
    CHECK(u.next.last_calibration_unix_s == t0 + 864000);
    CHECK(u.next.not_adjusted_s == 0.0);
  }
  SUBCASE("old factor -1.0, RTC 12 s fast: drift taken at the RTC reading") {
    const double rtc = t0 + 864012.0;
    const double corrected = rtc + (864012.0 * -1.0 / 86400.0);  // 1.999861 s fast
    const double added = t0 + 864000.0 - corrected;
    const DriftUpdate u = update_drift(state_of(-1.0, t0, 0.0, t0), t0 + 864000.0, rtc);
    CHECK(u.factor_s_per_rtc_day == doctest::Approx((-1.0 * 10.0 + added) / (10.0 - added / 86400.0)).epsilon(1e-12));
    // Exact: the RTC gains 12 s per 10 true days, whatever the old factor was
    // (to the 1e-7 s a double resolves of a time near 1e9 s, over 10 days).
    CHECK(u.factor_s_per_rtc_day == doctest::Approx(-12.0 * 86400.0 / 864012.0).epsilon(1e-8));
    // hwclock's first-order answer, -1.1999861, is 2.8e-6 s/day off.
    CHECK(std::fabs(u.factor_s_per_rtc_day - (-1.0 + added / 10.0)) == doctest::Approx(2.78e-6).epsilon(0.01));
  }
  SUBCASE("an RTC that loses gives a positive factor") {
    const DriftUpdate u = update_drift(state_of(0.0, t0, 0.0, t0), t0 + 2 * 86400.0, t0 + 2 * 86400.0 - 5);
    CHECK(u.factor_s_per_rtc_day == doctest::Approx(5.0 / (2.0 - 5.0 / 86400.0)).epsilon(1e-12));
  }
  SUBCASE("last calibration 0: factor kept, timestamps refreshed") {
    const DriftUpdate u = update_drift(state_of(-3.0, t0, 0.7, 0), t0 + 864000.5, t0 + 864012.0);
    CHECK(u.kind == Kind::skipped_uncalibrated);
    CHECK(u.factor_s_per_rtc_day == -3.0);
    CHECK(u.next.factor_s_per_rtc_day == -3.0);
    CHECK(u.next.last_adjust_unix_s == t0 + 864000);  // floor(true)
    CHECK(u.next.last_calibration_unix_s == t0 + 864000);
    CHECK(u.next.not_adjusted_s == 0.0);
  }
  SUBCASE("4-hour rule measured on the corrected RTC, not the true time") {
    // True time is 5 h after calibration, but the RTC (corrected) reads 3 h 59 min 59 s.
    const double rtc = t0 + 4 * 3600.0 - 1;
    const DriftUpdate soon = update_drift(state_of(0.0, t0, 0.0, t0), t0 + 5 * 3600.0, rtc);
    CHECK(soon.kind == Kind::skipped_too_soon);
    CHECK(soon.next.last_calibration_unix_s == t0 + 5 * 3600);
    // Exactly 4 h on the corrected RTC is enough, though the true time is 10 s short of it.
    const double true_s = t0 + 4 * 3600.0 - 10;
    const DriftUpdate enough = update_drift(state_of(0.0, t0, 0.0, t0), true_s, t0 + 4 * 3600.0);
    CHECK(enough.kind == Kind::updated);
    // -10 s over the 14400 s the RTC counted (hwclock: over the 14390 true s).
    CHECK(enough.factor_s_per_rtc_day == doctest::Approx(-60.0).epsilon(1e-12));
  }
  SUBCASE("a factor beyond 2145 s/day resets to 0") {
    // 2200 s fast in a true day: -2200 / (1 + 2200/86400) = -2145.38 per RTC day.
    const DriftUpdate u = update_drift(state_of(0.0, t0, 0.0, t0), t0 + 86400.0, t0 + 86400.0 + 2200);
    CHECK(u.kind == Kind::reset_too_large);
    CHECK(u.factor_s_per_rtc_day == 0.0);
    CHECK(u.next.factor_s_per_rtc_day == 0.0);
    CHECK(u.next.last_calibration_unix_s == t0 + 86400);
    // 2199 s fast: -2144.42, still allowed.
    const DriftUpdate edge = update_drift(state_of(0.0, t0, 0.0, t0), t0 + 86400.0, t0 + 86400.0 + 2199);
    CHECK(edge.kind == Kind::updated);
    CHECK(edge.factor_s_per_rtc_day == doctest::Approx(-2199.0 / (1.0 + 2199.0 / 86400.0)));
  }
}

TEST_CASE("drift: after_set refreshes both timestamps and keeps the factor") {
  const DriftState next = after_set(state_of(-4.5, 100, 0.3, 50), 1'800'000'000.9);
  CHECK(next.factor_s_per_rtc_day == -4.5);
  CHECK(next.last_adjust_unix_s == 1'800'000'000);
  CHECK(next.last_calibration_unix_s == 1'800'000'000);
  CHECK(next.not_adjusted_s == 0.0);
}

TEST_CASE("drift: describe_factor states the sign convention in words") {
  CHECK(describe_factor(-9.6) == "the RTC gains 9.6 s/day, so the correction factor is -9.600000 s/day");
  CHECK(describe_factor(2.5) == "the RTC loses 2.5 s/day, so the correction factor is 2.500000 s/day");
  CHECK(describe_factor(0.0) ==
        "the RTC keeps time (no drift known), so the correction factor is 0.000000 s/day");
  CHECK(describe_factor(-0.0000001) ==
        "the RTC keeps time (no drift known), so the correction factor is 0.000000 s/day");
  CHECK(describe_factor(-1.999893) ==
        "the RTC gains 1.999893 s/day, so the correction factor is -1.999893 s/day");
  CHECK(describe_factor(10.0) == "the RTC loses 10 s/day, so the correction factor is 10.000000 s/day");
}

TEST_CASE("drift: properties over random states (seed printed)") {
  const unsigned seed = test_seed();
  INFO("seed " << seed << " (replay: RTCAL_SEED=" << seed << ")");
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> factor_dist(-2145.0, 2145.0);
  std::uniform_int_distribution<int64_t> time_dist(1'000'000'000, 2'000'000'000);
  std::uniform_real_distribution<double> span_dist(-400 * 86400.0, 400 * 86400.0);
  std::uniform_real_distribution<double> frac_dist(-0.999, 0.999);
  for (int i = 0; i < 20000; ++i) {
    const DriftState s = state_of(factor_dist(rng), time_dist(rng), frac_dist(rng), time_dist(rng));
    const double t = static_cast<double>(s.last_adjust_unix_s) + span_dist(rng);
    const double drift = drift_s(s, t);
    // predicted RTC + drift = true time.
    REQUIRE(predicted_rtc_unix_s(s, t) + drift == doctest::Approx(t).epsilon(1e-15));
    // hwclock's split recombines to the drift within a microsecond.
    const HwclockDriftParts parts = hwclock_drift_parts(drift);
    REQUIRE(parts.micros >= 0);
    REQUIRE(parts.micros < 1'000'000);
    REQUIRE(std::fabs(static_cast<double>(parts.seconds) + static_cast<double>(parts.micros) / 1e6 - drift) < 1.1e-6);
    // The dead band is exactly [-1, 1).
    const AdjustDecision d = decide_adjust(s, t);
    REQUIRE((d.kind == AdjustDecision::Kind::within_dead_band) == (drift >= -1.0 && drift < 1.0));
  }
}

TEST_CASE("drift: update-drift recovers a simulated RTC's rate exactly, first time (seed printed)") {
  const unsigned seed = test_seed();
  INFO("seed " << seed << " (replay: RTCAL_SEED=" << seed << ")");
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> rate_dist(-100.0, 100.0);  // RTC gains this many s/day
  std::uniform_real_distribution<double> days_dist(1.0, 200.0);
  for (int i = 0; i < 2000; ++i) {
    const double gain_s_per_day = rate_dist(rng);
    const double t0 = 1'700'000'000.0;
    auto rtc_at = [&](double set_at, double t) {  // RTC set exactly right at set_at
      return t + gain_s_per_day * (t - set_at) / 86400.0;
    };
    const double exact = factor_s_per_rtc_day_of_rate(gain_s_per_day);
    // First calibration from factor 0: the exact per-RTC-day factor at once.
    DriftState s = state_of(0.0, 1'700'000'000, 0.0, 1'700'000'000);
    const double t1 = t0 + std::floor(days_dist(rng) * 86400.0);
    DriftUpdate u = update_drift(s, t1, rtc_at(t0, t1));
    REQUIRE(u.kind == DriftUpdate::Kind::updated);
    // A double resolves a time near 1.7e9 s to 2.4e-7 s: that over the interval.
    REQUIRE(std::fabs(u.factor_s_per_rtc_day - exact) <= 1e-6 / u.days);
    // A second calibration (RTC set right at t1) keeps it.
    s = u.next;
    const double t2 = t1 + std::floor(days_dist(rng) * 86400.0);
    u = update_drift(s, t2, rtc_at(t1, t2));
    REQUIRE(std::fabs(u.factor_s_per_rtc_day - exact) <= 1e-6 / u.days);
    // With it, rtc + drift(rtc) is the true time at any later reading.
    const DriftState anchored = state_of(u.factor_s_per_rtc_day, static_cast<int64_t>(t2), 0.0, static_cast<int64_t>(t2));
    const double t3 = t2 + days_dist(rng) * 86400.0;
    const double rtc3 = rtc_at(t2, t3);
    // The factor's own bound above, carried over the days to t3, plus rounding at 1.7e9 s.
    const double tolerance_s = 1e-6 / u.days * (t3 - t2) / 86400.0 + 2e-6;
    REQUIRE(std::fabs(rtc3 + drift_s(anchored, rtc3) - t3) < tolerance_s);
  }
}

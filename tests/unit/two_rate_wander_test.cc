// The two-rate fit's wander (calibration/two_rate.*): on synthetic machines
// whose every on and off period runs at its own rate (the mean plus a
// normal wander, different on and off) and whose measurements scatter by
// their stated sigma, the fit finds each state's wander, and the next boot's
// 95% band covers the truth about 95% of the time, also for an off period four
// times the usual and with few intervals (Student's t). Seeded: a failure
// prints its seed (replay with RTCAL_SEED=N).
#include <cmath>
#include <random>
#include <vector>

#include <doctest/doctest.h>

#include "calibration/two_rate.h"
#include "tests/unit/test_support.h"

using namespace rtcal::calibration;

namespace {

// A machine: on ~8 h and off ~16 h a day (each +-1 h), rates in s/day.
struct Machine {
  double rate_on = 0.4, rate_off = 2.2;        // s/day
  double wander_on = 0.01, wander_off = 0.02;  // 1 sigma of a period's rate, s/day
  double sigma_s = 0.005;                      // each measurement's, as stated
};

struct Log {
  std::vector<TwoRatePoint> points;
  double true_error_s = 0.0;  // the RTC's error at the last point (a shutdown)
};

// `days` days: a measurement at each boot and each shutdown, the last a shutdown.
Log simulate(const Machine& m, int days, std::mt19937_64& rng) {
  std::normal_distribution<double> unit(0.0, 1.0);
  std::uniform_real_distribution<double> hour(-1.0, 1.0);
  Log log;
  double on = 0, off = 0, e = 1.5;
  const auto measure = [&] { log.points.push_back({0, on, off, e + m.sigma_s * unit(rng), m.sigma_s}); };
  for (int d = 0; d < days; ++d) {
    if (d > 0) {
      const double t = (16.0 + hour(rng)) / 24;
      e += (m.rate_off + m.wander_off * unit(rng)) * t, off += t;
    }
    measure();  // boot
    const double t = (8.0 + hour(rng)) / 24;
    e += (m.rate_on + m.wander_on * unit(rng)) * t, on += t;
    measure();  // shutdown
  }
  log.true_error_s = e;
  return log;
}

// Over `trials` machines of `days` days: how often the fit's 95% band for
// the next boot, `off_days` after the last shutdown, holds the RTC's error.
double next_boot_coverage(const Machine& m, int days, double off_days, int trials, std::mt19937_64& rng) {
  std::normal_distribution<double> unit(0.0, 1.0);
  int covered = 0;
  for (int t = 0; t < trials; ++t) {
    const Log log = simulate(m, days, rng);
    const TwoRateFit fit = fit_two_rates(log.points);
    REQUIRE(fit.ok);
    const double truth = log.true_error_s + (m.rate_off + m.wander_off * unit(rng)) * off_days;
    const double predicted = log.points.back().error_s + fit.rate_off_s_per_day * off_days;
    const TwoRatePrediction p = two_rate_prediction(fit, 0.0, off_days, m.sigma_s, 0.0);
    covered += std::abs(truth - predicted) <= p.ci95_s;
  }
  return static_cast<double>(covered) / trials;
}

// 2000 machines: a coverage of 95% is measured within +-0.5% (1 sigma).
constexpr int kTrials = 2000;
constexpr double kLowest = 0.93, kHighest = 0.97;

}  // namespace

TEST_CASE("two_rate wander: each state's own, found from its own intervals (seeded)") {
  std::mt19937_64 rng(rtcal::test_support::test_seed());
  const Machine m;
  const TwoRateFit fit = fit_two_rates(simulate(m, 300, rng).points);
  REQUIRE(fit.ok);
  CHECK(fit.wander_on_s_per_day == doctest::Approx(m.wander_on).epsilon(0.2));
  CHECK(fit.wander_off_s_per_day == doctest::Approx(m.wander_off).epsilon(0.15));
  CHECK(fit.rate_off_s_per_day == doctest::Approx(m.rate_off).epsilon(0.01));
  CHECK(fit.dof_off > 100);  // 300 off intervals, the wander ~80% of their variance
}

TEST_CASE("two_rate wander: none when the measurements scatter only by their sigmas (seeded)") {
  std::mt19937_64 rng(rtcal::test_support::test_seed());
  Machine m;
  m.wander_on = m.wander_off = 0.0;
  const TwoRateFit fit = fit_two_rates(simulate(m, 2000, rng).points);
  REQUIRE(fit.ok);
  // 5 ms at each end of an interval: 0.011 s/day over 16 h, 0.021 over 8 h.
  // What the moments find is noise: under 3 sigma of it (0.003 and 0.0065
  // s/day from 2000 intervals each), well below the default machine's wander.
  CHECK(fit.wander_off_s_per_day < 0.004);
  CHECK(fit.wander_on_s_per_day < 0.007);
}

TEST_CASE("two_rate wander: the next boot's 95% band covers 93-97% of 2000 machines of 30 days (seeded)") {
  std::mt19937_64 rng(rtcal::test_support::test_seed());
  const double coverage = next_boot_coverage(Machine{}, 30, 16.0 / 24, kTrials, rng);
  CHECK(coverage >= kLowest);
  CHECK(coverage <= kHighest);
}

TEST_CASE("two_rate wander: the band grows with the off period: a 64 h weekend is covered too (seeded)") {
  std::mt19937_64 rng(rtcal::test_support::test_seed());
  const double coverage = next_boot_coverage(Machine{}, 30, 64.0 / 24, kTrials, rng);
  CHECK(coverage >= kLowest);
  CHECK(coverage <= kHighest);
}

TEST_CASE("two_rate wander: with few intervals the band takes Student's t and still covers (seeded)") {
  std::mt19937_64 rng(rtcal::test_support::test_seed());
  const double coverage = next_boot_coverage(Machine{}, 3, 16.0 / 24, kTrials, rng);
  CHECK(coverage >= kLowest);
  std::mt19937_64 one(11);
  const TwoRateFit fit = fit_two_rates(simulate(Machine{}, 3, one).points);
  REQUIRE(fit.ok);
  const TwoRatePrediction p = two_rate_prediction(fit, 0.0, 16.0 / 24, 0.005, 0.0);
  CHECK(p.dof > 0);
  CHECK(p.dof < 6);
  CHECK(p.ci95_s > 2.4 * p.sigma_s);  // t with under 6 dof: above 2.44
}

TEST_CASE("two_rate wander: an off-only wander is not spread over the on intervals (seeded)") {
  std::mt19937_64 rng(rtcal::test_support::test_seed());
  Machine m;
  m.wander_on = 0.0;
  m.wander_off = 0.03;
  const double coverage = next_boot_coverage(m, 30, 16.0 / 24, kTrials, rng);
  CHECK(coverage >= kLowest);
  CHECK(coverage <= kHighest);
}

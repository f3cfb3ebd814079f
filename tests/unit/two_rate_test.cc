// The two-rate fit (calibration/two_rate.*): exact answers on noiseless
// cycles, the 95% interval covering the truth on noisy ones (seeded), and the
// refusals worded.
#include "calibration/two_rate.h"

#include <random>

#include <doctest/doctest.h>

#include "tests/unit/test_support.h"

using namespace rtcal::calibration;

namespace {

// `cycles` of 8 h on then 16 h off, a point at each boot and each shutdown.
std::vector<TwoRatePoint> cycles(int cycles, double on_rate, double off_rate, double sigma_s, std::mt19937_64* rng) {
  std::vector<TwoRatePoint> points;
  std::normal_distribution<double> noise(0.0, sigma_s);
  double on = 0, off = 0;
  const auto add = [&] {
    const double e = 3.0 + on_rate * on + off_rate * off + (rng ? noise(*rng) : 0.0);
    points.push_back({0, on, off, e, sigma_s});
  };
  for (int i = 0; i < cycles; ++i) {
    add();  // boot
    on += 8.0 / 24;
    add();  // shutdown
    off += 16.0 / 24;
  }
  return points;
}

}  // namespace

TEST_CASE("two_rate: noiseless cycles give both rates exactly") {
  const TwoRateFit fit = fit_two_rates(cycles(5, 0.5, -1.25, 0.001, nullptr));
  REQUIRE(fit.ok);
  CHECK(fit.rate_on_s_per_day == doctest::Approx(0.5).epsilon(1e-9));
  CHECK(fit.rate_off_s_per_day == doctest::Approx(-1.25).epsilon(1e-9));
  CHECK(fit.chi2 == doctest::Approx(0.0).scale(1.0));
  CHECK(fit.n == 9);  // 10 points, 9 intervals
  CHECK(fit.dof == 9 - 2);
  CHECK(fit.on_days == doctest::Approx(5 * 8.0 / 24));
  CHECK(fit.off_days == doctest::Approx(4 * 16.0 / 24));
}

TEST_CASE("two_rate: a segment's own constant does not leak into the rates") {
  auto points = cycles(4, 0.2, 0.9, 0.001, nullptr);
  auto second = cycles(4, 0.2, 0.9, 0.001, nullptr);
  for (auto& p : second) p.segment = 1, p.error_s -= 100.0;  // a reset: unknown jump
  points.insert(points.end(), second.begin(), second.end());
  const TwoRateFit fit = fit_two_rates(points);
  REQUIRE(fit.ok);
  CHECK(fit.rate_on_s_per_day == doctest::Approx(0.2).epsilon(1e-9));
  CHECK(fit.rate_off_s_per_day == doctest::Approx(0.9).epsilon(1e-9));
}

TEST_CASE("two_rate: the 95% intervals cover the true rates at least about 95% of the time (seeded)") {
  const uint64_t seed = rtcal::test_support::test_seed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  int covered_on = 0, covered_off = 0;
  constexpr int kTrials = 400;
  for (int t = 0; t < kTrials; ++t) {
    const TwoRateFit fit = fit_two_rates(cycles(10, 0.3, -0.6, 0.01, &rng));
    REQUIRE(fit.ok);
    covered_on += std::abs(fit.rate_on_s_per_day - 0.3) <= fit.ci95_on_s_per_day;
    covered_off += std::abs(fit.rate_off_s_per_day + 0.6) <= fit.ci95_off_s_per_day;
  }
  // Adjacent intervals share an end (their errors anti-correlate), which the
  // fit leaves out: that makes its intervals a little wide, never narrow.
  CHECK(covered_on >= kTrials * 0.90);
  CHECK(covered_off >= kTrials * 0.90);
  CHECK(covered_on <= kTrials);
}

TEST_CASE("two_rate: refusals say why") {
  CHECK(fit_two_rates(cycles(1, 0.1, 0.1, 0.01, nullptr)).problem ==
        "too few intervals between measurements: 1, need at least 3");
  std::vector<TwoRatePoint> on_only;
  for (int i = 0; i < 6; ++i) on_only.push_back({0, i * 0.1, 0.0, i * 0.01, 0.01});
  CHECK(fit_two_rates(on_only).problem == "no powered-off time between measurements");
  std::vector<TwoRatePoint> same_share;  // off always twice on: one rate mix only
  for (int i = 0; i < 6; ++i) same_share.push_back({0, i * 0.1, i * 0.2, i * 0.01, 0.01});
  CHECK(fit_two_rates(same_share).problem ==
        "the on and off time grow in the same proportion everywhere: the two rates cannot be told apart");
}

TEST_CASE("two_rate: the prediction's sigma combines both variances and their covariance") {
  std::mt19937_64 rng(7);
  const TwoRateFit fit = fit_two_rates(cycles(6, 0.3, -0.6, 0.01, &rng));
  REQUIRE(fit.ok);
  CHECK(two_rate_sigma_s(fit, 0.0, 2.0) == doctest::Approx(2.0 * std::sqrt(fit.var_off)));
  CHECK(two_rate_sigma_s(fit, 1.0, 1.0) ==
        doctest::Approx(std::sqrt(fit.var_on + fit.var_off + 2 * fit.cov_on_off)));
}

TEST_CASE("two_rate: per-interval wander widens the prediction by the scatter (seeded)") {
  const uint64_t seed = rtcal::test_support::test_seed();
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> wander(0.0, 0.02);  // s/day, per interval
  std::vector<TwoRatePoint> points;
  double on = 0, off = 0, e = 0;
  for (int i = 0; i < 40; ++i) {
    points.push_back({0, on, off, e, 0.001});
    e += (0.3 + wander(rng)) * (8.0 / 24);
    on += 8.0 / 24;
    points.push_back({0, on, off, e, 0.001});
    e += (-0.6 + wander(rng)) * (16.0 / 24);
    off += 16.0 / 24;
  }
  const TwoRateFit fit = fit_two_rates(points);
  REQUIRE(fit.ok);
  CHECK(fit.scatter_scale > 4.0);  // the wander is well above the 1 ms sigmas
  CHECK(std::abs(fit.rate_off_s_per_day + 0.6) <= 3 * std::sqrt(fit.var_off));
  // A new 16 h off interval: the wander's own 0.02 x 2/3 = 13 ms dominates.
  const double sigma = two_rate_prediction_sigma_s(fit, 0.0, 16.0 / 24, 0.001, 0.001);
  CHECK(sigma == doctest::Approx(0.02 * 16.0 / 24).epsilon(0.5));
}

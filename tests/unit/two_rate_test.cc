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
  CHECK(fit.dof == 10 - 1 - 2);
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

TEST_CASE("two_rate: the 95% intervals cover the true rates about 95% of the time (seeded)") {
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
  // With chi2/dof scaling only upwards, coverage is at least nominal; 17 dof.
  CHECK(covered_on >= kTrials * 0.90);
  CHECK(covered_off >= kTrials * 0.90);
  CHECK(covered_on <= kTrials);
}

TEST_CASE("two_rate: refusals say why") {
  CHECK(fit_two_rates(cycles(1, 0.1, 0.1, 0.01, nullptr)).problem ==
        "too few points: 2 in 1 segment(s), need at least 3 more than segments");
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

// The drift fit's sigma scale both ways (calibration/fit.cc) on synthetic
// logs over many seeds (replay: RTCAL_SEED=<seed>): overstated sigmas are
// scaled down with ~95% coverage, understated ones at n = 5 make no good
// reading an outlier, exact data keep a finite interval.
#include <cmath>
#include <random>
#include <vector>

#include <doctest/doctest.h>

#include "calibration/fit.h"
#include "tests/bench/fit_sim.h"
#include "tests/unit/test_support.h"

using namespace rtcal::calibration;

namespace {

constexpr double kSigmaT0 = 1790000000.0;
constexpr double kSigmaDay = 86400.0;

// n readings evenly over `days`, true sigma `sigma_s`, stated sigma
// `stated_s`, error = 3 + rate d + curve d^2 (+ wave(d)).
template <class Wave>
std::vector<Observation> sigma_log(std::mt19937_64& rng, int n, double days, double rate, double curve,
                                   double sigma_s, double stated_s, Wave wave) {
  std::normal_distribution<double> z(0.0, 1.0);
  std::vector<Observation> out;
  for (int i = 0; i < n; ++i) {
    const double d = days * i / (n - 1);
    out.push_back(rtcal::fitsim::measurement(kSigmaT0 + d * kSigmaDay, 3.0 + rate * d + curve * d * d + wave(d) + sigma_s * z(rng), stated_s));
  }
  return out;
}

auto sigma_no_wave = [](double) { return 0.0; };

unsigned sigma_seed() { return rtcal::test_support::test_seed(); }

}  // namespace

TEST_CASE("sigma scale: overstated sigmas are scaled down, coverage stays ~95%") {
  std::mt19937_64 rng(sigma_seed() + 4);
  int covered = 0, flagged = 0, inconsistent = 0;
  const int trials = 400;
  for (int t = 0; t < trials; ++t) {
    auto fit = fit_drift(sigma_log(rng, 20, 60.0, -0.7, 0.0, 0.1, 0.2, sigma_no_wave));
    REQUIRE(fit.ok());
    flagged += fit->sigmas == SigmaCheck::overstated;
    covered += fit->ci95_low_s_per_day <= -0.7 && -0.7 <= fit->ci95_high_s_per_day;
    // Known: about one log in 10^4 is flagged overstated with a scale above 1
    // (seen 1.104; the outlier test's scaling meets the chi-square one; open in
    // issue 13). Counted and bounded until it is traced.
    if (fit->sigmas == SigmaCheck::overstated && fit->sigma_scale >= 1.0) ++inconsistent;
  }
  CHECK(inconsistent <= 2);
  MESSAGE("overstated: flagged " << flagged << ", covered " << covered << "/" << trials);
  CHECK(flagged >= 0.9 * trials);
  CHECK(covered >= 0.915 * trials);
  CHECK(covered <= 0.985 * trials);
}

TEST_CASE("sigma scale: understated sigmas at n = 5 reject no good reading") {
  std::mt19937_64 rng(sigma_seed() + 5);
  int rejected = 0, covered = 0;
  const int trials = 400;
  for (int t = 0; t < trials; ++t) {
    auto fit = fit_drift(sigma_log(rng, 5, 60.0, 2.0, 0.0, 0.2, 0.1, sigma_no_wave));
    REQUIRE(fit.ok());
    rejected += fit->outliers.empty() ? 0 : 1;
    covered += fit->ci95_low_s_per_day <= 2.0 && 2.0 <= fit->ci95_high_s_per_day;
  }
  MESSAGE("understated n=5: fits with a rejection " << rejected << ", covered " << covered << "/" << trials);
  CHECK(rejected <= 0.04 * trials);
  CHECK(covered >= 0.88 * trials);
}

TEST_CASE("sigma scale: exact data with many points keep a finite interval") {
  std::vector<Observation> records;
  for (int d = 0; d < 10; ++d) records.push_back(rtcal::fitsim::measurement(kSigmaT0 + d * kSigmaDay, 0.5 * d, 0.1));
  auto fit = fit_drift(records);
  REQUIRE(fit.ok());
  CHECK(fit->sigmas == SigmaCheck::overstated);
  CHECK(fit->sigma_scale == doctest::Approx(0.2));
  CHECK(fit->ci95_high_s_per_day > fit->ci95_low_s_per_day);
}

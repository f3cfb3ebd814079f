// The drift fit's model check (calibration/fit_model.cc) on synthetic logs
// with known answers over many seeds (replay: RTCAL_SEED=<seed>): a rate that
// changes is found and its rate now covered, the prediction widened; a
// sawtooth is found; clean logs raise no alarm.
#include <cmath>
#include <random>
#include <vector>

#include <doctest/doctest.h>

#include "calibration/fit.h"
#include "tests/bench/fit_sim.h"
#include "tests/unit/test_support.h"

using namespace rtcal::calibration;

namespace {

constexpr double kModelT0 = 1790000000.0;
constexpr double kModelDay = 86400.0;

// n readings evenly over `days`, true sigma `sigma_s`, stated sigma
// `stated_s`, error = 3 + rate d + curve d^2 (+ wave(d)).
template <class Wave>
std::vector<Observation> model_log(std::mt19937_64& rng, int n, double days, double rate, double curve,
                                   double sigma_s, double stated_s, Wave wave) {
  std::normal_distribution<double> z(0.0, 1.0);
  std::vector<Observation> out;
  for (int i = 0; i < n; ++i) {
    const double d = days * i / (n - 1);
    out.push_back(rtcal::fitsim::measurement(kModelT0 + d * kModelDay, 3.0 + rate * d + curve * d * d + wave(d) + sigma_s * z(rng), stated_s));
  }
  return out;
}

auto no_wave = [](double) { return 0.0; };

unsigned model_seed() { return rtcal::test_support::test_seed(); }

}  // namespace

TEST_CASE("model check: a rate that changes over 60 days is found, the rate now covered") {
  std::mt19937_64 rng(model_seed());
  const double change = 2.0, days = 60.0, curve = change / (2 * days);  // rate 1 -> 3 s/day
  int found = 0, covered = 0;
  const int trials = 300;
  for (int t = 0; t < trials; ++t) {
    auto fit = fit_drift(model_log(rng, 10, days, 1.0, curve, 0.2, 0.2, no_wave));
    REQUIRE(fit.ok());
    if (fit->model.model != FitModel::quadratic) continue;
    ++found;
    CHECK_FALSE(fit->model.fits);
    CHECK(fit->model.aging_s_per_day_per_year == doctest::Approx(change / days * 365.25).epsilon(0.1));
    CHECK(fit->model.linear_rate_s_per_day == doctest::Approx(2.0).epsilon(0.05));
    covered += fit->ci95_low_s_per_day <= 3.0 && 3.0 <= fit->ci95_high_s_per_day;
  }
  MESSAGE("aging found " << found << "/" << trials << ", rate now covered " << covered);
  CHECK(found == trials);
  CHECK(covered >= 0.92 * trials);
  // Not every log covered (an interval that always covers is too wide): seen
  // 284-298 of 300 over 40 seeds, mean 96.7%.
  CHECK(covered < trials);
}

TEST_CASE("model check: the prediction with aging is widened to cover 30 days ahead") {
  std::mt19937_64 rng(model_seed() + 1);
  const double rate = 1.0, curve = 1.0 / 120.0;
  const auto truth = [&](double d) { return rate * d + curve * d * d; };
  int covered = 0;
  const int trials = 200;
  for (int t = 0; t < trials; ++t) {
    auto fit = fit_drift(model_log(rng, 10, 60.0, rate, curve, 0.2, 0.2, no_wave));
    REQUIRE(fit.ok());
    // What is left after 30 more days with the fitted rate taken out.
    const double left = truth(90.0) - truth(60.0) - fit->rate_s_per_day * 30.0;
    covered += std::fabs(left) <= error_after_days(*fit, 30.0).corrected_half_width_s;
  }
  MESSAGE("30 days ahead covered " << covered << "/" << trials);
  CHECK(covered >= 0.9 * trials);
}

TEST_CASE("model check: clean logs raise no alarm (false-alarm rate ~1e-3)") {
  std::mt19937_64 rng(model_seed() + 2);
  int alarms = 0, quadratic = 0;
  const int trials = 500;
  for (int t = 0; t < trials; ++t) {
    auto fit = fit_drift(model_log(rng, 20, 60.0, 1.5, 0.0, 0.2, 0.2, no_wave));
    REQUIRE(fit.ok());
    alarms += fit->model.fits ? 0 : 1;
    quadratic += fit->model.model == FitModel::quadratic ? 1 : 0;
  }
  MESSAGE("false alarms " << alarms << "/" << trials << ", quadratic chosen " << quadratic);
  // At the F-test's 1e-3 about 0.5 of 500 clean logs switch to the curve;
  // more than 4 (P < 0.002) would be a broken test, not chance.
  CHECK(quadratic <= 4);
  CHECK(alarms <= 4);
}

TEST_CASE("model check: a sawtooth (on/off temperature) gives too few runs") {
  std::mt19937_64 rng(model_seed() + 3);
  // 10 days a little faster, 10 days a little slower, over 120 days.
  auto wave = [](double d) {
    const double phase = std::fmod(d, 20.0);
    return phase < 10.0 ? 0.2 * phase : 0.2 * (20.0 - phase);
  };
  int found = 0;
  for (int t = 0; t < 50; ++t) {
    auto fit = fit_drift(model_log(rng, 61, 120.0, 0.5, 0.0, 0.05, 0.05, wave));
    REQUIRE(fit.ok());
    found += fit->model.too_few_runs ? 1 : 0;
    if (fit->model.too_few_runs) CHECK(fit->model.widening > 1.0);
  }
  CHECK(found >= 48);
}


TEST_CASE("model check: aging with mixed sigmas (beeps and NTP) is covered, now and 30 days ahead") {
  // The bench's aging scenario: the line's outlier test used to throw out the
  // precise readings that show the curve (coverage 55-88%); they are re-tested
  // against the quadratic now.
  std::mt19937_64 rng(model_seed() + 4);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  int covered = 0, ahead = 0;
  const int trials = 200;
  for (int t = 0; t < trials; ++t) {
    rtcal::fitsim::Scenario s;
    s.rate_s_per_day = (u(rng) - 0.5) * 10;
    s.n = 10;
    s.span_days = 60;
    auto sim = rtcal::fitsim::simulate(s, rng);
    const double change = u(rng) < 0.5 ? -2.0 : 2.0, a = 0.5 * change / s.span_days;  // e += a d^2
    for (auto& r : sim.records) r.rtc_error_s += a * std::pow((r.time_unix_s - s.start_unix_s) / kModelDay, 2);
    auto fit = fit_drift(sim.records);
    REQUIRE(fit.ok());
    const double now = s.rate_s_per_day + change;
    covered += fit->ci95_low_s_per_day <= now && now <= fit->ci95_high_s_per_day;
    const double left = now * 30.0 + a * 900.0 - fit->rate_s_per_day * 30.0;
    ahead += std::fabs(left) <= error_after_days(*fit, 30.0).corrected_half_width_s;
  }
  MESSAGE("mixed-sigma aging: rate now covered " << covered << ", 30 days ahead " << ahead << " of " << trials);
  CHECK(covered >= 0.9 * trials);
  CHECK(ahead >= 0.9 * trials);
}

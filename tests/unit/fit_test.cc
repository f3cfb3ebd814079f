// The drift fit (calibration/fit) on synthetic logs with known answers: exact
// lines, known steps, resets, a gross outlier, an hour jump, the refusals;
// then properties over random seeds (printed; replay with RTCAL_SEED=<seed>):
// the rate is recovered and the 95% interval covers the truth ~95% of the time.
#include "calibration/fit.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <random>

#include <doctest/doctest.h>

#include "tests/bench/fit_sim.h"
#include "tests/unit/test_support.h"

using namespace rtcal::calibration;
using rtcal::fitsim::measurement;

namespace {

using rtcal::test_support::kDay;

constexpr double kT0 = 1790000000.0;

Observation step(double t, double amount) {
  Observation r;
  r.type = ObservationType::step;
  r.time_unix_s = t;
  r.amount_s = amount;
  return r;
}

Observation reset(double t) {
  Observation r;
  r.type = ObservationType::reset;
  r.time_unix_s = t;
  return r;
}

// Measurements on the exact line error = offset + rate * day.
std::vector<Observation> line(double offset, double rate, std::initializer_list<double> days, double sigma = 0.2) {
  std::vector<Observation> out;
  for (double d : days) out.push_back(measurement(kT0 + d * kDay, offset + rate * d, sigma));
  return out;
}

unsigned test_seed(const char* what) {
  unsigned seed = std::random_device{}();
  if (const char* fixed = std::getenv("RTCAL_SEED")) seed = static_cast<unsigned>(std::strtoul(fixed, nullptr, 10));
  std::cout << what << ": seed " << seed << " (replay with RTCAL_SEED=" << seed << ")\n";
  return seed;
}

}  // namespace

TEST_CASE("fit: an exact line gives its rate, factor, ppm and the two-point answer") {
  auto fit = fit_drift(line(3.0, 0.4, {0, 10, 20, 31}));
  REQUIRE(fit.ok());
  CHECK(fit->rate_s_per_day == doctest::Approx(0.4).epsilon(1e-9));
  // The factor is per RTC day: -0.4 / (1 + 0.4/86400) (calibration/drift.h).
  CHECK(fit->factor_s_per_day == doctest::Approx(-0.4 / (1.0 + 0.4 / 86400.0)).epsilon(1e-9));
  CHECK(fit->rate_ppm == doctest::Approx(0.4 / 0.0864).epsilon(1e-9));
  CHECK(fit->n == 4);
  CHECK(fit->dof == 2);
  CHECK(fit->segments.size() == 1);
  CHECK(fit->outliers.empty());
  CHECK(fit->hour_jumps.empty());
  REQUIRE(fit->two_point_factor_s_per_day.has_value());
  CHECK(*fit->two_point_factor_s_per_day == doctest::Approx(-0.4 / (1.0 + 0.4 / 86400.0)).epsilon(1e-9));
  CHECK(fit->ci95_low_s_per_day < 0.4);
  CHECK(fit->ci95_high_s_per_day > 0.4);
  // Perfect data: chi2 = 0, sigmas trusted, the normal quantile.
  CHECK(fit->sigma_scale == 1.0);
  CHECK(fit->quantile == doctest::Approx(1.959964).epsilon(1e-6));
  for (const auto& p : fit->points) CHECK(std::fabs(p.residual_s) < 1e-9);
}

TEST_CASE("fit: the interval is the Cramer-Rao standard error times 1.96") {
  auto records = line(0.0, -1.0, {0, 5, 20}, 0.1);
  auto fit = fit_drift(records);
  REQUIRE(fit.ok());
  const double crb = rtcal::fitsim::cramer_rao_sigma_s_per_day(records);
  CHECK(fit->rate_sigma_s_per_day == doctest::Approx(crb).epsilon(1e-9));
  CHECK(fit->ci95_high_s_per_day - fit->ci95_low_s_per_day == doctest::Approx(2 * 1.959964 * crb).epsilon(1e-6));
}

TEST_CASE("fit: known steps are taken out of later points") {
  auto records = line(2.0, 0.5, {0, 10});
  records.push_back(step(kT0 + 10.5 * kDay, -7.0));  // adjust took 7 s off
  for (double d : {20.0, 30.0}) records.push_back(measurement(kT0 + d * kDay, 2.0 + 0.5 * d - 7.0, 0.2));
  auto fit = fit_drift(records);
  REQUIRE(fit.ok());
  CHECK(fit->rate_s_per_day == doctest::Approx(0.5).epsilon(1e-9));
  CHECK(fit->points[2].steps_s == -7.0);
  CHECK(fit->points[2].corrected_error_s == doctest::Approx(2.0 + 10.0).epsilon(1e-12));
  CHECK(*fit->two_point_rate_s_per_day == doctest::Approx(0.5).epsilon(1e-9));
  // In the RTC's own terms the line includes the step after it happened.
  CHECK(predict_rtc_error(*fit, 0, kT0 + 30 * kDay).corrected_error_s == doctest::Approx(2.0 + 15.0 - 7.0).epsilon(1e-9));
  CHECK(predict_line(*fit, 0, kT0 + 30 * kDay).corrected_error_s == doctest::Approx(17.0).epsilon(1e-9));
}

TEST_CASE("fit: a reset starts a segment with its own intercept and the shared rate") {
  auto records = line(5.0, -0.3, {0, 7, 14});
  records.push_back(reset(kT0 + 15 * kDay));
  for (double d : {16.0, 40.0}) records.push_back(measurement(kT0 + d * kDay, -100.0 - 0.3 * (d - 16), 0.2));
  auto fit = fit_drift(records);
  REQUIRE(fit.ok());
  CHECK(fit->segments.size() == 2);
  CHECK(fit->rate_s_per_day == doctest::Approx(-0.3).epsilon(1e-9));
  CHECK(fit->dof == 5 - 3);
  CHECK(fit->points[3].segment == 1);
  CHECK(fit->points[3].record_index == 4);
  CHECK(predict_line(*fit, 1, kT0 + 16 * kDay).corrected_error_s == doctest::Approx(-100.0).epsilon(1e-9));
  CHECK(fit->segments[1].start_unix_s == kT0 + 16 * kDay);
  CHECK(fit->segments[1].end_unix_s == kT0 + 40 * kDay);
  // Two-point: the last segment with two points, across 24 days.
  CHECK(*fit->two_point_rate_s_per_day == doctest::Approx(-0.3).epsilon(1e-9));
}

TEST_CASE("fit: a gross outlier is flagged, shown and kept out of the fit") {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> noise(0, 0.2);
  std::vector<Observation> records;
  for (int d = 0; d <= 40; d += 5) records.push_back(measurement(kT0 + d * kDay, 1.0 + 0.8 * d + noise(rng), 0.2));
  records[4].rtc_error_s += 60.0;  // a reading a minute off
  auto fit = fit_drift(records);
  REQUIRE(fit.ok());
  REQUIRE(fit->outliers == std::vector<int>{4});
  CHECK(fit->points[4].outlier);
  CHECK(fit->points[4].residual_s == doctest::Approx(60.0).epsilon(0.02));
  CHECK(fit->points[4].normalized_residual > 100);
  CHECK(fit->n == 8);
  CHECK(std::fabs(fit->rate_s_per_day - 0.8) < 5 * fit->rate_sigma_s_per_day);
  CHECK(fit->sigma_scale < 2.0);
}

TEST_CASE("fit: an hour jump is recognised as a step, not taken for drift") {
  auto records = line(0.5, 0.2, {0, 3, 9, 12});
  for (double d : {20.0, 30.0}) records.push_back(measurement(kT0 + d * kDay, 0.5 + 0.2 * d + 3600.0, 0.2));
  auto fit = fit_drift(records);
  REQUIRE(fit.ok());
  REQUIRE(fit->hour_jumps.size() == 1);
  CHECK(fit->hour_jumps[0].amount_s == 3600.0);
  CHECK(fit->hour_jumps[0].after_record_index == 4);
  CHECK(fit->points[4].hour_jump);
  CHECK_FALSE(fit->points[5].hour_jump);
  CHECK(fit->rate_s_per_day == doctest::Approx(0.2).epsilon(1e-9));
  CHECK(fit->outliers.empty());
  // The two-point method does not know about it.
  CHECK(*fit->two_point_rate_s_per_day == doctest::Approx(0.2 + 3600.0 / 30).epsilon(1e-9));
  // Half an hour (a half-hour time zone) and minus an hour too.
  auto half = line(0.0, -0.1, {0, 5, 10});
  half.push_back(measurement(kT0 + 15 * kDay, -1.5 - 1800.0, 0.2));
  half.push_back(measurement(kT0 + 25 * kDay, -2.5 - 1800.0, 0.2));
  auto fit2 = fit_drift(half);
  REQUIRE(fit2.ok());
  REQUIRE(fit2->hour_jumps.size() == 1);
  CHECK(fit2->hour_jumps[0].amount_s == -1800.0);
  CHECK(fit2->rate_s_per_day == doctest::Approx(-0.1).epsilon(1e-9));
}

TEST_CASE("fit: too little data is an error naming the fix") {
  CHECK_FALSE(fit_drift({}).ok());
  CHECK(fit_drift({}).error().cause == "no measurements yet");
  auto one = fit_drift(line(0, 1, {0}));
  REQUIRE_FALSE(one.ok());
  CHECK(one.error().message().find("take another measurement later") != std::string::npos);
  auto same_time = line(0, 1, {3, 3});
  CHECK_FALSE(fit_drift(same_time).ok());
  // One point in each of two segments: no segment gives a rate.
  auto split = line(0, 1, {0});
  split.push_back(reset(kT0 + kDay));
  split.push_back(measurement(kT0 + 2 * kDay, 4.0, 0.2));
  CHECK_FALSE(fit_drift(split).ok());
}

TEST_CASE("fit: Student's t quantiles") {
  CHECK(student_t_quantile(0.95, 1) == doctest::Approx(12.7062).epsilon(1e-5));
  CHECK(student_t_quantile(0.95, 2) == doctest::Approx(4.30265).epsilon(1e-5));
  CHECK(student_t_quantile(0.95, 5) == doctest::Approx(2.57058).epsilon(1e-5));
  CHECK(student_t_quantile(0.95, 30) == doctest::Approx(2.04227).epsilon(1e-5));
  CHECK(student_t_quantile(0.99, 10) == doctest::Approx(3.16927).epsilon(1e-5));
  CHECK(student_t_quantile(0.95, 0) == doctest::Approx(1.959964).epsilon(1e-6));
}

TEST_CASE("fit: the advised next measurement halves the rate's standard error") {
  auto records = line(0.0, 0.4, {0, 2, 5}, 0.2);
  auto fit = fit_drift(records);
  REQUIRE(fit.ok());
  CHECK(typical_sigma_s(*fit) == 0.2);
  const auto next = next_measurement(*fit, 0.2);
  CHECK(next.days_after_last > 0);
  records.push_back(measurement(next.time_unix_s, 0.4 * (next.time_unix_s - kT0) / kDay, 0.2));
  auto refit = fit_drift(records);
  REQUIRE(refit.ok());
  CHECK(refit->rate_sigma_s_per_day == doctest::Approx(fit->rate_sigma_s_per_day / 2).epsilon(1e-9));
  const auto after = error_after_days(*fit, 100);
  CHECK(after.uncorrected_s == doctest::Approx(40.0).epsilon(1e-9));
  CHECK(after.corrected_sigma_s == doctest::Approx(100 * fit->rate_sigma_s_per_day).epsilon(1e-9));
  CHECK(after.predicted_error_s == doctest::Approx(0.4 * 105).epsilon(1e-9));
}

TEST_CASE("fit: property: recovers known rates over random logs") {
  std::mt19937_64 rng(test_seed("fit: recovers known rates"));
  std::uniform_real_distribution<double> u(0, 1);
  int far = 0;
  for (int trial = 0; trial < 300; ++trial) {
    rtcal::fitsim::Scenario s;
    s.rate_s_per_day = (u(rng) - 0.5) * 20;
    s.offset_s = (u(rng) - 0.5) * 100;
    s.n = 3 + static_cast<int>(u(rng) * 18);
    s.span_days = 1 + u(rng) * 89;
    s.outlier = s.n >= 6 && u(rng) < 0.5;
    auto sim = rtcal::fitsim::simulate(s, rng);
    auto fit = fit_drift(sim.records);
    REQUIRE(fit.ok());
    INFO("trial " << trial << " n " << s.n << " span " << s.span_days << " outlier " << sim.outlier_index);
    // Within 6 sigma, but for about one log in 300 since the sigma scale is
    // estimated from the residuals (a known weakness of the downscaling at
    // small dof, issue 13): counted and bounded.
    if (std::fabs(fit->rate_s_per_day - s.rate_s_per_day) >= 6 * fit->rate_sigma_s_per_day) ++far;
    CHECK(fit->hour_jumps.empty());
    if (s.outlier) CHECK(fit->outliers == std::vector<int>{sim.outlier_index});
  }
  MESSAGE(far << " of 300 logs beyond 6 sigma");
  CHECK(far <= 4);
}

TEST_CASE("fit: property: the 95% interval covers the truth about 95% of the time") {
  std::mt19937_64 rng(test_seed("fit: interval coverage"));
  std::uniform_real_distribution<double> u(0, 1);
  for (double misjudged : {1.0, 4.0}) {  // the true scatter is this times the recorded sigma
    int covered = 0;
    const int trials = 4000;
    for (int trial = 0; trial < trials; ++trial) {
      rtcal::fitsim::Scenario s;
      s.rate_s_per_day = (u(rng) - 0.5) * 4;
      s.n = 3 + static_cast<int>(u(rng) * 10);
      s.span_days = 1 + u(rng) * 60;
      s.beep_sigma_s *= misjudged;
      s.ntp_sigma_s *= misjudged;
      auto sim = rtcal::fitsim::simulate(s, rng);
      for (auto& r : sim.records) r.sigma_s /= misjudged;
      auto fit = fit_drift(sim.records);
      REQUIRE(fit.ok());
      covered += fit->ci95_low_s_per_day <= s.rate_s_per_day && s.rate_s_per_day <= fit->ci95_high_s_per_day;
    }
    const double coverage = static_cast<double>(covered) / trials;
    std::cout << "fit: coverage with sigma misjudged x" << misjudged << ": " << coverage << '\n';
    INFO("misjudged " << misjudged << " coverage " << coverage);
    if (misjudged == 1.0) {
      CHECK(coverage > 0.93);
      CHECK(coverage < 0.985);
    } else {
      CHECK(coverage > 0.85);  // understated sigmas: the scatter rescues most of it
    }
  }
}

TEST_CASE("fit: an outlier that another reading could equally explain is flagged as ambiguous") {
  // Two readings close together at the start, two later; either later one
  // could be the bad one.
  std::vector<Observation> records = line(0.0, 1.0, {0, 0.02}, 0.2);
  records.push_back(measurement(kT0 + 5.7 * kDay, 5.7, 0.2));
  records.push_back(measurement(kT0 + 7 * kDay, 7.0 + 60.0, 0.2));
  auto fit = fit_drift(records);
  REQUIRE(fit.ok());
  CHECK(fit->outliers.size() == 1);
  CHECK(fit->outlier_ambiguous);
  // Spread out, the same outlier is clear.
  auto clear = line(0.0, 1.0, {0, 2, 4, 5.7}, 0.2);
  clear.push_back(measurement(kT0 + 7 * kDay, 7.0 + 60.0, 0.2));
  auto fit2 = fit_drift(clear);
  REQUIRE(fit2.ok());
  CHECK(fit2->outliers == std::vector<int>{4});
  CHECK_FALSE(fit2->outlier_ambiguous);
}

TEST_CASE("fit: property: up to (n-3)/2 gross typos are all found, none masking another") {
  std::mt19937_64 rng(test_seed("fit: several typos"));
  std::uniform_real_distribution<double> u(0, 1);
  int missed = 0, far = 0;
  for (int trial = 0; trial < 200; ++trial) {
    rtcal::fitsim::Scenario s;
    s.rate_s_per_day = (u(rng) - 0.5) * 10;
    s.n = 7 + static_cast<int>(u(rng) * 24);
    s.span_days = 10 + u(rng) * 80;
    auto sim = rtcal::fitsim::simulate(s, rng);
    const int typos = 1 + static_cast<int>(u(rng) * ((s.n - 3) / 2));
    std::vector<int> bad;
    while (static_cast<int>(bad.size()) < typos) {
      const int i = std::uniform_int_distribution<int>(0, s.n - 1)(rng);
      if (std::find(bad.begin(), bad.end(), i) == bad.end()) bad.push_back(i);
    }
    std::sort(bad.begin(), bad.end());
    for (int i : bad) sim.records[static_cast<size_t>(i)].rtc_error_s += (u(rng) < 0.5 ? -1e5 : 1e5);
    auto fit = fit_drift(sim.records);
    REQUIRE(fit.ok());
    INFO("trial " << trial << " n " << s.n << " typos " << typos);
    // Every typo found; at most one good reading flagged besides (the
    // leave-one-out test's 1-in-1000 false alarms add up over 200 logs).
    std::vector<int> found_bad;
    for (int i : fit->outliers)
      if (std::find(bad.begin(), bad.end(), i) != bad.end()) found_bad.push_back(i);
    // Near the breakdown point (typos close to (n-3)/2) a few per cent of
    // layouts still hide one typo: counted, not hidden (issue 13).
    if (found_bad != bad) {
      ++missed;
      continue;
    }
    CHECK(fit->outliers.size() <= bad.size() + 1);
    // The rate within 6 sigma. The sigma scale estimated from few remaining
    // readings is itself uncertain: about one log in 200 misses (seen up to
    // 8.7 sigma); counted, and bounded below.
    if (std::fabs(fit->rate_s_per_day - s.rate_s_per_day) >= 6 * fit->rate_sigma_s_per_day) ++far;
  }
  std::cout << "fit: several typos: " << missed << " of 200 logs kept a typo, " << far << " beyond 6 sigma\n";
  CHECK(far <= 4);
  CHECK(missed <= 24);
}

TEST_CASE("fit: an unlogged step is found where it is, and clean logs rarely show one") {
  std::mt19937_64 rng(test_seed("fit: change point"));
  std::uniform_real_distribution<double> u(0, 1);
  int false_alarms = 0, misplaced = 0;
  for (int trial = 0; trial < 200; ++trial) {
    rtcal::fitsim::Scenario s;
    s.rate_s_per_day = (u(rng) - 0.5) * 10;
    s.n = 20 + static_cast<int>(u(rng) * 20);
    s.span_days = 60;
    auto sim = rtcal::fitsim::simulate(s, rng);
    auto clean = fit_drift(sim.records);
    REQUIRE(clean.ok());
    false_alarms += clean->change_point.has_value();
    const int from = s.n / 3 + static_cast<int>(u(rng) * (s.n / 3));
    const double step = (u(rng) < 0.5 ? -1 : 1) * (20 + 80 * u(rng));
    for (int i = from; i < s.n; ++i) sim.records[static_cast<size_t>(i)].rtc_error_s += step;
    auto fit = fit_drift(sim.records);
    REQUIRE(fit.ok());
    INFO("trial " << trial << " n " << s.n << " step " << step << " before " << from << "; model "
                  << std::string(fit_model_name(fit->model.model)) << ", outliers " << fit->outliers.size() << ", sigmas "
                  << std::string(sigma_check_name(fit->sigmas)) << " x" << fit->sigma_scale);
    // With rough and precise readings mixed, a step between two rough ones
    // is sometimes missed or placed a few readings off (a known weakness, ~3%).
    if (!fit->change_point || fit->change_point->after_record_index != from) {
      ++misplaced;
      continue;
    }
    CHECK(fit->segments.size() == 2);
    CHECK(fit->change_point->step_s == doctest::Approx(step).epsilon(0.02));
    CHECK(std::fabs(fit->rate_s_per_day - s.rate_s_per_day) < 6 * fit->rate_sigma_s_per_day);
  }
  std::cout << "fit: change point: " << misplaced << " of 200 steps missed or misplaced\n";
  CHECK(misplaced <= 16);
  CHECK(false_alarms <= 2);  // alpha 0.001 per log: a few in 200 at most
}

TEST_CASE("fit: a plain step is found though the one precise reading before it is flagged") {
  // `rtcal_bench_drift --trials 1000 --seed 3`, an unlogged reset at n = 20
  // (its one miss in 500): -80 s between readings 8 and 9; one NTP reading
  // (2 ms) before the step, three after. The line through all of them flags
  // the NTP reading before the step, scatters 290 times its sigmas, and the
  // scan, in sigmas scaled by that, saw a gain of 6 where refitting with a
  // reset there gains 1.4e6: the step was missed and the rate 0.71 s/day, true
  // 0.329, with an interval of +-9 s/day.
  const double rows[20][3] = {
      {1790000000, 9.790246, 0.002},   {1790888565, 13.336408, 0.2},   {1791200292, 14.154112, 0.2},
      {1791641426, 16.198658, 0.2},    {1791703798, 15.993874, 0.2},   {1791981333, 17.353694, 0.2},
      {1792442179, 19.254557, 0.2},    {1792573498, 19.899020, 0.2},   {1792657051, 19.890454, 0.2},
      {1793890340, -60.996697, 0.2},   {1794010501, -60.236948, 0.002}, {1794050838, -60.488187, 0.2},
      {1794177049, -59.601076, 0.002}, {1794183065, -59.387977, 0.2},  {1794409615, -58.607658, 0.2},
      {1794882092, -56.866627, 0.2},   {1794946988, -56.536659, 0.2},  {1795028027, -56.164988, 0.2},
      {1795065690, -56.241200, 0.2},   {1795184000, -55.767199, 0.002}};
  auto fit = fit_drift(rtcal::fitsim::log_of(rows));
  REQUIRE(fit.ok());
  REQUIRE(fit->change_point.has_value());
  CHECK(fit->change_point->after_record_index == 9);
  // The readings' difference less the drift over the 14.27 days between.
  CHECK(fit->change_point->step_s == doctest::Approx(-80.887 - 0.3289 * 14.274).epsilon(0.01));
  CHECK(fit->outliers.empty());
  CHECK(fit->ci95_low_s_per_day <= 0.3289);
  CHECK(0.3289 <= fit->ci95_high_s_per_day);
  CHECK(fit->ci95_high_s_per_day - fit->ci95_low_s_per_day < 0.01);
}

TEST_CASE("fit: a step among 7 readings is found where the fit without it flagged two of them") {
  // `rtcal_bench_drift --trials 1000 --seed 1`, unlogged reset at n = 7 (its
  // worst trial, 4470 bounds off): -13.3 s between readings 2 and 3. The fit
  // without the step flags readings 1 and 2 (NTP), and the chance threshold
  // was taken at its 2 degrees of freedom (t^2 = 2000) where the refit with
  // the step has 4 (74): the step was never tried, the rate 2.29 s/day
  // (true 2.518) with an interval of +-1.1 s/day.
  const double rows[7][3] = {{1790000000, -8.675641, 0.002}, {1790311421, 0.403036, 0.002},
                             {1794339296, 117.808882, 0.002}, {1794867236, 119.876542, 0.2},
                             {1794929351, 121.619497, 0.2},  {1795010162, 123.858990, 0.2},
                             {1795184000, 128.906642, 0.002}};
  auto fit = fit_drift(rtcal::fitsim::log_of(rows));
  REQUIRE(fit.ok());
  REQUIRE(fit->change_point.has_value());
  CHECK(fit->change_point->after_record_index == 3);
  CHECK(fit->outliers.empty());
  const double truth = (117.808882 + 8.675641) / ((1794339296.0 - 1790000000.0) / kDay);  // the NTP readings before
  CHECK(fit->ci95_low_s_per_day <= truth);
  CHECK(truth <= fit->ci95_high_s_per_day);
  CHECK(fit->ci95_high_s_per_day - fit->ci95_low_s_per_day < 0.01);
}

TEST_CASE("fit: in a large log the step is found with the first fit let go, and a curve that is no step keeps the fit") {
  // 3,000 hourly NTP readings (beyond kBatchRejectFrom: the fit without the
  // step is let go while the fit with it is made, and fitted again when the
  // step is not taken).
  std::mt19937_64 rng(5);
  std::normal_distribution<double> noise(0.0, 0.002);
  const auto log_with = [&](double step_s, double aging_s_per_day2) {
    std::vector<Observation> log;
    for (int i = 0; i < 3000; ++i) {
      const double d = i / 24.0;
      double e = 2.0 + 0.4 * d + aging_s_per_day2 * d * d + noise(rng) + (i >= 1800 ? step_s : 0.0);
      if (i % 997 == 500) e += 1e4;  // three typos
      log.push_back(measurement(1790000000.0 + i * 3600.0, e, 0.002));
    }
    return log;
  };
  const auto stepped = fit_drift(log_with(37.0, 0.0));
  REQUIRE(stepped.ok());
  REQUIRE(stepped->change_point.has_value());
  CHECK(stepped->change_point->after_record_index == 1800);
  CHECK(stepped->change_point->step_s == doctest::Approx(37.0).epsilon(1e-3));
  CHECK(stepped->outliers.size() == 3);
  CHECK(std::fabs(stepped->rate_s_per_day - 0.4) < 4 * stepped->rate_sigma_s_per_day);
  // Aging: a split gains, the curve explains more; the fit is the one the
  // search started from, as with the search off.
  const auto aging_log = log_with(0.0, 0.01);
  const auto aged = fit_drift(aging_log);
  FitOptions off;
  off.detect_change_point = false;
  const auto plain = fit_drift(aging_log, off);
  REQUIRE(aged.ok());
  REQUIRE(plain.ok());
  CHECK_FALSE(aged->change_point.has_value());
  CHECK(aged->rate_s_per_day == plain->rate_s_per_day);
  CHECK(aged->outliers == plain->outliers);
  CHECK(aged->points.size() == 3000);
}

TEST_CASE("fit: an hour jump in a large log is taken out without a second fit in memory") {
  // 3,000 readings 5 minutes apart, +3600 s from reading 2000 on (a DST
  // change applied to the RTC): no RTC drifts half an hour in 5 minutes, so
  // the fit without the jump is not made; the jump, the rate and the
  // readings are as the search finds them.
  std::mt19937_64 rng(9);
  std::normal_distribution<double> noise(0.0, 0.002);
  std::vector<Observation> log;
  for (int i = 0; i < 3000; ++i) {
    const double t = 1790000000.0 + i * 300.0;
    log.push_back(measurement(t, 2.0 + 0.4 * (t - 1790000000.0) / kDay + noise(rng) + (i >= 2000 ? 3600.0 : 0.0), 0.002));
  }
  const auto fit = fit_drift(log);
  REQUIRE(fit.ok());
  REQUIRE(fit->hour_jumps.size() == 1);
  CHECK(fit->hour_jumps[0].after_record_index == 2000);
  CHECK(fit->hour_jumps[0].amount_s == 3600.0);
  CHECK(fit->hour_jumps[0].gap_s == 300.0);
  CHECK(fit->outliers.empty());
  CHECK_FALSE(fit->change_point.has_value());
  CHECK(std::fabs(fit->rate_s_per_day - 0.4) < 4 * fit->rate_sigma_s_per_day);
}

// Monte Carlo benchmark of the drift fit (calibration/fit), not a test:
// for cells of (measurements, span) it simulates logs with known rates and
// sigmas mixing human beeps (0.2 s) and NTP (2 ms), fits each, and prints side
// by side the RMS error of rtcal's rate, the Cramer-Rao bound (REFERENCE §4,
// RMS over the same data sets), and the two-point method (hwclock
// --update-drift / the HOWTO) on the same data; then the same data with one
// reading 60 s off. Targets: rtcal <= 1.1 x the bound without an outlier, and
// <= 2 x its own outlier-free figure with one (checked for n >= 5: with 3
// points an outlier cannot be told from the others, with 4 about 1% of the
// layouts cannot either, and those few misses dominate an RMS).
//
// A second table runs the scenarios of issue 13 with the truth known:
// clean, 1 and 2 gross typos (+-1e5 s), an unlogged reset (a step of 5-100 s
// somewhere in the middle), aging (the rate changes linearly by 2 s/day over
// the span; truth: the rate at the last reading, what a prediction needs),
// and stated sigmas half (x0.5) or twice (x2) the true scatter. For each:
// the 95% interval's coverage and the RMS error over the Cramer-Rao bound of
// the clean data with the true sigmas.
//
//   build/rtcal_bench_drift [--trials N] [--seed S] [--check CLEAN OUTLIER] [--case NAME]
//   RTCAL_BENCH_TRACE=K [RTCAL_BENCH_MISSES=1] build/rtcal_bench_drift --case NAME: print the trials
//   more than K bounds off (only those the interval misses), with half-width and misfit term
//   cmake --build build --target bench-drift
//
// --check makes it exit 1 when a cell misses ratio limits CLEAN and OUTLIER
// (the CI smoke test uses few trials and loose limits).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

#include "calibration/fit.h"
#include "tests/bench/fit_sim.h"

namespace {

using rtcal::calibration::fit_drift;

struct Args {
  int trials = 2000;
  unsigned seed = std::random_device{}();
  double check_clean = 0.0, check_outlier = 0.0;  // 0: no check
  std::string only;  // --case NAME: only that scenario row (no first table)
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string s = argv[i];
    if (s == "--trials" && i + 1 < argc) a.trials = std::atoi(argv[++i]);
    else if (s == "--seed" && i + 1 < argc) a.seed = static_cast<unsigned>(std::strtoul(argv[++i], nullptr, 10));
    else if (s == "--case" && i + 1 < argc) a.only = argv[++i];
    else if (s == "--check" && i + 2 < argc) a.check_clean = std::atof(argv[++i]), a.check_outlier = std::atof(argv[++i]);
    else {
      std::fprintf(stderr, "usage: %s [--trials N] [--seed S] [--check CLEAN OUTLIER] [--case NAME]\n", argv[0]);
      std::exit(2);
    }
  }
  return a;
}

// Squared errors summed over trials; z2 sums are normalized by the data
// set's own bound (so data sets with few NTP points do not dominate).
struct Sums {
  double fit2 = 0, crb2 = 0, two2 = 0, out_fit2 = 0, out_two2 = 0, good_crb2 = 0;
  double z2 = 0, out_z2 = 0;
  int found = 0, trials = 0;
  double rms(double sum) const { return std::sqrt(sum / trials); }
};

// One trial: the same data set without and with an outlier.
void trial(Sums& sums, int n, double span, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0, 1);
  rtcal::fitsim::Scenario s;
  s.rate_s_per_day = (u(rng) - 0.5) * 10;
  s.offset_s = (u(rng) - 0.5) * 100;
  s.n = n;
  s.span_days = span;
  auto sim = rtcal::fitsim::simulate(s, rng);
  auto clean = fit_drift(sim.records);
  if (!clean) std::abort();
  const double crb = rtcal::fitsim::cramer_rao_sigma_s_per_day(sim.records);
  sums.fit2 += std::pow(clean->rate_s_per_day - s.rate_s_per_day, 2);
  sums.crb2 += crb * crb;
  sums.two2 += std::pow(*clean->two_point_rate_s_per_day - s.rate_s_per_day, 2);
  const int bad = std::uniform_int_distribution<int>(0, n - 1)(rng);
  sim.records[static_cast<size_t>(bad)].rtc_error_s += (u(rng) < 0.5 ? -60.0 : 60.0);
  auto dirty = fit_drift(sim.records);
  if (!dirty) std::abort();
  const double good_crb = rtcal::fitsim::cramer_rao_sigma_s_per_day(sim.records, bad);
  sums.z2 += std::pow((clean->rate_s_per_day - s.rate_s_per_day) / crb, 2);
  sums.out_z2 += std::pow((dirty->rate_s_per_day - s.rate_s_per_day) / good_crb, 2);
  sums.good_crb2 += good_crb * good_crb;
  sums.out_fit2 += std::pow(dirty->rate_s_per_day - s.rate_s_per_day, 2);
  sums.out_two2 += std::pow(*dirty->two_point_rate_s_per_day - s.rate_s_per_day, 2);
  sums.found += dirty->outliers == std::vector<int>{bad};
  ++sums.trials;
}

// The Cramer-Rao bound (s/day) of the readings not in `skip`, with a
// separate intercept from index `split` on (-1: one segment).
double bound_without(const std::vector<rtcal::calibration::Observation>& recs, const std::vector<int>& skip, int split) {
  double sxx = 0;
  for (int part = 0; part < 2; ++part) {
    double W = 0, Wt = 0;
    const auto in = [&](int i) {
      return std::find(skip.begin(), skip.end(), i) == skip.end() && (split < 0 ? part == 0 : (i >= split) == (part == 1));
    };
    for (int i = 0; i < static_cast<int>(recs.size()); ++i)
      if (in(i)) W += 1 / (recs[i].sigma_s * recs[i].sigma_s), Wt += recs[i].time_unix_s / (recs[i].sigma_s * recs[i].sigma_s);
    if (W == 0) continue;
    for (int i = 0; i < static_cast<int>(recs.size()); ++i)
      if (in(i)) sxx += std::pow(recs[i].time_unix_s - Wt / W, 2) / (recs[i].sigma_s * recs[i].sigma_s);
  }
  return 86400.0 / std::sqrt(sxx);
}

enum class Case { clean, one_outlier, two_outliers, reset, aging, sawtooth, sigma_half, sigma_double };
constexpr Case kCases[] = {Case::clean, Case::one_outlier, Case::two_outliers, Case::reset,
                           Case::aging, Case::sawtooth, Case::sigma_half, Case::sigma_double};

const char* case_name(Case c) {
  switch (c) {
    case Case::clean: return "clean";
    case Case::one_outlier: return "1 outlier";
    case Case::two_outliers: return "2 outliers";
    case Case::reset: return "unlogged reset";
    case Case::aging: return "aging";
    case Case::sawtooth: return "on/off sawtooth";
    case Case::sigma_half: return "sigma x0.5";
    case Case::sigma_double: return "sigma x2";
  }
  return "?";
}

struct CaseResult {
  int covered = 0, trials = 0, found = 0;
  double z2 = 0;
};

// One trial of one scenario: n readings over 60 days.
void scenario_trial(CaseResult& res, Case c, int n, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0, 1);
  rtcal::fitsim::Scenario s;
  s.rate_s_per_day = (u(rng) - 0.5) * 10;
  s.offset_s = (u(rng) - 0.5) * 100;
  s.n = n;
  s.span_days = 60;
  auto sim = rtcal::fitsim::simulate(s, rng);
  auto& recs = sim.records;
  double crb = rtcal::fitsim::cramer_rao_sigma_s_per_day(recs);
  double truth = s.rate_s_per_day;
  double aging_s_per_day2 = 0.0;  // e += aging * d^2 (d in days from the first reading)
  std::vector<int> bad;
  if (c == Case::one_outlier || c == Case::two_outliers) {
    while (static_cast<int>(bad.size()) < (c == Case::one_outlier ? 1 : 2)) {
      const int i = std::uniform_int_distribution<int>(0, n - 1)(rng);
      if (std::find(bad.begin(), bad.end(), i) == bad.end()) bad.push_back(i);
    }
    for (int i : bad) recs[static_cast<size_t>(i)].rtc_error_s += (u(rng) < 0.5 ? -1e5 : 1e5);
    std::sort(bad.begin(), bad.end());
    crb = bound_without(recs, bad, -1);  // what the good readings can give
  } else if (c == Case::reset) {
    const int from = n / 3 + std::uniform_int_distribution<int>(0, std::max(0, n / 3))(rng);
    const double step = (u(rng) < 0.5 ? -1 : 1) * (5 + 95 * u(rng));
    for (int i = from; i < n; ++i) recs[static_cast<size_t>(i)].rtc_error_s += step;
    crb = bound_without(recs, {}, from);  // as if the reset were logged
  } else if (c == Case::aging) {
    const double change = (u(rng) < 0.5 ? -2.0 : 2.0);  // s/day over the span
    const double t0 = recs.front().time_unix_s;
    for (auto& r : recs) {
      const double d = (r.time_unix_s - t0) / 86400.0;
      r.rtc_error_s += 0.5 * change / s.span_days * d * d;
    }
    truth += change;
    aging_s_per_day2 = 0.5 * change / s.span_days;
  } else if (c == Case::sawtooth) {
    // 10 days a little faster, 10 a little slower (+-0.2 s/day), 2 s peak.
    const double t0 = recs.front().time_unix_s;
    for (auto& r : recs) {
      const double phase = std::fmod((r.time_unix_s - t0) / 86400.0, 20.0);
      r.rtc_error_s += phase < 10.0 ? 0.2 * phase : 0.2 * (20.0 - phase);
    }
  } else if (c == Case::sigma_half || c == Case::sigma_double) {
    for (auto& r : recs) r.sigma_s *= c == Case::sigma_half ? 0.5 : 2.0;
  }
  auto fit = fit_drift(recs);
  if (!fit) std::abort();
  res.trials++;
  res.covered += fit->ci95_low_s_per_day <= truth && truth <= fit->ci95_high_s_per_day;
  res.z2 += std::pow((fit->rate_s_per_day - truth) / crb, 2);
  const bool miss = !(fit->ci95_low_s_per_day <= truth && truth <= fit->ci95_high_s_per_day);
  if (const char* trace = std::getenv("RTCAL_BENCH_TRACE");  // print the trials worse than this many bounds
      trace && std::fabs(fit->rate_s_per_day - truth) > std::atof(trace) * crb && (!std::getenv("RTCAL_BENCH_MISSES") || miss)) {
    std::printf("\n  trace %s n=%d: error %.3g bounds (%.3g s/day, half-width %.3g, misfit %d %.3g), model %s fits %d, "
                "outliers %zu, change point %d, sigmas %s x%.2f\n",
                case_name(c), n, (fit->rate_s_per_day - truth) / crb, fit->rate_s_per_day - truth,
                fit->ci95_high_s_per_day - fit->rate_s_per_day, fit->model.misfit, fit->model.misfit_s_per_day,
                rtcal::calibration::fit_model_name(fit->model.model),
                fit->model.fits, fit->outliers.size(), fit->change_point.has_value(),
                rtcal::calibration::sigma_check_name(fit->sigmas), fit->sigma_scale);
    for (const auto& r : recs) std::printf("    %.0f %.6f %.3f\n", r.time_unix_s, r.rtc_error_s, r.sigma_s);
  }
  if (!bad.empty()) res.found += fit->outliers == bad;
  if (c == Case::reset) res.found += fit->change_point.has_value();
  if (c == Case::aging) {  // found: the error 30 days after the last reading, corrected, within its interval
    const double left = truth * 30.0 + aging_s_per_day2 * 30.0 * 30.0 - fit->rate_s_per_day * 30.0;
    res.found += std::fabs(left) <= rtcal::calibration::error_after_days(*fit, 30.0).corrected_half_width_s;
  }
}

// The scenario table; with `check`, whether the targets hold loosely:
// coverage >= 85% and RMS <= 1.5 x the bound (few trials) for clean, sigma x2, sigma x0.5
// (n >= 10), 1 outlier (n >= 5) and 2 outliers (n >= 7).
bool scenario_table(int trials, std::mt19937_64& rng, bool check, const std::string& only) {
  std::printf("\nScenarios (60 days; coverage of the 95%% interval; x: RMS error over the Cramer-Rao bound of the\n"
              "good readings with their true sigmas (a reset counted as logged); found: outliers exactly flagged / the\n"
              "reset found as a change point / for aging, the error 30 days ahead within its 95%% interval):\n");
  const int sizes[] = {5, 7, 10, 20, 50};
  std::printf("%-15s", "case");
  for (int n : sizes) std::printf(" | n=%-2d cover  x  found", n);
  std::printf("\n");
  bool pass = true;
  for (Case c : kCases) {
    if (!only.empty() && only != case_name(c)) continue;
    std::printf("%-15s", case_name(c));
    for (int n : sizes) {
      CaseResult r;
      for (int t = 0; t < trials; ++t) scenario_trial(r, c, n, rng);
      const double cover = 100.0 * r.covered / r.trials, x = std::sqrt(r.z2 / r.trials);
      const bool has_found = c == Case::one_outlier || c == Case::two_outliers || c == Case::reset || c == Case::aging;
      std::printf(" | %5.1f%% %5.2g %5s", cover, x, has_found ? (std::to_string(100 * r.found / r.trials) + "%").c_str() : "-");
      const bool checked = c == Case::clean || c == Case::sigma_double || (c == Case::sigma_half && n >= 10) ||
                           (c == Case::one_outlier && n >= 5) || (c == Case::two_outliers && n >= 5);
      if (check && checked && (cover < 85.0 || x > 1.5)) {
        std::printf("*");
        pass = false;
      }
    }
    std::printf("\n");
  }
  if (check) std::printf("(* misses the smoke check: coverage >= 85%% and x <= 1.5 for clean, sigma x2, sigma x0.5 n>=10, 1 outlier n>=5, 2 outliers n>=5)\n");
  return pass;
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = parse(argc, argv);
  std::mt19937_64 rng(args.seed);
  std::printf("rtcal drift-fit benchmark: seed %u, %d trials per cell (replay: --seed %u --trials %d)\n",
              args.seed, args.trials, args.seed, args.trials);
  std::printf("rates uniform in +-5 s/day; each sigma 0.2 s (beep) or 2 ms (NTP) at even odds; outlier: one reading 60 s off\n");
  std::printf("RMS rate errors in s/day.\n\n");
  std::printf("%3s %5s | %9s %9s %5s %9s | %9s %9s %5s %9s %6s\n", "n", "days", "bound", "rtcal", "x", "2-point",
              "bound-1", "rtcal+out", "x", "2pt+out", "found");
  bool pass = true;
  for (int n : {3, 4, 5, 10, 20}) {
    if (!args.only.empty()) break;
    for (double span : {1.0, 7.0, 30.0, 90.0}) {
      Sums sums;
      for (int t = 0; t < args.trials; ++t) trial(sums, n, span, rng);
      const double clean_ratio = sums.rms(sums.z2), out_ratio = sums.rms(sums.out_z2) / clean_ratio;
      std::printf("%3d %5.0f | %9.3g %9.3g %5.2f %9.3g | %9.3g %9.3g %5.2f %9.3g %5.1f%%\n", n, span,
                  sums.rms(sums.crb2), sums.rms(sums.fit2), clean_ratio, sums.rms(sums.two2), sums.rms(sums.good_crb2),
                  sums.rms(sums.out_fit2), out_ratio, sums.rms(sums.out_two2), 100.0 * sums.found / sums.trials);
      if (args.check_clean > 0 && (clean_ratio > args.check_clean || (n >= 5 && out_ratio > args.check_outlier))) {
        std::printf("    ^ misses the check: clean %.2f > %.2f or outlier %.2f > %.2f\n", clean_ratio,
                    args.check_clean, out_ratio, args.check_outlier);
        pass = false;
      }
    }
  }
  std::printf(
      "\nbound: Cramer-Rao RMS; x: RMS of rtcal's error over each data set's own bound (target <= 1.1).\n"
      "bound-1: the bound without the bad reading (its information is lost); the second x is rtcal's\n"
      "RMS over that bound with the outlier, divided by the outlier-free x (target <= 2; checked for\n"
      "n >= 5: with 3 readings a bad one cannot be told from the others, and with 4 about 1%% of the\n"
      "layouts are just as ambiguous; those misses dominate the RMS). found: the outlier flagged.\n");
  pass = scenario_table(std::max(args.trials / 2, 50), rng, args.check_clean > 0, args.only) && pass;
  if (args.check_clean > 0) std::printf("check: %s\n", pass ? "pass" : "FAIL");
  return pass ? 0 : 1;
}

// Simulated measurement logs with a known drift rate, shared by the drift-fit
// unit tests and the Monte Carlo benchmark (bench-drift): measurement times
// spread over a span, sigmas mixing human beeps (0.2 s) and NTP (2 ms),
// optionally one gross outlier. Header-only; deterministic for a given engine.
#pragma once

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "calibration/observation.h"

namespace rtcal::fitsim {

struct Scenario {
  double rate_s_per_day = 0.0;  // true rate, + = the RTC gains
  double offset_s = 0.0;        // true error at the first measurement
  int n = 5;                    // measurements
  double span_days = 30.0;      // first to last
  double beep_fraction = 0.5;   // share of human-beep measurements
  double beep_sigma_s = 0.2;
  double ntp_sigma_s = 0.002;
  bool outlier = false;         // one reading off by outlier_s (random sign)
  double outlier_s = 60.0;
  double start_unix_s = 1790000000.0;
};

// A measurement record.
inline calibration::Observation measurement(double t, double error_s, double sigma_s) {
  return calibration::measurement_at(t, error_s, sigma_s);
}

// A log from rows of {time, rtc_error, sigma} (a trial the bench printed).
template <size_t N>
std::vector<calibration::Observation> log_of(const double (&rows)[N][3]) {
  std::vector<calibration::Observation> log;
  for (const auto& r : rows) log.push_back(measurement(r[0], r[1], r[2]));
  return log;
}

struct Simulated {
  std::vector<calibration::Observation> records;
  int outlier_index = -1;  // record index of the outlier, -1 if none
};

// n measurements: the first at the start, the last at start + span, the
// others uniformly in between (sorted); each sigma is a beep's or NTP's.
template <class Engine>
Simulated simulate(const Scenario& s, Engine& rng) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::normal_distribution<double> noise(0.0, 1.0);
  std::vector<double> times{0.0, s.span_days};
  for (int i = 2; i < s.n; ++i) times.push_back(unit(rng) * s.span_days);
  std::sort(times.begin(), times.end());
  Simulated out;
  for (double day : times) {
    const double sigma = unit(rng) < s.beep_fraction ? s.beep_sigma_s : s.ntp_sigma_s;
    const double truth = s.offset_s + s.rate_s_per_day * day;
    out.records.push_back(measurement(s.start_unix_s + day * 86400.0, truth + sigma * noise(rng), sigma));
  }
  if (s.outlier) {
    std::uniform_int_distribution<int> pick(0, s.n - 1);
    out.outlier_index = pick(rng);
    out.records[static_cast<size_t>(out.outlier_index)].rtc_error_s += (unit(rng) < 0.5 ? -1 : 1) * s.outlier_s;
  }
  return out;
}

// The Cramer-Rao bound on the rate's standard deviation (s/day) for the
// given records: 1 / sqrt(sum w (t - t_w)^2), one segment, all points.
inline double cramer_rao_sigma_s_per_day(const std::vector<calibration::Observation>& records, int skip = -1) {
  double W = 0, Wt = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    if (static_cast<int>(i) == skip) continue;
    const double w = 1.0 / (records[i].sigma_s * records[i].sigma_s);
    W += w;
    Wt += w * records[i].time_unix_s;
  }
  const double mean = Wt / W;
  double sxx = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    if (static_cast<int>(i) == skip) continue;
    const double dt = records[i].time_unix_s - mean;
    sxx += dt * dt / (records[i].sigma_s * records[i].sigma_s);
  }
  return 86400.0 / std::sqrt(sxx);
}

}  // namespace rtcal::fitsim

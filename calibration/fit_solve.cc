// The drift fit's arithmetic: the weighted least-squares solve (one rate
// shared by all segments, one intercept per segment) and the search for hour
// jumps (DST, another OS keeping the RTC in local time). Pure.
#include <algorithm>
#include <cmath>

#include "calibration/fit_detail.h"

namespace rtcal::calibration::detail {
namespace {

constexpr double kHalfHourS = 1800.0;

double weight(const FitPoint& p) { return 1.0 / (p.sigma_s * p.sigma_s); }

}  // namespace

Solve solve(const std::vector<FitPoint>& points, const std::vector<bool>& used, int segment_count,
            double origin_s) {
  Solve s;
  s.segments.assign(static_cast<size_t>(segment_count), {});
  for (size_t i = 0; i < points.size(); ++i) {
    if (!used[i]) continue;
    auto& g = s.segments[static_cast<size_t>(points[i].segment)];
    const double w = weight(points[i]);
    g.weight += w;
    g.mean_t += w * (points[i].time_unix_s - origin_s);
    g.mean_e += w * points[i].corrected_error_s;
    ++g.used;
    ++s.used;
  }
  for (auto& g : s.segments) {
    if (g.used == 0) continue;
    g.mean_t /= g.weight;
    g.mean_e /= g.weight;
    ++s.parameters;
  }
  ++s.parameters;  // the rate
  double sxy = 0.0;
  for (size_t i = 0; i < points.size(); ++i) {
    if (!used[i]) continue;
    const auto& g = s.segments[static_cast<size_t>(points[i].segment)];
    const double dt = points[i].time_unix_s - origin_s - g.mean_t;
    s.sxx += weight(points[i]) * dt * dt;
    sxy += weight(points[i]) * dt * (points[i].corrected_error_s - g.mean_e);
  }
  s.ok = s.sxx > 0.0 && std::isfinite(s.sxx);
  if (!s.ok) return s;
  s.rate_s_per_s = sxy / s.sxx;
  for (size_t i = 0; i < points.size(); ++i) {
    if (!used[i]) continue;
    const double r = points[i].corrected_error_s - fitted_at(s, points[i], origin_s);
    s.chi2 += weight(points[i]) * r * r;
  }
  return s;
}

double fitted_at(const Solve& s, const FitPoint& p, double origin_s) {
  const auto& g = s.segments[static_cast<size_t>(p.segment)];
  return g.mean_e + s.rate_s_per_s * (p.time_unix_s - origin_s - g.mean_t);
}

double leverage(const Solve& s, const FitPoint& p, double origin_s) {
  const auto& g = s.segments[static_cast<size_t>(p.segment)];
  if (g.used == 0) return 0.0;
  const double dt = p.time_unix_s - origin_s - g.mean_t;
  return weight(p) * (1.0 / g.weight + dt * dt / s.sxx);
}

namespace {

struct Pair {
  size_t before, after;
  double change_s, dt_s;
};

// Pairs of measurements of the same segment, known steps taken out: all
// pairs i < j when `all`, else consecutive ones.
std::vector<Pair> pairs_of(const std::vector<FitPoint>& points, bool all) {
  std::vector<Pair> pairs;
  for (size_t j = 1; j < points.size(); ++j) {
    for (size_t i = all ? 0 : j - 1; i < j; ++i) {
      const auto& a = points[i];
      const auto& b = points[j];
      if (a.segment != b.segment) continue;
      pairs.push_back({i, j, b.corrected_error_s - a.corrected_error_s, b.time_unix_s - a.time_unix_s});
    }
  }
  return pairs;
}

// A first rate, robust to the jumps it is used to find and to an outlier:
// the median of the slopes of all pairs that changed by under half an hour
// (all pairs when none did), each weighted by its time span (a median
// weighted by precision would let one precise pair with a bad point rule).
double preliminary_rate_s_per_s(const std::vector<Pair>& pairs) {
  std::vector<std::pair<double, double>> slopes;  // slope, weight
  for (bool small_only : {true, false}) {
    for (const auto& p : pairs) {
      if (p.dt_s <= 0.0 || (small_only && std::fabs(p.change_s) >= kHalfHourS / 2)) continue;
      slopes.emplace_back(p.change_s / p.dt_s, p.dt_s);
    }
    if (!slopes.empty()) break;
  }
  if (slopes.empty()) return 0.0;
  std::sort(slopes.begin(), slopes.end());
  double total = 0.0;
  for (const auto& s : slopes) total += s.second;
  double run = 0.0;
  for (const auto& s : slopes) {
    run += s.second;
    if (run >= total / 2) return s.first;
  }
  return slopes.back().first;
}

}  // namespace

std::vector<HourJump> take_out_hour_jumps(std::vector<FitPoint>& points, double tolerance_s) {
  const double rate = preliminary_rate_s_per_s(pairs_of(points, true));
  const auto pairs = pairs_of(points, false);
  std::vector<HourJump> jumps;
  for (const auto& p : pairs) {
    const double excess = p.change_s - rate * p.dt_s;
    const double k = std::round(excess / kHalfHourS);
    if (k == 0.0 || std::fabs(excess - k * kHalfHourS) > tolerance_s) continue;
    const double amount = k * kHalfHourS;
    points[p.after].hour_jump = true;
    points[p.after].hour_jump_s = amount;
    jumps.push_back({points[p.after].record_index, points[p.after].time_unix_s, amount});
    for (size_t j = p.after; j < points.size() && points[j].segment == points[p.after].segment; ++j) {
      points[j].steps_s += amount;
      points[j].corrected_error_s -= amount;
    }
  }
  return jumps;
}

}  // namespace rtcal::calibration::detail

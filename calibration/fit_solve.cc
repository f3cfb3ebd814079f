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

// A jump followed at once by the same jump back is one bad reading (a typo
// that happens to be near a whole number of half hours), not two jumps:
// the leave-one-out test deals with it.
bool jumps_straight_back(const std::vector<FitPoint>& points, size_t j, double rate, double excess, double tolerance_s) {
  if (j + 1 >= points.size() || points[j + 1].segment != points[j].segment) return false;
  const auto& b = points[j];
  const auto& c = points[j + 1];
  const double back = (c.corrected_error_s - b.corrected_error_s) - rate * (c.time_unix_s - b.time_unix_s);
  return std::fabs(back + excess) <= 2 * tolerance_s;
}

}  // namespace

std::vector<HourJump> take_out_hour_jumps(std::vector<FitPoint>& points, double tolerance_s) {
  // A first rate robust to the jumps it is used to find and to outliers.
  const double rate = repeated_median_rate(points, std::vector<bool>(points.size(), true), true);
  std::vector<HourJump> jumps;
  double carried_s = 0.0;  // jumps found so far in this segment
  bool skip_next = false;  // the pair after a bad reading's "jump and back"
  for (size_t j = 0; j < points.size(); ++j) {
    if (j == 0 || points[j].segment != points[j - 1].segment) carried_s = 0.0;
    if (j > 0 && points[j].segment == points[j - 1].segment) {
      const auto& a = points[j - 1];
      auto& b = points[j];
      // a is already corrected by carried_s; b not yet.
      const double excess = (b.corrected_error_s - carried_s - a.corrected_error_s) -
                            rate * (b.time_unix_s - a.time_unix_s);
      const double k = std::round(excess / kHalfHourS);
      const bool candidate = !skip_next && k != 0.0 && std::fabs(k) < 1e6 && std::fabs(excess - k * kHalfHourS) <= tolerance_s;
      const bool back = candidate && jumps_straight_back(points, j, rate, excess, tolerance_s);
      skip_next = back;
      if (candidate && !back) {
        const double amount = k * kHalfHourS;
        b.hour_jump = true;
        b.hour_jump_s = amount;
        jumps.push_back({b.record_index, b.time_unix_s, amount, b.time_unix_s - a.time_unix_s});
        carried_s += amount;
      }
    }
    points[j].steps_s += carried_s;
    points[j].corrected_error_s -= carried_s;
  }
  return jumps;
}

}  // namespace rtcal::calibration::detail

// The frame shared by the charts (see chart_data.h).
#include "src/report/chart_data.h"

#include <algorithm>
#include <cmath>

namespace rtcal::history {
namespace {

Range time_range(const ChartData& data) {
  std::vector<double> times;
  for (const auto& p : data.points) times.push_back(p.time_unix_s);
  for (const auto& e : data.events) times.push_back(e.time_unix_s);
  for (const auto& l : data.lines)
    for (const auto& s : l.samples) times.push_back(s.time_unix_s);
  return padded(range_of(times), 0.03, 3600.0);
}

// The points that are not outliers, with their error bars, and the lines.
Range core_error_range(const ChartData& data) {
  std::vector<double> values;
  for (const auto& p : data.points) {
    if (p.mark == PointMark::outlier) continue;
    values.push_back(p.error_s - p.sigma_s);
    values.push_back(p.error_s + p.sigma_s);
  }
  for (const auto& l : data.lines)
    for (const auto& s : l.samples) values.push_back(s.error_s);
  if (values.empty()) {  // only outliers: show them
    for (const auto& p : data.points) values.push_back(p.error_s);
  }
  return range_of(values);
}

}  // namespace

ChartFrame frame_for(const ChartData& data) {
  ChartFrame f;
  f.time_unix_s = time_range(data);
  Range core = core_error_range(data);
  const double reach = std::max(core.span() * 0.5, 1e-3);
  std::vector<double> band{core.min, core.max};
  for (const auto& l : data.lines) {
    for (const auto& s : l.samples) {
      band.push_back(std::max(s.low_s, core.min - reach));
      band.push_back(std::min(s.high_s, core.max + reach));
    }
  }
  f.error_s = padded(range_of(band), 0.05, 1e-3);
  return f;
}

FitSample sample_at(const SegmentLine& line, double t) {
  const auto& s = line.samples;
  if (s.empty()) return FitSample{t, 0, 0, 0};
  if (t <= s.front().time_unix_s) return s.front();
  if (t >= s.back().time_unix_s) return s.back();
  auto hi = std::lower_bound(s.begin(), s.end(), t,
                             [](const FitSample& a, double v) { return a.time_unix_s < v; });
  auto lo = hi - 1;
  const double span = hi->time_unix_s - lo->time_unix_s;
  const double w = span > 0 ? (t - lo->time_unix_s) / span : 0.0;
  auto mix = [w](double a, double b) { return a + (b - a) * w; };
  return FitSample{t, mix(lo->error_s, hi->error_s), mix(lo->low_s, hi->low_s), mix(lo->high_s, hi->high_s)};
}

}  // namespace rtcal::history

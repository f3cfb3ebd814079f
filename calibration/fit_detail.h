// Internals of the drift fit shared by calibration/fit*.cc (not a public API):
// the weighted least-squares solve with one shared rate and an intercept per
// segment, and the hour-jump search. Pure.
#pragma once

#include <vector>

#include "calibration/fit.h"

namespace rtcal::calibration::detail {

// Per-segment sums of one weighted solve over the points with used[i].
struct SegmentSums {
  double weight = 0.0;     // sum w
  double mean_t = 0.0;     // weighted mean time (relative to the origin)
  double mean_e = 0.0;     // weighted mean corrected error
  int used = 0;
};

// The solve: rate in s per s, the sums per segment, Sxx and chi2.
struct Solve {
  std::vector<SegmentSums> segments;
  double rate_s_per_s = 0.0;
  double sxx = 0.0;        // sum w (t - t_seg)^2 (1/s^2 * s^2)
  double chi2 = 0.0;
  int used = 0;
  int parameters = 0;      // segments with used points + 1
  bool ok = false;         // sxx > 0
};

// `origin` is subtracted from every time (keeps the sums well conditioned).
Solve solve(const std::vector<FitPoint>& points, const std::vector<bool>& used,
            int segment_count, double origin_s);

// The fitted value at point i's time on its segment's line.
double fitted_at(const Solve& s, const FitPoint& p, double origin_s);

// Leverage of point i (w_i (1/W_seg + (t_i - t_seg)^2 / Sxx)).
double leverage(const Solve& s, const FitPoint& p, double origin_s);

// Find hour jumps between consecutive measurements of each segment (on the
// known-step-corrected errors) and add them to the later points' steps_s.
std::vector<HourJump> take_out_hour_jumps(std::vector<FitPoint>& points, double tolerance_s);

// Two-sided normal quantile (confidence 0.95 -> 1.959964).
double normal_quantile(double confidence);

}  // namespace rtcal::calibration::detail

// calibration/fit_robust.cc's per-segment lists: the fit gathers points
// segment by segment (one pass); points in any other order are counted
// first. Below a few hundred points per segment the repeated median takes
// every pair, so it does not depend on the order of the points: the same
// points in segment order and shuffled must give the same rate and flag the
// same points. Takes milliseconds.
#include <algorithm>
#include <random>
#include <vector>

#include <doctest/doctest.h>

#include "calibration/fit_detail.h"
#include "tests/unit/test_support.h"

using namespace rtcal::calibration;

TEST_CASE("fit_robust: points out of segment order give what the same points in order give (seed printed)") {
  const unsigned seed = rtcal::test_support::test_seed();
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0.0, 0.01);
  std::vector<FitPoint> ordered;
  for (int seg = 0; seg < 3; ++seg) {
    for (int i = 0; i < 40; ++i) {
      FitPoint p;
      p.time_unix_s = 1.7e9 + seg * 4e6 + i * 86400.0;
      p.corrected_error_s = 10.0 * seg + 0.4 / 86400.0 * (p.time_unix_s - 1.7e9) + noise(rng);
      if (i % 13 == 5) p.corrected_error_s += 100.0 * (1 + seg);  // gross outliers to flag
      p.sigma_s = 0.01;
      p.segment = seg;
      p.record_index = static_cast<int>(ordered.size());
      ordered.push_back(p);
    }
  }
  std::vector<FitPoint> shuffled = ordered;
  std::shuffle(shuffled.begin() + 1, shuffled.end(), rng);  // the first stays: both share the origin
  REQUIRE_FALSE(std::is_sorted(shuffled.begin(), shuffled.end(),
                               [](const FitPoint& a, const FitPoint& b) { return a.segment < b.segment; }));
  const std::vector<bool> all(ordered.size(), true);
  CHECK(detail::repeated_median_rate(shuffled, all, false) == detail::repeated_median_rate(ordered, all, false));
  CHECK(detail::repeated_median_rate(shuffled, all, true) == detail::repeated_median_rate(ordered, all, true));
  const auto flagged_of = [&](const std::vector<FitPoint>& pts) {
    std::vector<int> records;
    for (size_t i : detail::robust_outliers(pts, all, 5.0, pts.size())) records.push_back(pts[i].record_index);
    std::sort(records.begin(), records.end());
    return records;
  };
  const std::vector<int> flagged = flagged_of(ordered);
  CHECK(flagged.size() == 9);  // the 3 x 3 gross ones
  CHECK(flagged_of(shuffled) == flagged);
}

// The drift fit's robust parts (calibration/fit_detail.h): the repeated-
// median line (Siegel 1982) that starts the fit and the hour-jump search
// off, the outliers it flags, and the scan for a single unlogged step of the
// RTC (a change point). Every loop is bounded: the robust line samples
// partners and centres beyond a few hundred points, so a log of a million
// measurements costs milliseconds here. Pure.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>

#include "calibration/fit_detail.h"

namespace rtcal::calibration::detail {
namespace {

constexpr double kRobustHalfHourS = 1800.0;
constexpr size_t kAllPartnersUpTo = 300;  // per segment: every pair below this
constexpr size_t kPartners = 61;          // pseudo-random partners per point above
constexpr size_t kMaxCentres = 4001;      // points whose median slope is taken
constexpr double kMadToSigma = 1.4826;

// splitmix64: a fixed, portable pseudo-random sequence (results replayable).
uint64_t splitmix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// The median of v (the mean of the two middle values for an even count);
// reorders v. 0 for an empty v.
double median_of(std::vector<double>& v) {
  if (v.empty()) return 0.0;
  const size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
  const double upper = v[mid];
  if (v.size() % 2 == 1) return upper;
  const double lower = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid));
  return 0.5 * (lower + upper);
}

// The used points of each segment, in log order: `list[k]` views segment
// k's indices, all held in one vector (one allocation, not one per segment).
struct Segments {
  std::vector<size_t> index;
  std::vector<std::span<const size_t>> list;
  Segments() = default;
  Segments(const Segments&) = delete;  // the spans point into `index`
  Segments(Segments&&) = default;      // a moved vector keeps its buffer
};

// The spans of `out` from the start of each segment in `out.index`.
void make_spans(Segments& out, const std::vector<size_t>& start) {
  for (size_t k = 0; k + 1 < start.size(); ++k)
    out.list.emplace_back(out.index.data() + start[k], start[k + 1] - start[k]);
}

// Points as the fit gathers them, segment by segment in log order, take
// one pass over the points (at 96 bytes each, what costs here); any other
// order is counted first.
Segments by_segment(const std::vector<FitPoint>& points, const std::vector<bool>& used) {
  Segments out;
  out.index.reserve(points.size());
  std::vector<size_t> start;  // of each segment opened so far
  for (size_t i = 0; i < points.size(); ++i) {
    if (!used[i]) continue;
    const auto seg = static_cast<size_t>(points[i].segment);
    if (seg + 1 < start.size()) {  // an earlier segment again: count, then place
      std::vector<size_t> count;
      for (size_t j = 0; j < points.size(); ++j) {
        if (!used[j]) continue;
        const auto g = static_cast<size_t>(points[j].segment);
        if (count.size() <= g) count.resize(g + 1);
        ++count[g];
      }
      start.assign(count.size() + 1, 0);
      for (size_t g = 0; g < count.size(); ++g) start[g + 1] = start[g] + count[g];
      out.index.resize(start.back());
      std::vector<size_t> next(start.begin(), start.end() - 1);
      for (size_t j = 0; j < points.size(); ++j)
        if (used[j]) out.index[next[static_cast<size_t>(points[j].segment)]++] = j;
      make_spans(out, start);
      return out;
    }
    while (start.size() <= seg) start.push_back(out.index.size());
    out.index.push_back(i);
  }
  start.push_back(out.index.size());
  make_spans(out, start);
  return out;
}

// The slopes from point `i` to its partners in `seg` (all, or a sample).
void slopes_from(const std::vector<FitPoint>& p, std::span<const size_t> seg, size_t pos, bool small_only,
                 std::vector<double>& slopes) {
  slopes.clear();
  const FitPoint& a = p[seg[pos]];
  auto add = [&](size_t j) {
    const FitPoint& b = p[seg[j]];
    const double dt = b.time_unix_s - a.time_unix_s;
    const double de = b.corrected_error_s - a.corrected_error_s;
    if (dt == 0.0 || (small_only && std::fabs(de) >= kRobustHalfHourS / 2)) return;
    slopes.push_back(de / dt);
  };
  if (seg.size() <= kAllPartnersUpTo) {
    for (size_t j = 0; j < seg.size(); ++j)
      if (j != pos) add(j);
    return;
  }
  // The partners are scattered over a large log: their indices first, each
  // fetched ahead (prefetch), so the cache misses overlap instead of queueing.
  size_t partner[kPartners];
  for (size_t k = 0; k < kPartners; ++k) {
    partner[k] = static_cast<size_t>(splitmix(seg[pos] * kPartners + k) % seg.size());
    __builtin_prefetch(&seg[partner[k]]);
  }
  for (size_t k = 0; k < kPartners; ++k) __builtin_prefetch(&p[seg[partner[k]]]);
  for (size_t k = 0; k < kPartners; ++k)
    if (partner[k] != pos) add(partner[k]);
}

// The median slope of each centre point (every stride-th used point).
std::vector<double> centre_medians(const std::vector<FitPoint>& p, const Segments& segs,
                                   size_t stride, bool small_only) {
  std::vector<double> medians, slopes;
  size_t counter = 0;
  for (const auto& seg : segs.list) {
    for (size_t pos = 0; pos < seg.size(); ++pos) {
      if (counter++ % stride != 0) continue;
      slopes_from(p, seg, pos, small_only, slopes);
      if (!slopes.empty()) medians.push_back(median_of(slopes));
    }
  }
  return medians;
}

// repeated_median_rate on the used points of each segment (by_segment).
double repeated_median_rate_of(const std::vector<FitPoint>& points, const Segments& segs, bool small_changes_only) {
  const size_t total = segs.index.size();
  const size_t stride = std::max<size_t>(1, total / kMaxCentres);
  std::vector<double> medians;
  if (small_changes_only) medians = centre_medians(points, segs, stride, true);
  if (medians.empty()) medians = centre_medians(points, segs, stride, false);
  return median_of(medians);
}

}  // namespace

double repeated_median_rate(const std::vector<FitPoint>& points, const std::vector<bool>& used,
                            bool small_changes_only) {
  return repeated_median_rate_of(points, by_segment(points, used), small_changes_only);
}

std::vector<size_t> robust_outliers(const std::vector<FitPoint>& points, const std::vector<bool>& used,
                                    double threshold, size_t max_flags) {
  if (max_flags == 0 || points.empty()) return {};
  const auto segs = by_segment(points, used);
  const double rate = repeated_median_rate_of(points, segs, false);
  const double origin = points.front().time_unix_s;
  std::vector<double> r_abs(points.size(), 0.0), scratch, abs_r;
  abs_r.reserve(segs.index.size());
  size_t largest = 0;
  for (const auto& seg : segs.list) largest = std::max(largest, seg.size());
  scratch.reserve(largest);
  for (const auto& seg : segs.list) {
    scratch.clear();
    for (size_t i : seg) scratch.push_back(points[i].corrected_error_s - rate * (points[i].time_unix_s - origin));
    const double intercept = median_of(scratch);
    for (size_t i : seg) {
      const double r = points[i].corrected_error_s - intercept - rate * (points[i].time_unix_s - origin);
      r_abs[i] = std::fabs(r);
      abs_r.push_back(r_abs[i]);
    }
  }
  // The residuals' robust spread in seconds: with mixed sigmas the repeated-
  // median line (unweighted) is only as precise as the rough readings, so a
  // precise reading is judged against that spread, not its own sigma.
  const double typical_s = kMadToSigma * median_of(abs_r);
  // (residual over max(sigma, spread), index) of the points beyond the
  // threshold, in index order; sorted by the first alone, they end in the
  // order the indices sorted by it would.
  std::vector<std::pair<double, size_t>> over;
  for (size_t i = 0; i < points.size(); ++i) {
    if (!used[i]) continue;
    const double q = r_abs[i] / std::max(points[i].sigma_s, typical_s);
    if (q > threshold) over.emplace_back(q, i);
  }
  std::sort(over.begin(), over.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  if (over.size() > max_flags) over.resize(max_flags);
  std::vector<size_t> flagged;
  flagged.reserve(over.size());
  for (const auto& [q, i] : over) flagged.push_back(i);
  return flagged;
}

namespace {

// Weighted sums of a run of residuals (t in days from the segment's start).
struct SplitSums {
  double w = 0, t = 0, r = 0, tt = 0, tr = 0, rr = 0;
  void add(double wi, double ti, double ri) {
    w += wi, t += wi * ti, r += wi * ri, tt += wi * ti * ti, tr += wi * ti * ri, rr += wi * ri * ri;
  }
  SplitSums minus(const SplitSums& o) const { return {w - o.w, t - o.t, r - o.r, tt - o.tt, tr - o.tr, rr - o.rr}; }
  double sxx() const { return tt - t * t / w; }
  double sxy() const { return tr - t * r / w; }
  double syy() const { return rr - r * r / w; }
};

// chi2 of a line through one run, or of two intercepts and one slope.
double chi2_one(const SplitSums& a) { return a.sxx() > 0 ? a.syy() - a.sxy() * a.sxy() / a.sxx() : a.syy(); }
double chi2_two(const SplitSums& a, const SplitSums& b) {
  const double sxx = a.sxx() + b.sxx(), sxy = a.sxy() + b.sxy();
  return a.syy() + b.syy() - (sxx > 0 ? sxy * sxy / sxx : 0.0);
}

}  // namespace

SplitScan best_split(const std::vector<FitPoint>& points, const std::vector<bool>& used, const Solve& s,
                     double origin_s, double scale, double clip_sigma) {
  SplitScan best;
  std::vector<std::pair<double, size_t>> top;  // (gain, first_after), best first, at most 5
  const Segments segs = by_segment(points, used);
  for (const auto& seg : segs.list) {
    const size_t m = seg.size();
    if (m < 4) continue;
    const double t0 = points[seg.front()].time_unix_s;
    // One point's weight, time (days) and clipped residual into `sums`.
    const auto add = [&](SplitSums& sums, size_t k) {
      const FitPoint& p = points[seg[k]];
      const double sd = p.sigma_s * scale;
      const double r = std::clamp(p.corrected_error_s - fitted_at(s, p, origin_s), -clip_sigma * sd, clip_sigma * sd);
      sums.add(1.0 / (sd * sd), (p.time_unix_s - t0) / 86400.0, r);
    };
    SplitSums total, left;
    for (size_t k = 0; k < m; ++k) add(total, k);
    const double whole = chi2_one(total);
    const auto t = [&](size_t i) { return points[seg[i]].time_unix_s; };
    add(left, 0);
    for (size_t k = 1; k + 2 <= m; ++k) {  // left = points before k
      if (k >= 2 && t(k) > t(k - 1) && t(k - 1) > t(0) && t(m - 1) > t(k)) {
        ++best.candidates;
        const double gain = whole - chi2_two(left, total.minus(left));
        if (!best.found || gain > best.gain) best = {seg[k], gain, best.candidates, true, {}};
        // Where std::sort (an insertion sort for so few) would put it after
        // appending it: first when above the first, else moved left past
        // smaller gains (the same also with a NaN among them).
        size_t at = top.size();
        if (!top.empty() && gain > top.front().first) at = 0;
        while (at > 0 && gain > top[at - 1].first) --at;
        if (at < 5) {
          top.insert(top.begin() + static_cast<std::ptrdiff_t>(at), {gain, seg[k]});
          if (top.size() > 5) top.pop_back();
        }
      }
      add(left, k);
    }
  }
  for (const auto& [gain, index] : top)
    if (index != best.first_after) best.runners_up.push_back(index);
  return best;
}

}  // namespace rtcal::calibration::detail

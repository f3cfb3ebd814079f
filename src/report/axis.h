// Axis arithmetic for the report's charts: round tick steps for the error
// axis (1, 2, 2.5, 5 × 10^k), calendar ticks for the time axis (UTC: minutes,
// hours, days, Monday weeks, months, years), the unit (s or ms) the error
// axis reads best in, and the padding that keeps a chart with one point, all
// points equal or a zero-width time range drawable. Pure: numbers in, numbers
// and labels out.
#pragma once

#include <string>
#include <vector>

namespace rtcal::history {

// A closed interval of one axis, in that axis's unit (unix s or s of error).
struct Range {
  double min = 0.0;
  double max = 0.0;
  double span() const { return max - min; }
  bool contains(double v) const { return v >= min && v <= max; }
};

// The smallest range holding every value (NaNs ignored); {0, 0} for none.
Range range_of(const std::vector<double>& values);

// `r` widened by `fraction` of its span on each side, or by ±`pad_if_zero`
// when its span is zero (one point, all points equal), so it is never empty.
Range padded(Range r, double fraction, double pad_if_zero);

// Ticks of one axis: positions (in the axis's unit) and their labels.
struct Ticks {
  std::vector<double> values;
  std::vector<std::string> labels;
  double step = 0.0;  // distance between ticks (for dates: nominal, in s)
};

// Round ticks over `r`, at most `max_ticks` (>= 2) of them, labels with just
// the decimals the step needs ("0.25", "-1", "1000"). The range is first
// widened outward to whole steps, and `r` is replaced by that range.
Ticks linear_ticks(Range& r, int max_ticks);

// How the error axis is labelled: values are multiplied by `per_s`.
struct ErrorUnit {
  double per_s = 1.0;  // 1 for seconds, 1000 for milliseconds
  std::string name;    // "s" or "ms"
};

// Milliseconds when the whole range lies within ±1 s, seconds otherwise.
ErrorUnit error_unit_for(Range r_s);

// Date ticks over `r` (unix s, UTC), at most `max_ticks`. Labels: "14:30"
// (a midnight tick shows the day instead, "Nov 23"), "Nov 23" for day and
// week steps, "Nov 2026" for months, "2026" for years. `caption` says what
// the labels leave out: "UTC, 2026-11-23" or "UTC, 2026".
struct DateTicks : Ticks {
  std::string caption;
};
DateTicks date_ticks(Range r, int max_ticks);

// "2026-11-23 09:45:58" (UTC) for a unix time; `with_seconds` false drops ":58".
std::string utc_text(double unix_s, bool with_seconds = true);

}  // namespace rtcal::history

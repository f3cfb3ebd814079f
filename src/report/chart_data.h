// What the report draws, as plain data: measurements with error bars and
// flags, the fitted line with its 95% band per calibration segment, and
// events (resets, known steps). The text and SVG charts render this; the
// adapter from the drift fit (report_data.h) builds it. Also the frame both
// charts share: which time and error ranges are shown, and which points fall
// outside them (a gross outlier is clipped, not allowed to squash the rest).
//
// Sign convention, as in the log: error = RTC minus true time, + = RTC fast.
#pragma once

#include <string>
#include <vector>

#include "src/report/axis.h"

namespace rtcal::history {

// How a measurement is marked on the chart.
enum class PointMark {
  normal,     // used by the fit
  outlier,    // flagged by the fit and kept out of it
  hour_jump,  // taken at a whole-hour offset (DST, another OS); drawn corrected
};

struct ChartPoint {
  double time_unix_s = 0.0;
  double error_s = 0.0;  // as drawn (an hour jump: with the hours taken out)
  double sigma_s = 0.0;  // 1 sigma, drawn as the error bar
  PointMark mark = PointMark::normal;
  int segment = 0;       // 0-based calibration segment
  std::string note;      // shown beside the point in the SVG, e.g. "+1 h"
};

// The fitted line and its 95% band at one time.
struct FitSample {
  double time_unix_s = 0.0;
  double error_s = 0.0;  // the line
  double low_s = 0.0;    // the band's lower edge
  double high_s = 0.0;   // the band's upper edge
};

// One segment's line: samples sorted by time (at least two; more where the
// band curves).
struct SegmentLine {
  int segment = 0;
  std::vector<FitSample> samples;
};

// A vertical marker: a reset (new segment), a known step of the RTC, or a
// trim of the chip's own rate (the readings before it are shown as they
// would read at the trimmed rate: src/measure/log_view.h).
enum class EventKind { reset, step, trim };
struct ChartEvent {
  double time_unix_s = 0.0;
  EventKind kind = EventKind::reset;
  std::string label;  // "reset", "step +1.000 s", "trim +39060 ppb"
  double amount = 0.0;  // step: its amount, s; trim: the register's new value, ppb
};

struct ChartData {
  std::string title;     // "RTC error over time"
  std::string subtitle;  // "gains 0.400 s/day (95%: 0.38 to 0.42)"
  std::vector<ChartPoint> points;
  std::vector<SegmentLine> lines;
  std::vector<ChartEvent> events;
};

// The shown ranges: time covers every point, event and line sample (padded
// 3%; a zero-width range becomes ±1 hour); error covers the points that are
// not outliers with their error bars and the lines, plus the band up to half
// that span again on each side (padded 5%; all equal: ±1 ms). Outliers and
// band parts outside are clipped by the renderers.
struct ChartFrame {
  Range time_unix_s;
  Range error_s;
};
ChartFrame frame_for(const ChartData& data);

// A line sample interpolated at time `t` (t within the samples' range).
FitSample sample_at(const SegmentLine& line, double t);

}  // namespace rtcal::history

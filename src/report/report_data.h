// From the measurement log and the drift fit to what `rtcal report` shows:
// one table row per log record (measurements with their fit and residual,
// steps, resets), the chart data (points, per-segment lines with their 95%
// band, events), and the rate in words. Pure: records and a fit in, data
// out. The log can be fitted only with two measurements at different times
// in every segment; without a fit the report still shows the points.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "calibration/fit.h"
#include "src/measure/log_view.h"
#include "src/report/chart_data.h"
#include "state/measurement_log.h"

namespace rtcal::history {

// One log record as the table shows it.
struct TableRow {
  state::RecordType type = state::RecordType::measurement;
  int number = 0;     // measurements: 1, 2, ... in log order; 0 otherwise
  int line = 0;       // its line in the log
  double time_unix_s = 0.0;
  int segment = 0;    // 0-based calibration segment
  // measurement (error = RTC minus true time, + = RTC fast):
  double rtc_error_s = 0.0;
  double sigma_s = 0.0;
  std::string source;
  std::optional<double> fitted_s;    // the fitted line at its time, RTC terms
  std::optional<double> residual_s;  // rtc_error_s - fitted_s
  bool outlier = false;
  double hour_jump_s = 0.0;          // a recognised jump just before it
  bool dropped = false;              // withdrawn by a correction (rtcal log drop)
  bool change_point = false;         // the first reading after an unlogged step
  std::string notes;                 // the corrections' notes on it, "; "-joined
  // step / reset:
  double amount_s = 0.0;
  std::string reason;
};

// One calibration segment as the summary shows it.
struct SegmentSummary {
  int segment = 0;            // 0-based
  double start_unix_s = 0.0;  // its first and last measurement
  double end_unix_s = 0.0;
  int points = 0;             // measurements in it, outliers included
  // What the reset before it did to the RTC: this segment's line minus the
  // previous one's, both at the reset's time (s, + = the RTC jumped ahead),
  // and the 95% half-width of that difference. Unset for the first segment
  // or without a fit.
  std::optional<double> reset_jump_s;
  double reset_jump_half_width_s = 0.0;
};

struct ReportData {
  std::vector<TableRow> rows;        // every record, or with a long log only the notable ones and the last few
  int rows_hidden = 0;               // measurements left out of rows
  ChartData chart;
  int measurements = 0;
  int segments = 0;
  std::vector<SegmentSummary> segment_summaries;  // with a fit only
  std::optional<calibration::DriftFit> fit;
  std::string no_fit_reason;  // why there is no fit ("" when there is one)
  std::string no_fit_fix;     // what would give one
};

// Build the report. `fit` is fit_drift(log.observations) or its error.
// Beyond `full_table_up_to` measurements the rows hold only flagged ones and
// the last few, and the chart at most a few thousand evenly chosen points
// besides the flagged ones. O(n).
inline constexpr size_t kReportFullTableUpTo = 200;
ReportData build_report(const LogView& log, Result<calibration::DriftFit> fit,
                        size_t full_table_up_to = kReportFullTableUpTo);

// "the RTC gains 0.400 s/day (95%: 0.390 to 0.410), 4.63 ppm": the rate with
// just the decimals its interval needs.
std::string rate_words(const calibration::DriftFit& fit);

// "+1 h", "-30 min": the size of an hour jump.
std::string hour_jump_words(double amount_s);

}  // namespace rtcal::history

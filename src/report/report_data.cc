// The adapter from the log and the fit to the report (see report_data.h).
// On the chart, points after a recognised hour jump are drawn with the jump
// taken out (else one DST reading would squash the drift into a flat line);
// known steps stay in, so the line jumps where `adjust` moved the RTC.
#include "src/report/report_data.h"

#include <algorithm>
#include <cmath>

#include "src/number_text.h"

namespace rtcal::history {
namespace {

using calibration::DriftFit;
using state::RecordType;

constexpr int kSamplesPerPiece = 24;

// The hour jumps recognised in `segment` up to and including time t.
double hour_jumps_before(const DriftFit& fit, int segment, double t) {
  double sum = 0.0;
  for (const auto& s : fit.steps)
    if (s.hour_jump && s.segment == segment && s.time_unix_s <= t) sum += s.amount_s;
  return sum;
}

FitSample fit_sample(const DriftFit& fit, int segment, double t) {
  const auto p = calibration::predict_rtc_error(fit, segment, t);
  const double e = p.corrected_error_s - hour_jumps_before(fit, segment, t);
  return FitSample{t, e, e - p.half_width_s, e + p.half_width_s};
}

// A segment's line from its first to its last measurement, cut at its known
// steps (the line jumps there; hour jumps are drawn taken out), each piece sampled so the band's curve shows.
std::vector<SegmentLine> segment_lines(const DriftFit& fit, int segment) {
  const auto& seg = fit.segments[static_cast<size_t>(segment)];
  std::vector<double> cuts{seg.start_unix_s};
  for (const auto& s : fit.steps)
    if (!s.hour_jump && s.segment == segment && s.time_unix_s > seg.start_unix_s && s.time_unix_s < seg.end_unix_s)
      cuts.push_back(s.time_unix_s);
  cuts.push_back(seg.end_unix_s);
  std::sort(cuts.begin(), cuts.end());
  std::vector<SegmentLine> lines;
  for (size_t i = 0; i + 1 < cuts.size(); ++i) {
    const double a = cuts[i], b = cuts[i + 1];
    if (!(b > a)) continue;
    const double end = i + 2 < cuts.size() ? b - 1e-3 : b;  // just before the next step
    SegmentLine line{segment, {}};
    for (int k = 0; k <= kSamplesPerPiece; ++k) line.samples.push_back(fit_sample(fit, segment, a + (end - a) * k / kSamplesPerPiece));
    lines.push_back(line);
  }
  return lines;
}

TableRow measurement_row(const state::LogRecord& r, int number, int segment) {
  TableRow row;
  row.type = r.type;
  row.number = number;
  row.line = r.line;
  row.time_unix_s = r.time_unix_s;
  row.segment = segment;
  row.rtc_error_s = r.rtc_error_s;
  row.sigma_s = r.sigma_s;
  row.source = r.source;
  return row;
}

void add_fit_to(TableRow& row, const calibration::FitPoint& p) {
  row.segment = p.segment;
  row.fitted_s = p.fitted_s + p.steps_s;
  row.residual_s = p.residual_s;
  row.outlier = p.outlier;
  row.hour_jump_s = p.hour_jump ? p.hour_jump_s : 0.0;
}

ChartPoint chart_point(const TableRow& row, const DriftFit* fit) {
  ChartPoint p{row.time_unix_s, row.rtc_error_s, row.sigma_s, PointMark::normal, row.segment, ""};
  if (fit) p.error_s -= hour_jumps_before(*fit, row.segment, row.time_unix_s);
  if (row.outlier) p.mark = PointMark::outlier;
  if (row.hour_jump_s != 0.0) {
    p.mark = row.outlier ? PointMark::outlier : PointMark::hour_jump;
    p.note = hour_jump_words(row.hour_jump_s);
  }
  return p;
}

// The rows in log order; segments counted as the fit counts them (a reset
// after measurements opens the next one).
std::vector<TableRow> table_rows(const std::vector<state::LogRecord>& records, const DriftFit* fit) {
  std::vector<TableRow> rows;
  int segment = 0, number = 0;
  bool segment_has_points = false;
  for (size_t i = 0; i < records.size(); ++i) {
    const auto& r = records[i];
    if (r.type == RecordType::reset && segment_has_points) { ++segment; segment_has_points = false; }
    if (r.type != RecordType::measurement) {
      TableRow row;
      row.type = r.type;
      row.line = r.line;
      row.time_unix_s = r.time_unix_s;
      row.segment = segment;
      row.amount_s = r.amount_s;
      row.reason = r.reason;
      rows.push_back(row);
      continue;
    }
    segment_has_points = true;
    rows.push_back(measurement_row(r, ++number, segment));
    if (!fit) continue;
    for (const auto& p : fit->points)
      if (p.record_index == static_cast<int>(i)) add_fit_to(rows.back(), p);
  }
  return rows;
}

ChartData chart_of(const ReportData& report) {
  ChartData c;
  const DriftFit* fit = report.fit ? &*report.fit : nullptr;
  c.title = "RTC error over time: " + std::to_string(report.measurements) + " measurement" +
            (report.measurements == 1 ? "" : "s") +
            (report.segments > 1 ? ", " + std::to_string(report.segments) + " segments" : "");
  c.subtitle = fit ? rate_words(*fit) : "no fit: " + report.no_fit_reason;
  for (const auto& row : report.rows) {
    if (row.type == RecordType::measurement) c.points.push_back(chart_point(row, fit));
    if (row.type == RecordType::reset) c.events.push_back({row.time_unix_s, true, "reset"});
    if (row.type == RecordType::step) c.events.push_back({row.time_unix_s, false, "step " + (row.amount_s >= 0 ? std::string("+") : "") + fixed(row.amount_s, 3) + " s"});
  }
  if (fit) {
    for (int s = 0; s < static_cast<int>(fit->segments.size()); ++s)
      for (auto& line : segment_lines(*fit, s)) c.lines.push_back(std::move(line));
  }
  return c;
}

// The reset's time before `segment`: the last reset row that opened it.
std::optional<double> reset_time(const std::vector<TableRow>& rows, int segment) {
  std::optional<double> t;
  for (const auto& row : rows)
    if (row.type == RecordType::reset && row.segment == segment) t = row.time_unix_s;
  return t;
}

std::vector<SegmentSummary> segment_summaries(const DriftFit& fit, const std::vector<TableRow>& rows) {
  std::vector<SegmentSummary> out;
  for (int s = 0; s < static_cast<int>(fit.segments.size()); ++s) {
    const auto& seg = fit.segments[static_cast<size_t>(s)];
    SegmentSummary sum{s, seg.start_unix_s, seg.end_unix_s, seg.points, std::nullopt, 0.0};
    const auto t = reset_time(rows, s);
    if (s > 0 && t) {
      const auto before = calibration::predict_rtc_error(fit, s - 1, *t);
      const auto after = calibration::predict_rtc_error(fit, s, *t);
      sum.reset_jump_s = after.corrected_error_s - before.corrected_error_s;
      sum.reset_jump_half_width_s = std::hypot(before.half_width_s, after.half_width_s);
    }
    out.push_back(sum);
  }
  return out;
}

}  // namespace

ReportData build_report(const std::vector<state::LogRecord>& records, const Result<DriftFit>& fit) {
  ReportData report;
  if (fit) report.fit = fit.value();
  else {
    report.no_fit_reason = fit.error().cause;
    report.no_fit_fix = fit.error().fix;
  }
  report.rows = table_rows(records, report.fit ? &*report.fit : nullptr);
  for (const auto& row : report.rows) {
    if (row.type != RecordType::measurement) continue;
    ++report.measurements;
    report.segments = std::max(report.segments, row.segment + 1);
  }
  if (report.fit) report.segment_summaries = segment_summaries(*report.fit, report.rows);
  report.chart = chart_of(report);
  return report;
}

std::string rate_words(const DriftFit& fit) {
  const double half = std::max(std::fabs(fit.ci95_high_s_per_day - fit.ci95_low_s_per_day) / 2, 1e-9);
  const int decimals = std::clamp(1 - static_cast<int>(std::floor(std::log10(half) + 1e-9)), 0, 6);
  const bool gains = fit.rate_s_per_day >= 0;
  const double sign = gains ? 1.0 : -1.0;
  const double low = sign * (gains ? fit.ci95_low_s_per_day : fit.ci95_high_s_per_day);
  const double high = sign * (gains ? fit.ci95_high_s_per_day : fit.ci95_low_s_per_day);
  return std::string("the RTC ") + (gains ? "gains " : "loses ") + fixed(std::fabs(fit.rate_s_per_day), decimals) +
         " s/day (95%: " + fixed(low, decimals) + " to " + fixed(high, decimals) + "), " +
         fixed(std::fabs(fit.rate_ppm), std::max(decimals - 1, 2)) + " ppm";
}

std::string hour_jump_words(double amount_s) {
  const std::string sign = amount_s >= 0 ? "+" : "-";
  const double h = std::fabs(amount_s) / 3600.0;
  if (std::fabs(h - std::round(h)) < 1e-9) return sign + fixed(h, 0) + " h";
  return sign + fixed(std::fabs(amount_s) / 60.0, 0) + " min";
}

}  // namespace rtcal::history

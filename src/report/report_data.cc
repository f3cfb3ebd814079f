// The adapter from the log and the fit to the report (see report_data.h).
// On the chart, points after a recognised hour jump are drawn with the jump
// taken out (else one DST reading would squash the drift into a flat line);
// known steps stay in, so the line jumps where `adjust` moved the RTC.
#include "src/report/report_data.h"

#include <algorithm>
#include <cmath>

#include "base/number_text.h"

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

constexpr size_t kMaxChartPoints = 4000;
constexpr size_t kLastRows = 10;

void add_fit_to(TableRow& row, const calibration::FitPoint& p, const DriftFit& fit) {
  row.segment = p.segment;
  row.fitted_s = p.fitted_s + p.steps_s;
  row.residual_s = p.residual_s;
  row.outlier = p.outlier;
  row.hour_jump_s = p.hour_jump ? p.hour_jump_s : 0.0;
  row.change_point = fit.change_point && fit.change_point->after_record_index == p.record_index;
}

ChartPoint chart_point(const TableRow& row, const DriftFit* fit) {
  ChartPoint p{row.time_unix_s, row.rtc_error_s, row.sigma_s, PointMark::normal, row.segment, ""};
  if (fit) p.error_s -= hour_jumps_before(*fit, row.segment, row.time_unix_s);
  if (row.outlier || row.dropped) p.mark = PointMark::outlier;
  if (row.hour_jump_s != 0.0) {
    p.mark = row.outlier ? PointMark::outlier : PointMark::hour_jump;
    p.note = hour_jump_words(row.hour_jump_s);
  }
  if (row.dropped) p.note = "dropped";
  return p;
}

bool notable(const TableRow& row) { return row.outlier || row.dropped || row.hour_jump_s != 0.0 || row.change_point || !row.notes.empty(); }

// Every record's row in effective order, segments counted as the fit counts
// them; `keep(row, number)` decides which measurement rows are kept.
template <class Keep, class Each>
void walk_rows(const LogView& log, const DriftFit* fit, Keep keep, Each each) {
  std::vector<int> point_of(log.observations.size(), -1);
  if (fit)
    for (size_t k = 0; k < fit->points.size(); ++k) point_of[static_cast<size_t>(fit->points[k].record_index)] = static_cast<int>(k);
  int segment = 0, number = 0;
  bool segment_has_points = false;
  for (size_t i = 0; i < log.observations.size(); ++i) {
    const auto& o = log.observations[i];
    TableRow row;
    row.type = o.type == calibration::ObservationType::measurement ? RecordType::measurement
               : o.type == calibration::ObservationType::step    ? RecordType::step
                                                                 : RecordType::reset;
    row.line = o.line;
    row.time_unix_s = o.time_unix_s;
    row.dropped = o.dropped;
    if (const auto n = log.notes.find(o.line); n != log.notes.end())
      for (const auto& text : n->second) row.notes += (row.notes.empty() ? "" : "; ") + text;
    const int k = point_of[i];
    if (k >= 0) segment = fit->points[static_cast<size_t>(k)].segment;
    else if (row.type == RecordType::reset && segment_has_points && !o.dropped) { ++segment; segment_has_points = false; }
    row.segment = segment;
    if (row.type != RecordType::measurement) {
      row.amount_s = o.amount_s;
      row.reason = log.reason_of(o.line);
      each(std::move(row));
      continue;
    }
    segment_has_points = true;
    row.number = ++number;
    row.rtc_error_s = o.rtc_error_s;
    row.sigma_s = o.sigma_s;
    row.source = log.source_of(i);
    if (k >= 0) add_fit_to(row, fit->points[static_cast<size_t>(k)], *fit);
    if (keep(row)) each(std::move(row));
  }
}

ChartData chart_of(const ReportData& report, const LogView& log) {
  ChartData c;
  const DriftFit* fit = report.fit ? &*report.fit : nullptr;
  const size_t stride = std::max<size_t>(1, static_cast<size_t>(report.measurements) / kMaxChartPoints + 1);
  walk_rows(log, fit, [&](const TableRow& row) { return notable(row) || static_cast<size_t>(row.number) % stride == 0 || row.number == report.measurements; },
            [&](TableRow&& row) {
              if (row.type == RecordType::measurement) c.points.push_back(chart_point(row, fit));
            });
  c.title = "RTC error over time: " + std::to_string(report.measurements) + " measurement" +
            (report.measurements == 1 ? "" : "s") +
            (report.segments > 1 ? ", " + std::to_string(report.segments) + " segments" : "");
  c.subtitle = fit ? rate_words(*fit) : "no fit: " + report.no_fit_reason;
  for (const auto& row : report.rows) {
    if (row.type == RecordType::reset) c.events.push_back({row.time_unix_s, EventKind::reset, "reset"});
    if (row.type == RecordType::step) c.events.push_back({row.time_unix_s, EventKind::step, "step " + fixed(row.amount_s, 3, true) + " s", row.amount_s});
  }
  for (const auto& t : log.trim_events) {
    if (t.offset_ppb == t.previous_ppb) continue;  // a re-apply that changed nothing
    c.events.push_back({t.time_unix_s, EventKind::trim, "trim " + fixed(t.offset_ppb, 0, true) + " ppb", t.offset_ppb});
  }
  if (fit) {
    for (int s = 0; s < static_cast<int>(fit->segments.size()); ++s)
      for (auto& line : segment_lines(*fit, s)) c.lines.push_back(std::move(line));
  }
  return c;
}

std::vector<SegmentSummary> segment_summaries(const DriftFit& fit, const std::vector<TableRow>& rows) {
  // The reset's time before each segment: the last reset row that opened it
  // (a change point: midway between its two readings).
  std::vector<std::optional<double>> reset_at(fit.segments.size());
  for (const auto& row : rows)
    if (row.type == RecordType::reset && row.segment >= 0 && static_cast<size_t>(row.segment) < reset_at.size())
      reset_at[static_cast<size_t>(row.segment)] = row.time_unix_s;
  if (const auto& c = fit.change_point) {
    for (const auto& p : fit.points)
      if (p.record_index == c->after_record_index) reset_at[static_cast<size_t>(p.segment)] = 0.5 * (c->before_unix_s + c->after_unix_s);
  }
  std::vector<SegmentSummary> out;
  for (int s = 0; s < static_cast<int>(fit.segments.size()); ++s) {
    const auto& seg = fit.segments[static_cast<size_t>(s)];
    SegmentSummary sum{s, seg.start_unix_s, seg.end_unix_s, seg.points, std::nullopt, 0.0};
    const auto t = reset_at[static_cast<size_t>(s)];
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

ReportData build_report(const LogView& log, Result<DriftFit> fit, size_t full_table_up_to) {
  ReportData report;
  if (fit) report.fit = std::move(fit).value();
  else {
    report.no_fit_reason = fit.error().cause;
    report.no_fit_fix = fit.error().fix;
  }
  const DriftFit* f = report.fit ? &*report.fit : nullptr;
  const auto total = static_cast<size_t>(log.measurements);
  const bool every = total <= full_table_up_to;
  walk_rows(log, f, [&](const TableRow& row) {
    ++report.measurements;
    report.segments = std::max(report.segments, row.segment + 1);
    const bool keep = every || notable(row) || static_cast<size_t>(row.number) + kLastRows > total;
    report.rows_hidden += keep ? 0 : 1;
    return keep;
  }, [&](TableRow&& row) {
    report.segments = std::max(report.segments, row.segment + 1);
    report.rows.push_back(std::move(row));
  });
  if (report.fit) report.segment_summaries = segment_summaries(*report.fit, report.rows);
  report.chart = chart_of(report, log);
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

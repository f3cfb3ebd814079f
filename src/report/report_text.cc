// The report's table, fit summary and JSON (see report_text.h).
#include "src/report/report_text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "base/number_text.h"
#include "src/report/axis.h"
#include "src/report/text_chart.h"

namespace rtcal::history {
namespace {

using state::RecordType;
using Json = nlohmann::ordered_json;

std::string row_text(const char* format, const std::string& a, const std::string& b, const std::string& c,
                     const std::string& d, const std::string& e, const std::string& f, const std::string& g,
                     const std::string& h) {
  char line[512];
  std::snprintf(line, sizeof line, format, a.c_str(), b.c_str(), c.c_str(), d.c_str(), e.c_str(), f.c_str(), g.c_str(),
                h.c_str());
  std::string s = line;
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s + "\n";
}

constexpr const char* kRowFormat = "%3s  %-16s  %3s  %-6s %9s %8s %8s  %s";

std::string note_of(const TableRow& row) {
  std::string note = row.dropped ? "dropped" : row.outlier ? "outlier" : "";
  const auto add = [&](const std::string& more) { note += (note.empty() ? "" : ", ") + more; };
  if (row.hour_jump_s != 0.0) add("jump " + hour_jump_words(row.hour_jump_s));
  if (row.change_point) add("unlogged step before it");
  if (!row.notes.empty()) add("note: " + row.notes);
  return note;
}

std::string measurement_line(const TableRow& row) {
  return row_text(kRowFormat, std::to_string(row.number), utc_text(row.time_unix_s, false),
                  std::to_string(row.segment + 1), row.source.substr(0, 6), fixed(row.rtc_error_s, 3, true),
                  fixed(row.sigma_s, 3), row.residual_s ? fixed(*row.residual_s, 3, true) : "-", note_of(row));
}

std::string event_line(const TableRow& row) {
  std::string what = row.type == RecordType::reset
                         ? "reset" + (row.reason.empty() ? std::string() : ": " + row.reason) + " (new segment)"
                         : "step " + fixed(row.amount_s, 3, true) + " s" + (row.reason.empty() ? "" : " (" + row.reason + ")");
  return "     " + utc_text(row.time_unix_s, false) + "  " + what + "\n";
}

std::string numbers_of(const ReportData& report, bool (*pick)(const TableRow&)) {
  std::string s;
  for (const auto& row : report.rows)
    if (row.type == RecordType::measurement && pick(row)) s += (s.empty() ? "#" : ", #") + std::to_string(row.number);
  return s;
}

// "segment 2: 2026-10-13 to 2026-11-10, 5 measurements", and on a second line
// what the reset before it did to the RTC.
std::string segment_line(const SegmentSummary& seg) {
  std::string s = "     segment " + std::to_string(seg.segment + 1) + ": " + utc_text(seg.start_unix_s).substr(0, 10) + " to " +
                  utc_text(seg.end_unix_s).substr(0, 10) + ", " + std::to_string(seg.points) + " measurement" +
                  (seg.points == 1 ? "" : "s");
  if (seg.reset_jump_s) {
    const int decimals = std::clamp(1 - static_cast<int>(std::floor(std::log10(std::max(seg.reset_jump_half_width_s, 1e-6)) + 1e-9)), 0, 6);
    s += "\n       the reset before it moved the RTC " + fixed(*seg.reset_jump_s, decimals, true) + " s (95%: +-" +
         fixed(seg.reset_jump_half_width_s, decimals) + " s)";
  }
  return s + "\n";
}

Json row_json(const TableRow& row) {
  Json j;
  j["type"] = std::string(state::record_type_name(row.type));
  j["line"] = row.line;
  j["time"] = row.time_unix_s;
  j["segment"] = row.segment + 1;
  if (row.type == RecordType::measurement) {
    j["number"] = row.number;
    j["rtc_error"] = row.rtc_error_s;
    j["sigma"] = row.sigma_s;
    j["source"] = row.source;
    j["fitted"] = row.fitted_s ? Json(*row.fitted_s) : Json(nullptr);
    j["residual"] = row.residual_s ? Json(*row.residual_s) : Json(nullptr);
    j["outlier"] = row.outlier;
    j["hour_jump"] = row.hour_jump_s;
    j["dropped"] = row.dropped;
    j["notes"] = row.notes;
  } else {
    if (row.type == RecordType::step) j["amount"] = row.amount_s;
    j["reason"] = row.reason;
  }
  return j;
}

}  // namespace

std::string report_table(const ReportData& report) {
  std::string out = row_text(kRowFormat, "#", "date (UTC)", "seg", "source", "error s", "sigma s", "resid s", "note");
  for (const auto& row : report.rows) out += row.type == RecordType::measurement ? measurement_line(row) : event_line(row);
  if (report.rows_hidden > 0)
    out += "(" + std::to_string(report.rows_hidden) + " unremarkable measurements not listed: only flagged ones and the last 10; --all lists every one)\n";
  return out;
}

std::string fit_summary(const ReportData& report) {
  if (!report.fit) return wrap_words("No fit: " + report.no_fit_reason + (report.no_fit_fix.empty() ? "" : "; " + report.no_fit_fix) + ".", 80, 5);
  const auto& fit = *report.fit;
  std::string out = "Fit: " + rate_words(fit) + "\n";
  out += "     from " + std::to_string(fit.n) + " of " + std::to_string(report.measurements) + " measurements in " +
         std::to_string(report.segments) + " segment" + (report.segments == 1 ? "" : "s");
  const std::string outliers = numbers_of(report, [](const TableRow& r) { return r.outlier; });
  out += "\n";
  if (!outliers.empty()) out += "     outliers left out of the fit: " + outliers + "\n";
  const std::string jumps = numbers_of(report, [](const TableRow& r) { return r.hour_jump_s != 0.0; });
  if (!jumps.empty()) out += "     hour jumps taken out just before " + jumps + "\n";
  if (const auto& c = fit.change_point) {
    out += "     an unlogged step of the RTC (" + fixed(c->step_s, 3, true) + " s) between " + utc_text(c->before_unix_s) +
           " and " + utc_text(c->after_unix_s) + ", treated as a reset\n";
  }
  for (const auto& seg : report.segment_summaries) out += segment_line(seg);
  for (const auto& e : report.chart.events) {
    if (e.kind != EventKind::trim) continue;
    out += "     " + e.label + " on " + utc_text(e.time_unix_s) + ": the readings before it are shown as they would read at "
           "the trimmed rate\n";
  }
  out += "     hwclock correction factor " + fixed(fit.factor_s_per_day, 6) + " s/day\n";
  if (fit.two_point_rate_s_per_day) {
    out += "     two-point answer (hwclock --update-drift) on the same data: " +
           fixed(*fit.two_point_rate_s_per_day, 4, true) + " s/day\n";
  }
  return out;
}

Json report_json(const ReportData& report, const std::string& log_path) {
  Json j;
  j["log"] = log_path;
  j["measurements"] = report.measurements;
  j["segments"] = report.segments;
  j["rows_hidden"] = report.rows_hidden;
  j["rows"] = Json::array();
  for (const auto& row : report.rows) j["rows"].push_back(row_json(row));
  j["trims"] = Json::array();
  for (const auto& e : report.chart.events)
    if (e.kind == EventKind::trim) j["trims"].push_back({{"time", e.time_unix_s}, {"offset_ppb", e.amount}});
  if (report.fit) {
    const auto& fit = *report.fit;
    Json f;
    f["rate_s_per_day"] = fit.rate_s_per_day;
    f["rate_ppm"] = fit.rate_ppm;
    f["ci95_s_per_day"] = Json::array({fit.ci95_low_s_per_day, fit.ci95_high_s_per_day});
    f["factor"] = fit.factor_s_per_day;
    f["n"] = fit.n;
    f["outlier_numbers"] = Json::array();
    for (const auto& row : report.rows)
      if (row.outlier) f["outlier_numbers"].push_back(row.number);
    f["two_point_factor"] = fit.two_point_factor_s_per_day ? Json(*fit.two_point_factor_s_per_day) : Json(nullptr);
    f["segments"] = Json::array();
    for (const auto& seg : report.segment_summaries) {
      Json js;
      js["segment"] = seg.segment + 1;
      js["start"] = seg.start_unix_s;
      js["end"] = seg.end_unix_s;
      js["measurements"] = seg.points;
      js["reset_jump_s"] = seg.reset_jump_s ? Json(*seg.reset_jump_s) : Json(nullptr);
      js["reset_jump_ci95_s"] = seg.reset_jump_s ? Json(seg.reset_jump_half_width_s) : Json(nullptr);
      f["segments"].push_back(js);
    }
    j["fit"] = f;
    j["no_fit"] = nullptr;
  } else {
    j["fit"] = nullptr;
    j["no_fit"] = report.no_fit_reason;
  }
  return j;
}

}  // namespace rtcal::history

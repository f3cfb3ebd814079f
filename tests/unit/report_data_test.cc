// The adapter from the log and the drift fit to the report
// (src/report/report_data, report_text): table rows in log order with their
// fit and residual, an outlier and an hour jump flagged, the chart's points
// with the hour jump taken out, one line piece per stretch between known
// steps, the band around the line, events for steps and resets, the rate in
// words, and a log that cannot be fitted still giving a table and points.
#include <cmath>

#include <doctest/doctest.h>

#include "calibration/fit.h"
#include "src/report/report_data.h"
#include "src/report/report_text.h"
#include "tests/unit/test_support.h"

using namespace rtcal;
using namespace rtcal::history;
using state::LogRecord;
using state::RecordType;

namespace {

using rtcal::test_support::kNov1;
using rtcal::test_support::kDay;

LogRecord measurement_on_day(double day, double error_s, double sigma_s = 0.01) {
  LogRecord r;
  r.type = RecordType::measurement;
  r.time_unix_s = kNov1 + day * kDay;
  r.rtc_error_s = error_s;
  r.sigma_s = sigma_s;
  r.source = "ntp";
  return r;
}

LogRecord event(RecordType type, double day, double amount_s = 0) {
  LogRecord r;
  r.type = type;
  r.time_unix_s = kNov1 + day * kDay;
  r.amount_s = amount_s;
  r.reason = type == RecordType::step ? "adjust" : "battery";
  return r;
}

// Gains 0.5 s/day from +1 s; a -3 s step on day 7; a typo on day 9; a reset
// on day 16; segment 2 from -2 s with an hour jump before day 21.
std::vector<LogRecord> sample_log() {
  std::vector<LogRecord> r;
  for (double d : {0.0, 2.0, 4.0, 6.0}) r.push_back(measurement_on_day(d, 1 + 0.5 * d));
  r.push_back(event(RecordType::step, 7, -3));
  for (double d : {8.0, 9.0, 11.0, 14.0}) r.push_back(measurement_on_day(d, 1 + 0.5 * d - 3 + (d == 9 ? 60 : 0)));
  r.push_back(event(RecordType::reset, 16));
  for (double d : {17.0, 19.0, 21.0, 23.0}) r.push_back(measurement_on_day(d, -2 + 0.5 * (d - 16) + (d >= 21 ? 3600 : 0)));
  return r;
}

ReportData built(const std::vector<LogRecord>& records) {
  const LogView view = view_of(records);
  return build_report(view, calibration::fit_drift(view.observations));
}

}  // namespace

TEST_CASE("report data: table rows in log order with fit, residuals and flags") {
  const ReportData r = built(sample_log());
  REQUIRE(r.fit);
  CHECK(r.fit->rate_s_per_day == doctest::Approx(0.5).epsilon(1e-6));
  CHECK(r.measurements == 12);
  CHECK(r.segments == 2);
  REQUIRE(r.rows.size() == 14);
  CHECK(r.rows[4].type == RecordType::step);
  CHECK(r.rows[4].amount_s == -3);
  CHECK(r.rows[9].type == RecordType::reset);
  CHECK(r.rows[9].segment == 1);
  const TableRow& typo = r.rows[6];
  CHECK(typo.number == 6);
  CHECK(typo.outlier);
  REQUIRE(typo.residual_s);
  CHECK(*typo.residual_s == doctest::Approx(60).epsilon(1e-6));
  const TableRow& after_step = r.rows[5];
  REQUIRE(after_step.fitted_s);
  CHECK(*after_step.fitted_s == doctest::Approx(1 + 0.5 * 8 - 3).epsilon(1e-6));  // in the RTC's own terms
  const TableRow& jump = r.rows[12];
  CHECK(jump.number == 11);
  CHECK(jump.hour_jump_s == 3600);
  CHECK(jump.segment == 1);
  REQUIRE(jump.fitted_s);
  CHECK(*jump.fitted_s == doctest::Approx(3600 + 0.5).epsilon(1e-9));
}

TEST_CASE("report data: chart points, line pieces, band, events") {
  const ReportData r = built(sample_log());
  const ChartData& c = r.chart;
  REQUIRE(c.points.size() == 12);
  CHECK(c.points[5].mark == PointMark::outlier);
  CHECK(c.points[10].mark == PointMark::hour_jump);
  CHECK(c.points[10].note == "+1 h");
  CHECK(c.points[10].error_s == doctest::Approx(0.5));  // the hour taken out
  CHECK(c.points[11].mark == PointMark::normal);
  CHECK(c.points[11].error_s == doctest::Approx(1.5));
  REQUIRE(c.lines.size() == 3);  // segment 1 cut at its step, segment 2 whole
  CHECK(c.lines[0].segment == 0);
  CHECK(c.lines[2].segment == 1);
  CHECK(c.lines[0].samples.front().error_s == doctest::Approx(1.0).epsilon(1e-6));
  CHECK(c.lines[0].samples.back().error_s == doctest::Approx(1 + 0.5 * 7).epsilon(1e-4));  // just before the step
  CHECK(c.lines[1].samples.front().error_s == doctest::Approx(1 + 0.5 * 7 - 3).epsilon(1e-6));
  CHECK(c.lines[2].samples.back().error_s == doctest::Approx(1.5).epsilon(1e-6));
  for (const auto& line : c.lines)
    for (const auto& s : line.samples) {
      CHECK(s.low_s < s.error_s);
      CHECK(s.high_s > s.error_s);
      CHECK(s.high_s - s.error_s == doctest::Approx(s.error_s - s.low_s));
    }
  REQUIRE(c.events.size() == 2);
  CHECK(c.events[0].kind == EventKind::step);
  CHECK(c.events[0].label == "step -3.000 s");
  CHECK(c.events[1].kind == EventKind::reset);
  CHECK(c.title == "RTC error over time: 12 measurements, 2 segments");
  REQUIRE(r.segment_summaries.size() == 2);
  CHECK_FALSE(r.segment_summaries[0].reset_jump_s);
  REQUIRE(r.segment_summaries[1].reset_jump_s);
  CHECK(*r.segment_summaries[1].reset_jump_s == doctest::Approx(-2 - (1 + 0.5 * 16 - 3)).epsilon(1e-6));
  CHECK(r.segment_summaries[1].reset_jump_half_width_s > 0);
  CHECK(r.segment_summaries[1].points == 4);
  CHECK(c.subtitle.rfind("the RTC gains 0.5", 0) == 0);
}

TEST_CASE("report data: the rate in words") {
  calibration::DriftFit fit;
  fit.rate_s_per_day = -0.4;
  fit.rate_ppm = -0.4 / 0.0864;
  fit.ci95_low_s_per_day = -0.41;
  fit.ci95_high_s_per_day = -0.39;
  CHECK(rate_words(fit) == "the RTC loses 0.400 s/day (95%: 0.390 to 0.410), 4.63 ppm");
  fit.rate_s_per_day = 12.0;
  fit.rate_ppm = 12.0 / 0.0864;
  fit.ci95_low_s_per_day = 9.0;
  fit.ci95_high_s_per_day = 15.0;
  CHECK(rate_words(fit) == "the RTC gains 12.0 s/day (95%: 9.0 to 15.0), 138.89 ppm");
  CHECK(hour_jump_words(3600) == "+1 h");
  CHECK(hour_jump_words(-7200) == "-2 h");
  CHECK(hour_jump_words(1800) == "+30 min");
}

TEST_CASE("report data: one measurement, no fit, still a table and a point") {
  const std::vector<LogRecord> one{measurement_on_day(3, 0.25)};
  const ReportData r = built(one);
  CHECK_FALSE(r.fit);
  CHECK_FALSE(r.no_fit_reason.empty());
  REQUIRE(r.rows.size() == 1);
  CHECK_FALSE(r.rows[0].residual_s);
  CHECK(r.chart.points.size() == 1);
  CHECK(r.chart.lines.empty());
  CHECK(r.chart.subtitle.rfind("no fit: ", 0) == 0);
  CHECK(fit_summary(r).rfind("No fit: ", 0) == 0);
  const std::string table = report_table(r);
  CHECK(table.find("  1  2026-11-04 00:00    1  ntp       +0.250    0.010        -") != std::string::npos);
  const auto j = report_json(r, "log.jsonl");
  CHECK(j["fit"].is_null());
  CHECK(j["rows"][0]["residual"].is_null());
  CHECK(j["rows"][0]["segment"] == 1);
}

TEST_CASE("report data: a trim that changed the chip's rate is a chart event; a re-apply of the same value is not") {
  std::vector<LogRecord> records;
  for (double d : {0.0, 2.0, 4.0}) records.push_back(measurement_on_day(d, 0.5 * d));
  LogRecord trim;
  trim.type = RecordType::trim;
  trim.time_unix_s = kNov1 + 5 * kDay;
  trim.offset_ppb = 5787;
  trim.previous_ppb = 0;
  trim.trim_sign = 1;
  trim.reason = "from-fit";
  records.push_back(trim);
  LogRecord again = trim;
  again.time_unix_s = kNov1 + 6 * kDay;
  again.previous_ppb = 5787;
  again.reason = "reapply";
  records.push_back(again);
  for (double d : {7.0, 9.0}) records.push_back(measurement_on_day(d, 0.5 * 5));
  const ReportData r = built(records);
  REQUIRE(r.chart.events.size() == 1);
  CHECK(r.chart.events[0].kind == EventKind::trim);
  CHECK(r.chart.events[0].label == "trim +5787 ppb");
  CHECK(r.chart.events[0].amount == doctest::Approx(5787));
  CHECK(r.chart.events[0].time_unix_s == doctest::Approx(kNov1 + 5 * kDay));
}

// The report's charts (src/report/text_chart, svg_chart) on synthetic chart
// data: every text line within the width asked for, the slope drawn in the
// right direction, one point, all points equal, a zero-width time range, a
// huge outlier clipped to the edge instead of squashing the rest, the legend
// listing only what is drawn; the SVG's structure (one mark per point, one
// band and line per segment, clipped points labelled) and XML escaping.
#include <algorithm>
#include <sstream>

#include <doctest/doctest.h>

#include "src/report/svg_chart.h"
#include "src/report/text_chart.h"
#include "tests/unit/test_support.h"

using namespace rtcal::history;

namespace {

using rtcal::test_support::kNov1;
using rtcal::test_support::kDay;

// `n` measurements every 3 days of an RTC gaining `rate` s/day from `e0` s,
// with the straight line and a 0.05 s band over them.
ChartData drifting(int n, double rate, double e0 = 1.0) {
  ChartData d;
  d.title = "RTC error over time";
  SegmentLine line;
  for (int i = 0; i < n; ++i) {
    const double t = kNov1 + i * 3 * kDay, e = e0 + rate * i * 3;
    d.points.push_back({t, e, 0.05, PointMark::normal, 0, ""});
    line.samples.push_back({t, e, e - 0.05, e + 0.05});
  }
  d.lines.push_back(line);
  return d;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// Rows of the plot area (top = 0) at which `mark` appears, in column order.
// The plot is the lines between "RTC error (...)" and the time axis.
std::vector<int> rows_of(const std::string& chart, char mark) {
  std::vector<std::pair<size_t, int>> at;
  const auto lines = lines_of(chart);
  size_t first = 0;
  while (first < lines.size() && lines[first].rfind("RTC error (", 0) != 0) ++first;
  for (size_t i = first + 1; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    const size_t bar = l.find_first_of("+|");
    if (bar == std::string::npos || l.compare(bar, 2, "+-") == 0) break;  // the time axis
    for (size_t c = bar + 1; c < l.size(); ++c)
      if (l[c] == mark) at.push_back({c, static_cast<int>(i - first - 1)});
  }
  std::sort(at.begin(), at.end());
  std::vector<int> rows;
  for (auto& [c, r] : at) rows.push_back(r);
  return rows;
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

void check_width(const ChartData& d, int width) {
  const std::string chart = text_chart(d, {width, 17});
  for (const auto& l : lines_of(chart)) {
    INFO("width " << width << ": '" << l << "'");
    CHECK(static_cast<int>(l.size()) <= width);
    CHECK(std::all_of(l.begin(), l.end(), [](char c) { return c >= 0x20 && c < 0x7f; }));
  }
}

}  // namespace

TEST_CASE("report text chart: no line wider than asked, ASCII only") {
  ChartData two = drifting(6, 0.4);
  two.events.push_back({kNov1 + 16 * kDay, EventKind::reset, "reset"});
  two.events.push_back({kNov1 + 7 * kDay, EventKind::step, "step +1.000 s"});
  two.points.push_back({kNov1 + 4 * kDay, 1e6, 0.2, PointMark::outlier, 0, ""});
  two.points.push_back({kNov1 + 17 * kDay, -3, 0.2, PointMark::hour_jump, 1, "+1 h"});
  for (const ChartData& d : {drifting(1, 0.0), drifting(8, 0.4), drifting(5, -0.02, 0.001), two}) {
    for (int width : {40, 60, 80, 132}) check_width(d, width);
  }
  CHECK(lines_of(text_chart(drifting(3, 1), {10, 17}))[5].size() <= static_cast<size_t>(kMinTextWidth));
}

TEST_CASE("report text chart: a gaining RTC rises left to right, a losing one falls") {
  const auto up = rows_of(text_chart(drifting(8, 0.4), {}), 'o');
  REQUIRE(up.size() == 8);
  CHECK(up.front() > up.back());  // lower row index = higher on screen
  CHECK(std::is_sorted(up.rbegin(), up.rend()));
  const auto down = rows_of(text_chart(drifting(8, -0.4), {}), 'o');
  REQUIRE(down.size() == 8);
  CHECK(down.front() < down.back());
  const std::string chart = text_chart(drifting(8, 0.4), {});
  CHECK(chart.find('/') != std::string::npos);
  CHECK(rows_of(chart, '\\').empty());
}

TEST_CASE("report text chart: one point, all equal, zero-width time range") {
  const std::string one = text_chart(drifting(1, 0.0), {});
  CHECK(rows_of(one, 'o').size() == 1);
  CHECK(one.find("RTC error (s), + = RTC fast") != std::string::npos);

  ChartData flat = drifting(5, 0.0);
  const std::string f = text_chart(flat, {});
  const auto rows = rows_of(f, 'o');
  CHECK(rows.size() == 5);
  CHECK(std::adjacent_find(rows.begin(), rows.end(), std::not_equal_to<>()) == rows.end());

  ChartData same_time;
  for (int i = 0; i < 3; ++i) same_time.points.push_back({kNov1 + kDay / 2, 0.001 * i, 0.0005, PointMark::normal, 0, ""});
  const std::string z = text_chart(same_time, {});
  CHECK(z.find("RTC error (ms)") != std::string::npos);
  CHECK(rows_of(z, 'o').size() == 3);
  CHECK(z.find("date (UTC, 2026-11-01)") != std::string::npos);
}

TEST_CASE("report text chart: a huge outlier is clipped, the drift stays readable") {
  ChartData d = drifting(8, 0.4);
  d.points.push_back({kNov1 + 10 * kDay, 1e6, 0.2, PointMark::outlier, 0, ""});
  d.points.push_back({kNov1 + 11 * kDay, -1e6, 0.2, PointMark::outlier, 0, ""});
  const std::string chart = text_chart(d, {});
  CHECK(rows_of(chart, '^').size() == 1);
  CHECK(rows_of(chart, 'v').size() == 1);
  const auto rows = rows_of(chart, 'o');
  REQUIRE(rows.size() == 8);
  CHECK(rows.front() - rows.back() >= 10);  // spread over most of the 17 rows
  CHECK(chart.find("^ v beyond the edge") != std::string::npos);
  CHECK(chart.find("x outlier") == std::string::npos);  // none drawn inside

  d.points.push_back({kNov1 + 12 * kDay, 5.0, 0.2, PointMark::outlier, 0, ""});
  CHECK(text_chart(d, {}).find("x outlier (not fitted)") != std::string::npos);
}

TEST_CASE("report text chart: resets and steps on the time axis, legend of what is drawn") {
  ChartData d = drifting(6, 0.4);
  d.events.push_back({kNov1 + 8 * kDay, EventKind::reset, "reset"});
  const std::string chart = text_chart(d, {});
  CHECK(chart.find(": R reset (new segment)") != std::string::npos);
  CHECK(chart.find("S known step") == std::string::npos);
  CHECK(count(chart, "R") >= 2);  // on the axis and in the legend
  CHECK(chart.find("H hour jump") == std::string::npos);
  CHECK(chart.find("date (UTC, 2026)") != std::string::npos);
}

TEST_CASE("report charts: a trim of the chip's rate is marked T on the text axis and dotted in the SVG") {
  ChartData d = drifting(6, 0.4);
  d.events.push_back({kNov1 + 8 * kDay, EventKind::trim, "trim +39060 ppb"});
  const std::string chart = text_chart(d, {});
  CHECK(chart.find("T trim of the chip's rate") != std::string::npos);
  CHECK(chart.find(": R reset") == std::string::npos);
  CHECK(count(chart, "T") >= 2);  // on the axis and in the legend
  const std::string svg = svg_chart(d);
  CHECK(svg.find("trim +39060 ppb") != std::string::npos);
  CHECK(svg.find("stroke-dasharray=\"1,4\"") != std::string::npos);  // the marker, and its legend line
  const bool legend = svg.find("trim of the chip&apos;s rate") != std::string::npos ||
                      svg.find("trim of the chip's rate") != std::string::npos;
  CHECK(legend);
}

TEST_CASE("report svg: one mark per point, a band and a line per segment, escaped text") {
  ChartData d = drifting(5, 0.4);
  d.title = "RTC <error> & \"drift\"";
  d.points.push_back({kNov1 + 4 * kDay, 1e6, 0.2, PointMark::outlier, 0, ""});
  d.points.push_back({kNov1 + 5 * kDay, 3.0, 0.2, PointMark::hour_jump, 0, "+1 h"});
  d.events.push_back({kNov1 + 20 * kDay, EventKind::reset, "reset <1>"});
  const std::string svg = svg_chart(d);
  CHECK(svg.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 0) == 0);
  CHECK(svg.find("</svg>\n") == svg.size() - 7);
  CHECK(count(svg, "<circle class=\"point\"") == 5);
  CHECK(count(svg, "class=\"clipped\"") == 1);
  CHECK(count(svg, "class=\"hour-jump\"") == 1);
  CHECK(count(svg, "<polygon class=\"band\"") == 1);
  CHECK(count(svg, "<polyline class=\"fit\"") == 1);
  CHECK(svg.find("+1000000.000 s") != std::string::npos);  // the clipped point's value
  CHECK(svg.find("RTC &lt;error&gt; &amp; &quot;drift&quot;") != std::string::npos);
  CHECK(svg.find("reset &lt;1&gt;") != std::string::npos);
  CHECK(svg.find("<error>") == std::string::npos);
  CHECK(count(svg, "<g") == count(svg, "</g>"));
  CHECK(svg.find("nan") == std::string::npos);
}

TEST_CASE("report svg: xml_escape") {
  CHECK(xml_escape("a<b>&'\"") == "a&lt;b&gt;&amp;&apos;&quot;");
  CHECK(xml_escape(std::string("x\x01y\tz\n", 6)) == "xy\tz\n");
  CHECK(xml_escape("µs ±") == "µs ±");
}

TEST_CASE("report svg: degenerate data still draws") {
  ChartData one = drifting(1, 0);
  const std::string svg = svg_chart(one);
  CHECK(count(svg, "<circle class=\"point\"") == 1);
  CHECK(svg.find("nan") == std::string::npos);
  CHECK(svg.find("inf") == std::string::npos);
  ChartData empty;
  CHECK(svg_chart(empty).find("</svg>") != std::string::npos);
  CHECK(text_chart(empty, {}).find("RTC error") != std::string::npos);
}

// The report's chart as plain text for a terminal: RTC error (y, s or ms)
// against date (x, UTC), with round tick labels on both axes, measurements
// ('o') with their ±1 sigma bars ('|'), outliers ('x'), hour jumps ('H'),
// points beyond the frame as '^'/'v' on its edge, the fitted line of each
// segment ('-', '/', '\'), its 95% band ('.'), resets (':' column, 'R' on the
// time axis), known steps ('S' on the time axis) and a legend of the marks
// present. ASCII only; no line is longer than the width asked for.
#pragma once

#include <string>

#include "src/report/chart_data.h"

namespace rtcal::history {

inline constexpr int kMinTextWidth = 40;
inline constexpr int kMaxTextWidth = 400;

struct TextChartOptions {
  int width = 80;   // columns of every line, kMinTextWidth..kMaxTextWidth
  int height = 17;  // rows of the plot area (about; ticks fall on whole rows)
};

// `text` wrapped at spaces into '\n'-terminated lines of at most `width`
// columns (a longer word is cut), every line after the first indented by
// `indent` spaces.
std::string wrap_words(const std::string& text, int width, int indent);

// The chart, '\n'-terminated lines. `options.width` is clamped to the limits.
std::string text_chart(const ChartData& data, TextChartOptions options);

}  // namespace rtcal::history

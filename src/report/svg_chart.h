// The report's chart as a standalone SVG document for a browser: a title and
// subtitle, the error axis (s or ms) and the date axis (UTC) with gridlines
// and round tick labels, each segment's fitted line in its own colour over
// its shaded 95% band, measurements with ±1 sigma error bars, outliers as red
// crosses, hour jumps as orange diamonds with their size, points beyond the
// frame as triangles on its edge labelled with their value, resets and known
// steps as labelled vertical lines, and a legend. Every point carries a
// tooltip (<title>) with its date, error and sigma. Text is XML-escaped;
// numbers are written in the C locale.
#pragma once

#include <string>
#include <string_view>

#include "src/report/chart_data.h"

namespace rtcal::history {

struct SvgChartOptions {
  int width_px = 960;
  int height_px = 560;
};

// The whole document, starting with the XML declaration.
std::string svg_chart(const ChartData& data, SvgChartOptions options = {});

// `text` with & < > " ' replaced by their XML entities, and control
// characters other than tab and newline (not allowed in XML 1.0) dropped.
std::string xml_escape(std::string_view text);

}  // namespace rtcal::history

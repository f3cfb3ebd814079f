// The SVG chart (see svg_chart.h). A Frame maps times and errors to pixels;
// each part of the picture is drawn by its own function, in paint order:
// grid, bands, events, lines, error bars, points, axes, legend.
#include "src/report/svg_chart.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <vector>

namespace rtcal::history {
namespace {

constexpr const char* kSegmentColours[] = {"#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#17becf", "#e377c2"};
constexpr const char* kOutlierColour = "#d62728";
constexpr const char* kHourJumpColour = "#ff7f0e";

const char* colour_of(int segment) { return kSegmentColours[static_cast<size_t>(std::max(segment, 0)) % 6]; }

// A pixel coordinate, two decimals, C locale.
std::string px(double v) {
  char text[64];
  auto [end, ec] = std::to_chars(text, text + sizeof text, std::round(v * 100) / 100, std::chars_format::fixed, 2);
  return ec == std::errc() ? std::string(text, end) : "0";
}

std::string signed_value(double v, int decimals) {
  char text[64];
  auto [end, ec] = std::to_chars(text, text + sizeof text, v, std::chars_format::fixed, decimals);
  std::string s = ec == std::errc() ? std::string(text, end) : "?";
  return (v >= 0 ? "+" : "") + s;
}

// Where things land on the page.
struct Frame {
  double left = 90, top = 70, right = 0, bottom = 0;  // the plot area, px
  Range time, error;                                  // error in unit.name
  ErrorUnit unit;
  Ticks error_ticks;
  DateTicks time_ticks;

  double x(double t) const { return left + (t - time.min) / time.span() * (right - left); }
  double y(double error_s) const { return top + (error.max - error_s * unit.per_s) / error.span() * (bottom - top); }
  std::string value_text(double error_s) const {
    return signed_value(error_s * unit.per_s, unit.name == "ms" ? 1 : 3) + " " + unit.name;
  }
};

Frame frame_of(const ChartData& data, const SvgChartOptions& o) {
  Frame f;
  f.right = o.width_px - 30.0;
  f.bottom = o.height_px - 150.0;
  const ChartFrame cf = frame_for(data);
  f.time = cf.time_unix_s;
  f.unit = error_unit_for(cf.error_s);
  f.error = Range{cf.error_s.min * f.unit.per_s, cf.error_s.max * f.unit.per_s};
  f.error_ticks = linear_ticks(f.error, 11);
  f.time_ticks = date_ticks(f.time, std::max(2, static_cast<int>((f.right - f.left) / 90)));
  return f;
}

void line(std::string& out, double x1, double y1, double x2, double y2, const std::string& style) {
  out += "<line x1=\"" + px(x1) + "\" y1=\"" + px(y1) + "\" x2=\"" + px(x2) + "\" y2=\"" + px(y2) + "\" " + style + "/>\n";
}

void text(std::string& out, double x, double y, std::string_view s, const std::string& style) {
  out += "<text x=\"" + px(x) + "\" y=\"" + px(y) + "\" " + style + ">" + xml_escape(s) + "</text>\n";
}

void grid_and_axes(std::string& out, const Frame& f) {
  out += "<g class=\"grid\" stroke=\"#dddddd\" stroke-width=\"1\">\n";
  for (double v : f.error_ticks.values) line(out, f.left, f.y(v / f.unit.per_s), f.right, f.y(v / f.unit.per_s), "");
  for (double t : f.time_ticks.values) line(out, f.x(t), f.top, f.x(t), f.bottom, "");
  out += "</g>\n<g class=\"axes\" fill=\"#333333\">\n";
  for (size_t i = 0; i < f.error_ticks.values.size(); ++i) {
    text(out, f.left - 8, f.y(f.error_ticks.values[i] / f.unit.per_s) + 4, f.error_ticks.labels[i], "text-anchor=\"end\"");
  }
  for (size_t i = 0; i < f.time_ticks.values.size(); ++i) {
    text(out, f.x(f.time_ticks.values[i]), f.bottom + 18, f.time_ticks.labels[i], "text-anchor=\"middle\"");
  }
  const double mid_y = (f.top + f.bottom) / 2;
  text(out, 22, mid_y, "RTC error (" + f.unit.name + "), + = RTC fast",
       "text-anchor=\"middle\" transform=\"rotate(-90 22 " + px(mid_y) + ")\"");
  text(out, (f.left + f.right) / 2, f.bottom + 40, "date (" + f.time_ticks.caption + ")", "text-anchor=\"middle\"");
  out += "<rect x=\"" + px(f.left) + "\" y=\"" + px(f.top) + "\" width=\"" + px(f.right - f.left) + "\" height=\"" +
         px(f.bottom - f.top) + "\" fill=\"none\" stroke=\"#333333\"/>\n</g>\n";
}

// Each line's band as a polygon: the upper edge forward, the lower back.
void bands(std::string& out, const ChartData& data, const Frame& f) {
  out += "<g class=\"bands\" clip-path=\"url(#plot)\" stroke=\"none\">\n";
  for (const auto& l : data.lines) {
    std::string points;
    for (const auto& s : l.samples) points += px(f.x(s.time_unix_s)) + "," + px(f.y(s.high_s)) + " ";
    for (auto s = l.samples.rbegin(); s != l.samples.rend(); ++s) points += px(f.x(s->time_unix_s)) + "," + px(f.y(s->low_s)) + " ";
    out += "<polygon class=\"band\" data-segment=\"" + std::to_string(l.segment + 1) + "\" fill=\"" + colour_of(l.segment) +
           "\" fill-opacity=\"0.2\" points=\"" + points + "\"/>\n";
  }
  out += "</g>\n";
}

// The dashes of an event's line: long for a reset, short for a step, dotted for a trim.
const char* dash_of(EventKind kind) {
  switch (kind) {
    case EventKind::reset: return "6,4";
    case EventKind::step: return "2,3";
    case EventKind::trim: return "1,4";
  }
  return "6,4";
}

void events(std::string& out, const ChartData& data, const Frame& f) {
  out += "<g class=\"events\" fill=\"#555555\">\n";
  for (const auto& e : data.events) {
    const double x = f.x(e.time_unix_s);
    line(out, x, f.top, x, f.bottom, std::string("stroke=\"#555555\" stroke-dasharray=\"") + dash_of(e.kind) + "\"");
    text(out, x + 3, f.bottom - 6, e.label, "font-size=\"11\"");
  }
  out += "</g>\n";
}

void lines(std::string& out, const ChartData& data, const Frame& f) {
  out += "<g class=\"lines\" clip-path=\"url(#plot)\" fill=\"none\" stroke-width=\"2\">\n";
  for (const auto& l : data.lines) {
    std::string points;
    for (const auto& s : l.samples) points += px(f.x(s.time_unix_s)) + "," + px(f.y(s.error_s)) + " ";
    out += "<polyline class=\"fit\" data-segment=\"" + std::to_string(l.segment + 1) + "\" stroke=\"" +
           colour_of(l.segment) + "\" points=\"" + points + "\"/>\n";
  }
  out += "</g>\n";
}

std::string point_colour(const ChartPoint& p) {
  if (p.mark == PointMark::outlier) return kOutlierColour;
  if (p.mark == PointMark::hour_jump) return kHourJumpColour;
  return colour_of(p.segment);
}

void error_bars(std::string& out, const ChartData& data, const Frame& f) {
  out += "<g class=\"error-bars\" clip-path=\"url(#plot)\" stroke-width=\"1.2\">\n";
  for (const auto& p : data.points) {
    const double x = f.x(p.time_unix_s), y1 = f.y(p.error_s + p.sigma_s), y2 = f.y(p.error_s - p.sigma_s);
    const std::string style = "stroke=\"" + point_colour(p) + "\"";
    line(out, x, y1, x, y2, style);
    line(out, x - 3, y1, x + 3, y1, style);
    line(out, x - 3, y2, x + 3, y2, style);
  }
  out += "</g>\n";
}

// One point's mark: its shape at (x, y), or a triangle on the frame's edge.
std::string point_shape(const ChartPoint& p, const Frame& f) {
  const double x = f.x(p.time_unix_s), y = f.y(p.error_s);
  const std::string colour = point_colour(p);
  if (y < f.top || y > f.bottom) {
    const double edge = y < f.top ? f.top : f.bottom, tip = y < f.top ? -1 : 1;
    std::string s = "<path class=\"clipped\" d=\"M" + px(x - 6) + "," + px(edge - tip * 2) + " L" + px(x + 6) + "," +
                    px(edge - tip * 2) + " L" + px(x) + "," + px(edge + tip * 8) + " Z\" fill=\"" + colour + "\"/>";
    text(s, x + 8, edge + (tip < 0 ? 14 : -6), f.value_text(p.error_s), "font-size=\"11\" paint-order=\"stroke\" stroke=\"white\" stroke-width=\"3\" fill=\"" + colour + "\"");
    return s;
  }
  if (p.mark == PointMark::outlier) {
    return "<path class=\"outlier\" d=\"M" + px(x - 5) + "," + px(y - 5) + " L" + px(x + 5) + "," + px(y + 5) + " M" +
           px(x - 5) + "," + px(y + 5) + " L" + px(x + 5) + "," + px(y - 5) + "\" stroke=\"" + colour +
           "\" stroke-width=\"2.5\"/>";
  }
  if (p.mark == PointMark::hour_jump) {
    std::string s = "<path class=\"hour-jump\" d=\"M" + px(x) + "," + px(y - 6) + " L" + px(x + 6) + "," + px(y) + " L" +
                    px(x) + "," + px(y + 6) + " L" + px(x - 6) + "," + px(y) + " Z\" fill=\"" + colour + "\"/>";
    if (!p.note.empty()) text(s, x + 8, y - 8, p.note, "font-size=\"11\" paint-order=\"stroke\" stroke=\"white\" stroke-width=\"3\" fill=\"" + colour + "\"");
    return s;
  }
  return "<circle class=\"point\" cx=\"" + px(x) + "\" cy=\"" + px(y) + "\" r=\"3.5\" fill=\"" + colour + "\"/>";
}

void points(std::string& out, const ChartData& data, const Frame& f) {
  out += "<g class=\"points\">\n";
  for (const auto& p : data.points) {
    std::string tip = utc_text(p.time_unix_s) + " UTC: " + f.value_text(p.error_s) + " ± " +
                      f.value_text(p.sigma_s).substr(1);
    if (p.mark == PointMark::outlier) tip += " (outlier, not fitted)";
    if (p.mark == PointMark::hour_jump) tip += " (after an hour jump " + p.note + ", drawn without it)";
    out += "<g><title>" + xml_escape(tip) + "</title>" + point_shape(p, f) + "</g>\n";
  }
  out += "</g>\n";
}

struct LegendItem {
  std::string swatch;  // drawn in a 24 x 16 box at the origin, moved into place
  std::string label;
};

std::vector<LegendItem> legend_items(const ChartData& data, const Frame& f) {
  std::vector<LegendItem> items;
  auto has = [&](auto pred) { return std::any_of(data.points.begin(), data.points.end(), pred); };
  items.push_back({"<line x1=\"12\" y1=\"2\" x2=\"12\" y2=\"14\" stroke=\"#1f77b4\"/><circle cx=\"12\" cy=\"8\" r=\"3.5\" "
                   "fill=\"#1f77b4\"/>", "measurement, ±1σ bar"});
  std::vector<int> segments;
  for (const auto& l : data.lines) {
    if (std::find(segments.begin(), segments.end(), l.segment) != segments.end()) continue;
    segments.push_back(l.segment);
    const std::string c = colour_of(l.segment);
    items.push_back({"<rect x=\"0\" y=\"2\" width=\"24\" height=\"12\" fill=\"" + c + "\" fill-opacity=\"0.2\"/>"
                     "<line x1=\"0\" y1=\"8\" x2=\"24\" y2=\"8\" stroke=\"" + c + "\" stroke-width=\"2\"/>",
                     "segment " + std::to_string(l.segment + 1) + ": fit, 95% band"});
  }
  if (has([](const ChartPoint& p) { return p.mark == PointMark::outlier; }))
    items.push_back({std::string("<path d=\"M7,3 L17,13 M7,13 L17,3\" stroke=\"") + kOutlierColour + "\" stroke-width=\"2.5\"/>",
                     "outlier (not fitted)"});
  if (has([](const ChartPoint& p) { return p.mark == PointMark::hour_jump; }))
    items.push_back({std::string("<path d=\"M12,2 L18,8 L12,14 L6,8 Z\" fill=\"") + kHourJumpColour + "\"/>",
                     "hour jump (taken out)"});
  if (has([&](const ChartPoint& p) { return !f.error.contains(p.error_s * f.unit.per_s); }))
    items.push_back({"<path d=\"M6,4 L18,4 L12,14 Z\" fill=\"#555555\"/>", "beyond the frame"});
  const std::pair<EventKind, const char*> kinds[] = {
      {EventKind::reset, "reset (new segment)"}, {EventKind::step, "known step"}, {EventKind::trim, "trim of the chip's rate"}};
  for (const auto& entry : kinds) {
    const EventKind kind = entry.first;
    const char* what = entry.second;
    if (std::none_of(data.events.begin(), data.events.end(), [kind](const ChartEvent& e) { return e.kind == kind; })) continue;
    items.push_back({std::string("<line x1=\"12\" y1=\"0\" x2=\"12\" y2=\"16\" stroke=\"#555555\" stroke-dasharray=\"") +
                         dash_of(kind) + "\"/>",
                     what});
  }
  return items;
}

// The legend below the date axis, in rows of 210 px wide entries.
void legend(std::string& out, const ChartData& data, const Frame& f) {
  out += "<g class=\"legend\" font-size=\"12\" fill=\"#333333\">\n";
  const int per_row = std::max(1, static_cast<int>((f.right - f.left) / 210));
  const auto items = legend_items(data, f);
  for (size_t i = 0; i < items.size(); ++i) {
    const double x = f.left + static_cast<double>(i % per_row) * 210, y = f.bottom + 62 + static_cast<double>(i / per_row) * 22;
    out += "<g transform=\"translate(" + px(x) + "," + px(y) + ")\">" + items[i].swatch;
    text(out, 30, 12, items[i].label, "");
    out += "</g>\n";
  }
  out += "</g>\n";
}

}  // namespace

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n') break;
        out += c;
    }
  }
  return out;
}

std::string svg_chart(const ChartData& data, SvgChartOptions o) {
  o.width_px = std::clamp(o.width_px, 400, 4000);
  o.height_px = std::clamp(o.height_px, 300, 4000);
  const Frame f = frame_of(data, o);
  const std::string w = std::to_string(o.width_px), h = std::to_string(o.height_px);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w +
                    "\" height=\"" + h + "\" viewBox=\"0 0 " + w + " " + h +
                    "\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"12\">\n";
  out += "<title>" + xml_escape(data.title) + "</title>\n<rect width=\"" + w + "\" height=\"" + h + "\" fill=\"white\"/>\n";
  out += "<defs><clipPath id=\"plot\"><rect x=\"" + px(f.left) + "\" y=\"" + px(f.top) + "\" width=\"" +
         px(f.right - f.left) + "\" height=\"" + px(f.bottom - f.top) + "\"/></clipPath></defs>\n";
  text(out, o.width_px / 2.0, 28, data.title, "text-anchor=\"middle\" font-size=\"18\" font-weight=\"bold\"");
  text(out, o.width_px / 2.0, 50, data.subtitle, "text-anchor=\"middle\" font-size=\"13\" fill=\"#333333\"");
  grid_and_axes(out, f);
  bands(out, data, f);
  events(out, data, f);
  lines(out, data, f);
  error_bars(out, data, f);
  points(out, data, f);
  legend(out, data, f);
  return out + "</svg>\n";
}

}  // namespace rtcal::history

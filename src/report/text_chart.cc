// The text chart (see text_chart.h). A Canvas of characters with a priority
// per cell, so a point is never hidden by the band or the line; then the
// axes, the labels and the legend around it.
#include "src/report/text_chart.h"

#include <algorithm>
#include <cmath>

namespace rtcal::history {
namespace {

// An event's letter on the time axis: R reset, S step, T trim.
char event_mark(EventKind kind) {
  switch (kind) {
    case EventKind::reset: return 'R';
    case EventKind::step: return 'S';
    case EventKind::trim: return 'T';
  }
  return 'R';
}

// Drawing priorities: a higher one wins a cell.
enum Priority { kBand = 1, kReset = 2, kBar = 3, kLine = 4, kPoint = 5, kFlagged = 6 };

class Canvas {
 public:
  Canvas(int rows, int cols) : rows_(rows), cols_(cols), text_(rows, std::string(cols, ' ')), prio_(rows * cols, 0) {}
  void put(int row, int col, char c, int prio) {
    if (row < 0 || row >= rows_ || col < 0 || col >= cols_) return;
    int& p = prio_[row * cols_ + col];
    if (prio < p) return;
    p = prio;
    text_[row][col] = c;
  }
  const std::string& row(int r) const { return text_[r]; }

 private:
  int rows_, cols_;
  std::vector<std::string> text_;
  std::vector<int> prio_;
};

// Where things land: plot rows and columns from time and error.
struct Layout {
  Range time;        // unix s
  Range error;       // in unit.name
  ErrorUnit unit;
  Ticks error_ticks;
  int rows_per_tick = 1;
  int rows = 1, cols = 1;  // plot area
  int margin = 0;          // columns left of the plot: labels, ' ', axis

  int col(double t) const { return static_cast<int>(std::lround((t - time.min) / time.span() * (cols - 1))); }
  double row_exact(double error_s) const { return (error.max - error_s * unit.per_s) / error.span() * (rows - 1); }
  int row(double error_s) const { return static_cast<int>(std::lround(row_exact(error_s))); }
  double time_at(double c) const { return time.min + c / (cols - 1) * time.span(); }
};

Layout layout_for(const ChartData& data, const TextChartOptions& o) {
  Layout l;
  const ChartFrame f = frame_for(data);
  l.time = f.time_unix_s;
  l.unit = error_unit_for(f.error_s);
  l.error = Range{f.error_s.min * l.unit.per_s, f.error_s.max * l.unit.per_s};
  l.error_ticks = linear_ticks(l.error, std::max(3, o.height / 3 + 1));
  const int intervals = std::max(1, static_cast<int>(l.error_ticks.values.size()) - 1);
  l.rows_per_tick = std::max(1, static_cast<int>(std::lround((o.height - 1.0) / intervals)));
  l.rows = intervals * l.rows_per_tick + 1;
  size_t label_w = 0;
  for (const auto& s : l.error_ticks.labels) label_w = std::max(label_w, s.size());
  l.margin = static_cast<int>(label_w) + 2;
  l.cols = std::max(2, o.width - l.margin);
  return l;
}

void draw_line(Canvas& c, const Layout& l, const SegmentLine& line) {
  if (line.samples.empty()) return;
  const int first = l.col(line.samples.front().time_unix_s), last = l.col(line.samples.back().time_unix_s);
  for (int col = first; col <= last; ++col) {
    const FitSample s = sample_at(line, l.time_at(col));
    for (int r = l.row(s.high_s); r <= l.row(s.low_s); ++r) c.put(r, col, '.', kBand);
    const double left = l.row_exact(sample_at(line, l.time_at(col - 0.5)).error_s);
    const double right = l.row_exact(sample_at(line, l.time_at(col + 0.5)).error_s);
    const int ra = static_cast<int>(std::lround(left)), rb = static_cast<int>(std::lround(right));
    if (ra == rb || col == first || col == last) {
      c.put(l.row(s.error_s), col, '-', kLine);
      continue;
    }
    for (int r = std::min(ra, rb); r <= std::max(ra, rb); ++r) c.put(r, col, rb < ra ? '/' : '\\', kLine);
  }
}

char mark_char(PointMark m) {
  switch (m) {
    case PointMark::outlier: return 'x';
    case PointMark::hour_jump: return 'H';
    default: return 'o';
  }
}

void draw_point(Canvas& c, const Layout& l, const ChartPoint& p) {
  const int col = l.col(p.time_unix_s), row = l.row(p.error_s);
  for (int r = l.row(p.error_s + p.sigma_s); r <= l.row(p.error_s - p.sigma_s); ++r) {
    if (r != row) c.put(r, col, '|', kBar);
  }
  const int prio = p.mark == PointMark::normal ? kPoint : kFlagged;
  if (row < 0) c.put(0, col, '^', kFlagged);
  else if (row >= l.rows) c.put(l.rows - 1, col, 'v', kFlagged);
  else c.put(row, col, mark_char(p.mark), prio);
}

Canvas plot(const ChartData& data, const Layout& l) {
  Canvas c(l.rows, l.cols);
  for (const auto& e : data.events) {
    if (e.kind != EventKind::reset) continue;
    for (int r = 0; r < l.rows; ++r) c.put(r, l.col(e.time_unix_s), ':', kReset);
  }
  for (const auto& line : data.lines) draw_line(c, l, line);
  for (const auto& p : data.points) draw_point(c, l, p);
  return c;
}

std::string rstrip(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

std::string pad_left(const std::string& s, size_t w) { return std::string(w > s.size() ? w - s.size() : 0, ' ') + s; }

// The time axis, its tick labels and its caption: three lines.
std::string time_axis(const ChartData& data, const Layout& l, int width) {
  const DateTicks ticks = date_ticks(l.time, std::max(2, l.cols / 10));
  std::string axis = std::string(l.margin - 1, ' ') + "+" + std::string(l.cols, '-');
  std::string labels(width, ' ');
  int free_from = 0;
  for (size_t i = 0; i < ticks.values.size(); ++i) {
    const int at = l.margin + l.col(ticks.values[i]);
    axis[at] = '+';
    const int len = static_cast<int>(ticks.labels[i].size());
    const int start = std::clamp(at - len / 2, 0, width - len);
    if (start < free_from) continue;
    labels.replace(start, len, ticks.labels[i]);
    free_from = start + len + 1;
  }
  for (const auto& e : data.events) axis[l.margin + l.col(e.time_unix_s)] = event_mark(e.kind);
  const std::string caption = "date (" + ticks.caption + ")";
  const int caption_at = l.margin + std::max(0, (l.cols - static_cast<int>(caption.size())) / 2);
  return axis + "\n" + rstrip(labels) + "\n" + std::string(caption_at, ' ') + caption + "\n";
}

// The legend: one entry per kind of mark present, wrapped to `width`.
std::string legend(const ChartData& data, const Canvas& c, const Layout& l, int width) {
  auto drawn = [&](char ch) {
    for (int r = 0; r < l.rows; ++r)
      if (c.row(r).find(ch) != std::string::npos) return true;
    return false;
  };
  std::vector<std::string> items;
  if (drawn('o')) items.push_back("o measurement");
  if (drawn('|')) items.push_back("| its +-1 sigma");
  if (drawn('x')) items.push_back("x outlier (not fitted)");
  if (drawn('H')) items.push_back("H hour jump (hours taken out)");
  if (drawn('^') || drawn('v')) items.push_back("^ v beyond the edge");
  if (!data.lines.empty()) items.push_back("-/\\ fitted line");
  if (drawn('.')) items.push_back(". its 95% band");
  for (const auto& e : data.events) {
    const std::string item = e.kind == EventKind::reset  ? ": R reset (new segment)"
                             : e.kind == EventKind::step ? "S known step"
                                                         : "T trim of the chip's rate";
    if (std::find(items.begin(), items.end(), item) == items.end()) items.push_back(item);
  }
  std::string out, line = "Legend:";
  for (const auto& item : items) {
    if (line.size() + 3 + item.size() > static_cast<size_t>(width)) {
      out += line + "\n";
      line = "       ";
    }
    line += "  " + item;
  }
  return out + line + "\n";
}

}  // namespace

std::string wrap_words(const std::string& text, int width, int indent) {
  std::string out, line;
  const std::string pad(static_cast<size_t>(std::max(indent, 0)), ' ');
  auto flush = [&] {
    out += line + "\n";
    line = pad;
  };
  size_t at = 0;
  while (at < text.size()) {
    const size_t end = std::min(text.find(' ', at), text.size());
    std::string word = text.substr(at, end - at);
    at = end + 1;
    const bool fresh = line.empty() || line == pad;
    if (!fresh && line.size() + 1 + word.size() > static_cast<size_t>(width)) flush();
    while (line.size() + word.size() > static_cast<size_t>(width)) {  // a word longer than a line
      const size_t room = std::max<size_t>(1, width - line.size());
      line += word.substr(0, room);
      word.erase(0, room);
      flush();
    }
    line += (line.empty() || line == pad ? "" : " ") + word;
  }
  if (!line.empty() && line != pad) out += line + "\n";
  return out;
}

std::string text_chart(const ChartData& data, TextChartOptions options) {
  options.width = std::clamp(options.width, kMinTextWidth, kMaxTextWidth);
  options.height = std::clamp(options.height, 5, 200);
  const Layout l = layout_for(data, options);
  const Canvas c = plot(data, l);
  std::string out = wrap_words(data.title, options.width, 2) + wrap_words(data.subtitle, options.width, 2);
  out += wrap_words("RTC error (" + l.unit.name + "), + = RTC fast", options.width, 0);
  const size_t label_w = l.margin - 2;
  const int ticks = static_cast<int>(l.error_ticks.values.size());
  for (int r = 0; r < l.rows; ++r) {
    const bool tick = r % l.rows_per_tick == 0;
    const std::string label = tick ? l.error_ticks.labels[ticks - 1 - r / l.rows_per_tick] : "";
    out += rstrip(pad_left(label, label_w) + (tick ? " +" : " |") + c.row(r)) + "\n";
  }
  out += time_axis(data, l, options.width);
  out += legend(data, c, l, options.width);
  return out;
}

}  // namespace rtcal::history

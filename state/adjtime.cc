// Parsing and formatting /etc/adjtime text (no file access; see
// adjtime_file.cc). Numbers are read with std::from_chars and written with
// std::to_chars, so neither depends on the process locale.
//
// Leniency, as util-linux hwclock 2.38.1 reads the file: leading blanks,
// trailing junk after the fields of a line, CRLF line ends, a missing final
// newline, and missing lines or fields (their defaults apply). Stricter than
// hwclock where it would silently misread: a field is a whole blank-separated
// token, so "1.5.3", "12abc", "nan", "inf", an int64 overflow or a fractional
// timestamp ("845082716.5", which hwclock's %lld would cut at the '.' and
// then read ".5" as the next field) is recorded as an AdjtimeFieldError and
// its default is used.
#include "state/adjtime.h"

#include <charconv>
#include <cmath>
#include <optional>
#include <system_error>

namespace rtcal::state {
namespace {

constexpr std::string_view kBlanks = " \t\v\f\r";

// The text split at '\n'; a final line without '\n' still counts.
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    if (end == std::string_view::npos) {
      lines.push_back(text);
      break;
    }
    lines.push_back(text.substr(0, end));
    text.remove_prefix(end + 1);
  }
  return lines;
}

std::string_view without_cr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// Blank-separated tokens, as sscanf's %lf / %lld see fields.
std::vector<std::string_view> split_tokens(std::string_view line) {
  std::vector<std::string_view> tokens;
  while (true) {
    const size_t start = line.find_first_not_of(kBlanks);
    if (start == std::string_view::npos) break;
    line.remove_prefix(start);
    const size_t end = std::min(line.find_first_of(kBlanks), line.size());
    tokens.push_back(line.substr(0, end));
    line.remove_prefix(end);
  }
  return tokens;
}

// A whole token as strtod would read it: optional sign, decimal or
// 0x-hexadecimal digits, optional exponent. Infinities, NaNs and values out
// of double's range are rejected.
std::optional<double> parse_double(std::string_view token) {
  bool negative = false;
  if (!token.empty() && (token[0] == '+' || token[0] == '-')) {
    negative = token[0] == '-';
    token.remove_prefix(1);
  }
  if (token.empty() || token[0] == '+' || token[0] == '-') return std::nullopt;
  auto format = std::chars_format::general;
  if (token.size() > 2 && token[0] == '0' && (token[1] == 'x' || token[1] == 'X')) {
    token.remove_prefix(2);
    format = std::chars_format::hex;
    if (token[0] == '+' || token[0] == '-') return std::nullopt;
  }
  double value = 0.0;
  const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), value, format);
  if (ec != std::errc() || end != token.data() + token.size()) return std::nullopt;
  if (!std::isfinite(value)) return std::nullopt;
  return negative ? -value : value;
}

// A whole token as %lld reads it: optional sign, decimal digits, in range.
std::optional<int64_t> parse_int64(std::string_view token) {
  bool negative = false;
  if (!token.empty() && (token[0] == '+' || token[0] == '-')) {
    negative = token[0] == '-';
    token.remove_prefix(1);
  }
  if (token.empty() || token[0] < '0' || token[0] > '9') return std::nullopt;
  uint64_t magnitude = 0;
  const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), magnitude);
  if (ec != std::errc() || end != token.data() + token.size()) return std::nullopt;
  constexpr uint64_t kMax = static_cast<uint64_t>(INT64_MAX);
  if (magnitude > kMax + (negative ? 1 : 0)) return std::nullopt;
  if (negative) return magnitude == kMax + 1 ? INT64_MIN : -static_cast<int64_t>(magnitude);
  return static_cast<int64_t>(magnitude);
}

std::string expected_text(AdjtimeField field) {
  switch (field) {
    case AdjtimeField::drift_factor: return "a number of seconds per day, e.g. -1.250000";
    case AdjtimeField::last_adjust: return "a whole number of unix seconds, e.g. 1795427168";
    case AdjtimeField::not_adjusted: return "a number of seconds, e.g. 0.000000";
    case AdjtimeField::last_calibration: return "a whole number of unix seconds, e.g. 1795427168";
    case AdjtimeField::scale: return "UTC or LOCAL";
  }
  return "";
}

void read_double(std::string_view token, AdjtimeField field, int line, double& out,
                 std::vector<AdjtimeFieldError>& errors) {
  if (auto value = parse_double(token)) {
    out = *value;
  } else {
    errors.push_back({field, line, expected_text(field), std::string(token)});
  }
}

void read_int64(std::string_view token, AdjtimeField field, int line, int64_t& out,
                std::vector<AdjtimeFieldError>& errors) {
  if (auto value = parse_int64(token)) {
    out = *value;
  } else {
    errors.push_back({field, line, expected_text(field), std::string(token)});
  }
}

void parse_line1(std::string_view line, AdjtimeParse& parse) {
  using F = AdjtimeField;
  const auto t = split_tokens(line);
  Adjtime& v = parse.value;
  auto& errors = parse.errors;
  if (t.size() > 0) read_double(t[0], F::drift_factor, 1, v.drift_factor_s_per_day, errors);
  if (t.size() > 1) read_int64(t[1], F::last_adjust, 1, v.last_adjust_unix_s, errors);
  if (t.size() > 2) read_double(t[2], F::not_adjusted, 1, v.not_adjusted_s, errors);
}

void parse_line2(std::string_view line, AdjtimeParse& parse) {
  const auto tokens = split_tokens(line);
  if (!tokens.empty()) {
    read_int64(tokens[0], AdjtimeField::last_calibration, 2, parse.value.last_calibration_unix_s,
               parse.errors);
  }
}

// Exactly "UTC" or "LOCAL" (hwclock compares the whole line). An empty line
// counts as absent; anything else is an error, and UTC applies as in hwclock.
void parse_line3(std::string_view line, AdjtimeParse& parse) {
  if (line.empty()) return;
  parse.scale_line_present = true;
  if (line == "UTC") {
    parse.value.scale = RtcScale::utc;
  } else if (line == "LOCAL") {
    parse.value.scale = RtcScale::local;
  } else {
    const AdjtimeField field = AdjtimeField::scale;
    parse.errors.push_back({field, 3, expected_text(field), std::string(line)});
  }
}

// The offending text as it may be shown: control bytes escaped, long text cut.
std::string printable(std::string_view text) {
  constexpr size_t kMaxShown = 40;
  std::string out;
  for (size_t i = 0; i < text.size() && i < kMaxShown; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (text.size() > kMaxShown) out += "...";
  return out;
}

void append_fixed6(std::string& out, double value) {
  char buf[400];  // %f of DBL_MAX is 309 digits + ".000000" + sign
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, 6);
  out.append(buf, ec == std::errc() ? end : buf);
}

void append_int(std::string& out, int64_t value) {
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, ec == std::errc() ? end : buf);
}

}  // namespace

AdjtimeParse parse_adjtime(std::string_view text) {
  AdjtimeParse parse;
  const auto lines = split_lines(text);
  if (lines.size() > 0) parse_line1(without_cr(lines[0]), parse);
  if (lines.size() > 1) parse_line2(without_cr(lines[1]), parse);
  if (lines.size() > 2) parse_line3(without_cr(lines[2]), parse);
  for (size_t i = 3; i < lines.size(); ++i) parse.value.extra_lines.emplace_back(lines[i]);
  return parse;
}

Result<Adjtime> require_fields(const AdjtimeParse& parse, std::string_view origin,
                               std::initializer_list<AdjtimeField> needed) {
  for (const AdjtimeFieldError& e : parse.errors) {
    bool is_needed = false;
    for (AdjtimeField f : needed) is_needed = is_needed || f == e.field;
    if (!is_needed) continue;
    std::string object = std::string(origin) + ":" + std::to_string(e.line);
    std::string cause = "expected " + e.expected + ", got '" + printable(e.got) + "'";
    std::string fix = e.field == AdjtimeField::scale
                          ? "write UTC or LOCAL on line 3, or give --utc or --localtime"
                          : "correct line " + std::to_string(e.line) +
                                ", or remove the file to start afresh with the defaults";
    return bad_state(std::move(object), std::move(cause), std::move(fix));
  }
  return parse.value;
}

std::string format_adjtime(const Adjtime& adjtime) {
  std::string out;
  append_fixed6(out, adjtime.drift_factor_s_per_day);
  out += ' ';
  append_int(out, adjtime.last_adjust_unix_s);
  out += ' ';
  append_fixed6(out, adjtime.not_adjusted_s);
  out += '\n';
  append_int(out, adjtime.last_calibration_unix_s);
  out += '\n';
  out += scale_name(adjtime.scale);
  out += '\n';
  for (const std::string& line : adjtime.extra_lines) {
    out += line;
    out += '\n';
  }
  return out;
}

std::string_view scale_name(RtcScale scale) {
  return scale == RtcScale::local ? "LOCAL" : "UTC";
}

}  // namespace rtcal::state

// Relative durations for --date (see date_span.h).
#include "src/dates/date_span.h"

#include <array>
#include <cctype>

namespace rtcal {
namespace {

struct Unit {
  std::string_view name;
  int64_t ns;
};

constexpr int64_t kUs = 1'000;
constexpr int64_t kMs = 1'000'000;
constexpr int64_t kS = 1'000'000'000;
constexpr int64_t kMin = 60 * kS;
constexpr int64_t kHour = 60 * kMin;
constexpr int64_t kDay = 24 * kHour;

// Tried in this order, first prefix match wins (as parse_sec does): "ms"
// must come after "months"/"min" and before "m"; "" (seconds) is last.
constexpr std::array<Unit, 28> kUnits = {{
    {"seconds", kS}, {"second", kS}, {"sec", kS}, {"s", kS},
    {"minutes", kMin}, {"minute", kMin}, {"min", kMin},
    {"months", 2'629'800 * kS}, {"month", 2'629'800 * kS},
    {"msec", kMs}, {"ms", kMs}, {"m", kMin},
    {"hours", kHour}, {"hour", kHour}, {"hr", kHour}, {"h", kHour},
    {"days", kDay}, {"day", kDay}, {"d", kDay},
    {"weeks", 7 * kDay}, {"week", 7 * kDay}, {"w", 7 * kDay},
    {"years", 31'557'600 * kS}, {"year", 31'557'600 * kS}, {"y", 31'557'600 * kS},
    {"usec", 1 * kUs}, {"us", 1 * kUs},
    {"", kS},
}};

bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// Reads digits at `pos` into `value` (at most 18 of them); returns how many.
size_t read_digits(std::string_view text, size_t& pos, int64_t& value) {
  const size_t start = pos;
  value = 0;
  while (pos < text.size() && is_digit(text[pos]) && pos - start < 18) {
    value = value * 10 + (text[pos] - '0');
    ++pos;
  }
  return pos - start;
}

}  // namespace

std::variant<int64_t, std::string> parse_span_ns(std::string_view text) {
  int64_t total_ns = 0;
  bool any = false;
  size_t pos = 0;
  while (true) {
    while (pos < text.size() && is_space(text[pos])) ++pos;
    if (pos == text.size()) break;
    int64_t whole = 0;
    int64_t fraction = 0;
    size_t fraction_digits = 0;
    if (read_digits(text, pos, whole) == 0) {
      return "expected a number at '" + std::string(text.substr(pos)) + "'";
    }
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      fraction_digits = read_digits(text, pos, fraction);
      if (fraction_digits == 0) return "expected digits after the decimal point";
    }
    while (pos < text.size() && is_space(text[pos])) ++pos;
    const std::string_view rest = text.substr(pos);
    const Unit* unit = nullptr;
    for (const Unit& candidate : kUnits) {
      if (rest.starts_with(candidate.name)) {
        unit = &candidate;
        break;
      }
    }
    // The "" entry always matches; a unit must not run into a letter.
    pos += unit->name.size();
    if (pos < text.size() && std::isalpha(static_cast<unsigned char>(text[pos]))) {
      size_t end = pos;
      while (end < text.size() && std::isalpha(static_cast<unsigned char>(text[end]))) ++end;
      return "'" + std::string(text.substr(pos - unit->name.size(), end - pos + unit->name.size())) +
             "' is not a time unit";
    }
    int64_t item_ns = 0;
    if (__builtin_mul_overflow(whole, unit->ns, &item_ns)) return "the duration is too long";
    // The fraction of a unit, truncated to whole nanoseconds.
    long double fraction_of_unit = static_cast<long double>(fraction);
    for (; fraction_digits > 0; --fraction_digits) fraction_of_unit /= 10;
    const auto fraction_ns = static_cast<int64_t>(fraction_of_unit * static_cast<long double>(unit->ns));
    if (__builtin_add_overflow(total_ns, item_ns, &total_ns) ||
        __builtin_add_overflow(total_ns, fraction_ns, &total_ns)) {
      return "the duration is too long";
    }
    any = true;
  }
  if (!any) return "no duration given";
  return total_ns;
}

}  // namespace rtcal

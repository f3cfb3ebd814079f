// Parsing "90", "90s", "15m", "3h", "4d", "1.5d" into nanoseconds.
#include "src/dates/duration.h"

#include <charconv>
#include <cmath>
#include <string>

namespace rtcal {
namespace {

constexpr double kMaxSeconds = 100.0 * 366 * 86400;

Error bad_duration(std::string_view text, std::string_view what, const std::string& cause) {
  return usage_error(std::string(what), cause + ": '" + std::string(text) + "'",
                     "give a positive number with an optional unit s, m, h or d, e.g. 90, 15m, 4d, 1.5d");
}

// Seconds per unit letter, or 0 for an unknown unit.
double unit_seconds(std::string_view unit) {
  if (unit.empty() || unit == "s") return 1.0;
  if (unit == "m") return 60.0;
  if (unit == "h") return 3600.0;
  if (unit == "d") return 86400.0;
  return 0.0;
}

}  // namespace

Result<Nanos> parse_duration(std::string_view text, std::string_view what) {
  double number = 0.0;
  const char* end = text.data() + text.size();
  const auto [rest, ec] = std::from_chars(text.data(), end, number);
  if (ec != std::errc() || rest == text.data()) return bad_duration(text, what, "not a duration");
  const double unit = unit_seconds(std::string_view(rest, static_cast<size_t>(end - rest)));
  if (unit == 0.0) return bad_duration(text, what, "unknown unit");
  const double seconds = number * unit;
  if (!std::isfinite(seconds) || seconds <= 0.0) return bad_duration(text, what, "must be more than zero");
  if (seconds > kMaxSeconds) return bad_duration(text, what, "longer than 100 years");
  return Nanos(static_cast<int64_t>(std::llround(seconds * 1e9)));
}

}  // namespace rtcal

// Durations on the command line (src/duration.*): units, fractions, and the
// exact message for each kind of bad input.
#include "src/dates/duration.h"

#include <doctest/doctest.h>

using namespace rtcal;
using namespace std::chrono_literals;

TEST_CASE("duration: numbers with and without units") {
  CHECK(*parse_duration("90", "DURATION") == 90s);
  CHECK(*parse_duration("90s", "DURATION") == 90s);
  CHECK(*parse_duration("15m", "DURATION") == 15min);
  CHECK(*parse_duration("3h", "DURATION") == 3h);
  CHECK(*parse_duration("4d", "DURATION") == std::chrono::days(4));
  CHECK(*parse_duration("1.5d", "DURATION") == 36h);
  CHECK(*parse_duration("0.25", "DURATION") == 250ms);
}

TEST_CASE("duration: bad input is a usage error naming the argument") {
  const std::string fix = " (give a positive number with an optional unit s, m, h or d, e.g. 90, 15m, 4d, 1.5d)";
  const std::pair<const char*, const char*> cases[] = {
      {"", "DURATION: not a duration: ''"},
      {"d", "DURATION: not a duration: 'd'"},
      {"4 d", "DURATION: unknown unit: '4 d'"},
      {"3w", "DURATION: unknown unit: '3w'"},
      {"0", "DURATION: must be more than zero: '0'"},
      {"-5m", "DURATION: must be more than zero: '-5m'"},
      {"nan", "DURATION: must be more than zero: 'nan'"},
      {"40000d", "DURATION: longer than 100 years: '40000d'"},
  };
  for (const auto& row : cases) {  // no structured binding: clang 14 cannot CAPTURE one
    const auto& text = row.first;
    const auto& message = row.second;
    CAPTURE(text);
    auto parsed = parse_duration(text, "DURATION");
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().message() == std::string(message) + fix);
    CHECK(parsed.error().kind == ErrorKind::usage);
  }
}

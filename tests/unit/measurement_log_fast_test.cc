// state/measurement_log's fast path for canonical lines (exact decimals by
// Clinger's fast path, from_chars beyond it; one LogLineParse reused from
// line to line by scan_log) against the full JSON parser: the same record to
// the bit, or the same cause, over numbers of every shape. Takes ~0.1 s.
#include <cmath>
#include <cstring>
#include <random>
#include <string>

#include <doctest/doctest.h>

#include "state/measurement_log.h"

using namespace rtcal::state;

namespace {

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Both parses gave the same record (every double to the bit) or the same cause.
void check_agree(const LogLineParse& fast, const LogLineParse& slow) {
  REQUIRE(fast.record.has_value() == slow.record.has_value());
  CHECK(fast.cause == slow.cause);
  if (!fast.record) return;
  const LogRecord &a = *fast.record, &b = *slow.record;
  CHECK(a.type == b.type);
  CHECK(same_bits(a.time_unix_s, b.time_unix_s));
  CHECK(same_bits(a.rtc_error_s, b.rtc_error_s));
  CHECK(same_bits(a.sigma_s, b.sigma_s));
  CHECK(same_bits(a.amount_s, b.amount_s));
  CHECK(a.source == b.source);
  CHECK(a.reason == b.reason);
  CHECK(a.extra == b.extra);
  CHECK(a.line == b.line);
}

// A JSON number (or a near miss: a lone '.', a leading '+', an empty
// exponent) of random shape: 1-25 integer digits, 0-25 fraction digits, an
// exponent up to 3 digits either way, zeros favoured.
std::string random_number(std::mt19937_64& rng) {
  const auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
  const auto digits = [&](int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += static_cast<char>('0' + (pick(3) == 0 ? 0 : pick(10)));
    return s;
  };
  std::string s = pick(3) == 0 ? "-" : "";
  s += pick(8) == 0 ? "0" : std::to_string(1 + pick(9)) + digits(pick(25));
  if (pick(2) == 0) s += "." + digits(1 + pick(25));
  if (pick(3) == 0) s += std::string(pick(2) == 0 ? "e" : "E") + (pick(3) == 0 ? "-" : pick(2) == 0 ? "+" : "") +
                         std::to_string(pick(4) == 0 ? pick(400) : pick(30));
  if (pick(200) == 0) s += pick(2) == 0 ? "." : "e";  // not a number: both parsers must refuse
  if (pick(200) == 0) s = "+" + s;
  return s;
}

}  // namespace

TEST_CASE("measurement_log fast path: numbers of every shape parse to the JSON parser's bits") {
  const uint64_t seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  LogLineParse reused;
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    // Times near the present (so many lines pass the range checks), errors and sigmas of any shape.
    const std::string time = (rng() % 4 == 0) ? random_number(rng) : "17" + std::to_string(rng() % 100000000) + "." +
                                                                          std::to_string(rng() % 1000);
    const std::string line = rng() % 10 == 0
                                 ? R"({"type":"step","time":)" + time + R"(,"amount":)" + random_number(rng) +
                                       R"(,"reason":"adjust"})"
                                 : R"({"type":"measurement","time":)" + time + R"(,"rtc_error":)" + random_number(rng) +
                                       R"(,"sigma":)" + random_number(rng) + R"(,"source":"ntp"})";
    INFO(line);
    const LogLineParse slow = parse_log_line_slow(line, i + 1);
    check_agree(parse_log_line(line, i + 1), slow);
    parse_log_line_into(line, i + 1, reused);
    check_agree(reused, slow);
    if (i % 7 == 0) {
      LogLineParse taken = std::move(reused);  // a caller may take the record
    }
    accepted += slow.record ? 1 : 0;
  }
  CHECK(accepted > 500);  // ~6%: the fast path was exercised, not only refusals
}

TEST_CASE("measurement_log fast path: a reused parse keeps nothing from the line before") {
  LogLineParse p;
  parse_log_line_into(R"({"type":"measurement","time":1795427168,"rtc_error":1,"sigma":1,"source":"x","host":"h"})", 1, p);
  REQUIRE(p.record);
  CHECK(p.record->extra.contains("host"));
  parse_log_line_into(R"({"type":"step","time":1795427169,"amount":2,"reason":"adjust"})", 2, p);
  REQUIRE(p.record);
  CHECK(p.record->type == RecordType::step);
  CHECK(p.record->extra.empty());
  CHECK(p.record->source.empty());
  CHECK(p.record->sigma_s == 0.0);
  CHECK(p.record->line == 2);
  parse_log_line_into("{oops", 3, p);
  CHECK_FALSE(p.record);
  CHECK(p.cause.rfind("not valid JSON", 0) == 0);
  parse_log_line_into(R"({"type":"reset","time":1795427170,"reason":"set"})", 4, p);
  REQUIRE(p.record);
  CHECK(p.cause.empty());
  CHECK(p.record->amount_s == 0.0);
  CHECK(format_record(*p.record) == R"({"type":"reset","time":1795427170.0,"reason":"set"})" "\n");
}

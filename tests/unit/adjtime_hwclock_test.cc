// hwclock's reading of damaged adjtime files (state/adjtime_hwclock.*). The
// expected values and warnings are what util-linux hwclock 2.38.1 printed
// with `--predict -v` for the same bytes (tests/compat/dropin_table.test.sh
// compares the two on every run where hwclock is installed).
#include "state/adjtime_hwclock.h"

#include <doctest/doctest.h>

using namespace rtcal::state;

namespace {
const char* const kThirdLine = "Warning: unrecognized third line in adjtime file\n(Expected: `UTC' or `LOCAL' or nothing.)";
std::string unrecognized(const std::string& line) { return "Warning: unrecognized line in adjtime file: " + line; }
}  // namespace

TEST_CASE("adjtime as hwclock: a good file is not damaged") {
  const auto r = read_adjtime_as_hwclock("-9.600000 845082716 -0.250655\n845082716\nLOCAL\n", true);
  CHECK_FALSE(r.damaged());
  CHECK(r.scale_known);
  CHECK(r.value.drift_factor_s_per_day == -9.6);
  CHECK(r.value.last_adjust_unix_s == 845082716);
  CHECK(r.value.not_adjusted_s == -0.250655);
  CHECK(r.value.last_calibration_unix_s == 845082716);
  CHECK(r.value.scale == RtcScale::local);
  const auto missing = read_adjtime_as_hwclock("", false);
  CHECK_FALSE(missing.damaged());
  CHECK(missing.value == Adjtime{});
}

TEST_CASE("adjtime as hwclock: utc, CRLF, a missing final newline: UTC, with the third-line warning") {
  for (const char* text : {"1.0 1795427168 0.5\n1795427168\nutc\n", "1.0 1795427168 0.5\r\n1795427168\r\nLOCAL\r\n",
                           "1.0 1795427168 0.5\n1795427168\nLOCAL", "1.0 1795427168 0.5\n1795427168\n UTC\n",
                           "1.0 1795427168 0.5\n1795427168\n\n"}) {
    CAPTURE(text);
    const auto r = read_adjtime_as_hwclock(text, true);
    CHECK(r.damaged());
    CHECK_FALSE(r.scale_known);
    CHECK(r.value.scale == RtcScale::utc);  // even LOCAL\r\n: hwclock compares the whole line
    CHECK(r.warnings == std::vector<std::string>{kThirdLine});
    CHECK(r.value.drift_factor_s_per_day == 1.0);
    CHECK(r.value.last_adjust_unix_s == 1795427168);
    CHECK(r.value.not_adjusted_s == 0.5);
    CHECK(r.value.last_calibration_unix_s == 1795427168);
  }
}

TEST_CASE("adjtime as hwclock: NUL-filled and empty files are the defaults, lines 1 and 2 warned about") {
  for (const std::string& text : {std::string(10, '\0'), std::string(), std::string(300, '\0')}) {
    const auto r = read_adjtime_as_hwclock(text, true);
    CHECK(r.damaged());
    CHECK(r.warnings == std::vector<std::string>{unrecognized(""), unrecognized("")});
    CHECK(r.value.drift_factor_s_per_day == 0.0);
    CHECK(r.value.last_adjust_unix_s == 0);
    CHECK(r.value.last_calibration_unix_s == 0);  // hwclock: uninitialised; rtcal: 0
    CHECK_FALSE(r.scale_known);
  }
  CHECK(read_adjtime_as_hwclock(std::string(10, '\0'), true).problems.front() ==
        "it holds NUL bytes (written over by a crash?)");
}

TEST_CASE("adjtime as hwclock: sscanf's partial reads and junk") {
  auto r = read_adjtime_as_hwclock("1.0 1795427168 0.5 junk\n1795427168xyz\nUTC\nextra\n", true);
  CHECK(r.warnings.empty());  // junk after the fields: hwclock reads on
  CHECK(r.value.last_calibration_unix_s == 1795427168);
  CHECK(r.value.extra_lines == std::vector<std::string>{"extra"});
  r = read_adjtime_as_hwclock("abc 1795427168 0.5\n1795427168\nUTC\n", true);
  CHECK(r.warnings == std::vector<std::string>{unrecognized("abc 1795427168 0.5\n")});
  CHECK(r.value.drift_factor_s_per_day == 0.0);
  CHECK(r.value.last_adjust_unix_s == 0);
  CHECK(r.value.last_calibration_unix_s == 1795427168);
  r = read_adjtime_as_hwclock("1.0 1795427168\n1795427168\nUTC\n", true);  // fields before the failure count
  CHECK(r.warnings == std::vector<std::string>{unrecognized("1.0 1795427168\n")});
  CHECK(r.value.drift_factor_s_per_day == 1.0);
  CHECK(r.value.last_adjust_unix_s == 1795427168);
  r = read_adjtime_as_hwclock("1.0 1795427168.7 0.5\n1795427168\nUTC\n", true);  // %lld stops at '.', %lf takes .7
  CHECK(r.warnings.empty());
  CHECK(r.value.not_adjusted_s == doctest::Approx(0.7));
  r = read_adjtime_as_hwclock("0x10 1795427168 1e2\n1795427168\nUTC\n", true);
  CHECK(r.value.drift_factor_s_per_day == 16.0);
  CHECK(r.value.not_adjusted_s == 100.0);
  CHECK_FALSE(r.damaged());
  r = read_adjtime_as_hwclock("   1.0   1795427168  0.5\n   1795427168\nUTC\n", true);
  CHECK_FALSE(r.damaged());
  CHECK(r.value.last_calibration_unix_s == 1795427168);
}

TEST_CASE("adjtime as hwclock: a line over 80 bytes spills into the next") {
  const std::string text = std::string(90, '0') + " 1795427168 0.5\n1795427168\nUTC\n";
  const auto r = read_adjtime_as_hwclock(text, true);
  // line 1 = 80 zeros (one field: warned); line 2 = the rest of line 1
  // (reads 0); line 3 = "1795427168\n" (not UTC/LOCAL: warned).
  CHECK(r.warnings == std::vector<std::string>{unrecognized(std::string(80, '0')), kThirdLine});
  CHECK(r.value.drift_factor_s_per_day == 0.0);
  CHECK(r.value.last_calibration_unix_s == 0);
  CHECK(r.value.scale == RtcScale::utc);
}

TEST_CASE("adjtime as hwclock: nan and inf become 0 with a warning of rtcal's own") {
  const auto r = read_adjtime_as_hwclock("nan 1795427168 inf\n1795427168\nUTC\n", true);
  CHECK(r.value.drift_factor_s_per_day == 0.0);
  CHECK(r.value.not_adjusted_s == 0.0);
  CHECK(r.warnings.size() == 2);
  CHECK(r.damaged());
}

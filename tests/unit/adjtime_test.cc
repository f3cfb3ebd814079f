// state/adjtime: parsing with hwclock's leniency, errors with line numbers,
// and formatting byte-identical to C printf in the C locale.
#include "state/adjtime.h"

#include <clocale>
#include <ios>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <locale.h>
#include <random>

#include <doctest/doctest.h>

#include "state/measurement_log.h"
#include "tests/unit/state_test_util.h"

using namespace rtcal;
using namespace rtcal::state;

namespace {

// What hwclock writes: its format through snprintf in the C locale.
std::string printf_reference(const Adjtime& a) {
  locale_t c = newlocale(LC_ALL_MASK, "C", nullptr);
  locale_t old = uselocale(c);
  std::vector<char> buf(2048);
  const int n = std::snprintf(buf.data(), buf.size(), "%f %lld %f\n%lld\n%s\n",
                              a.drift_factor_s_per_day, static_cast<long long>(a.last_adjust_unix_s),
                              a.not_adjusted_s, static_cast<long long>(a.last_calibration_unix_s),
                              a.scale == RtcScale::local ? "LOCAL" : "UTC");
  uselocale(old);
  freelocale(c);
  return std::string(buf.data(), static_cast<size_t>(n));
}

// Doubles of every kind printf must agree on.
double random_double(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> kind(0, 6);
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  switch (kind(rng)) {
    case 0: return unit(rng) * 100.0;  // typical factors
    case 1: return unit(rng) * std::pow(10.0, std::uniform_int_distribution<int>(-12, 300)(rng));
    case 2: {  // any finite bit pattern
      double x;
      do {
        const uint64_t bits = rng();
        std::memcpy(&x, &bits, sizeof x);
      } while (!std::isfinite(x));
      return x;
    }
    case 3:  // ties at the 7th decimal that binary can hold exactly: k / 2^7 .. k / 2^20
      return static_cast<double>(std::uniform_int_distribution<int64_t>(-1'000'000, 1'000'000)(rng)) /
             std::ldexp(1.0, std::uniform_int_distribution<int>(7, 20)(rng));
    case 4:  // near-ties: n + 0.0000005 +- a few ulps
      return std::nextafter(std::round(unit(rng) * 1e6) / 1e6 + 5e-7, unit(rng) > 0 ? 1e9 : -1e9);
    case 5: return unit(rng) > 0 ? 0.0 : -0.0;
    default: return std::round(unit(rng) * 1e9) / 1e6;  // exact 6-decimal text
  }
}

Adjtime random_adjtime(std::mt19937_64& rng) {
  Adjtime a;
  a.drift_factor_s_per_day = random_double(rng);
  a.not_adjusted_s = random_double(rng);
  a.last_adjust_unix_s = static_cast<int64_t>(rng());
  a.last_calibration_unix_s = std::uniform_int_distribution<int64_t>(-1, 4'000'000'000)(rng);
  a.scale = rng() % 2 ? RtcScale::local : RtcScale::utc;
  return a;
}

}  // namespace

TEST_CASE("adjtime: the REFERENCE worked example reads and writes back byte for byte") {
  const std::string text = "-9.600000 845082716 -0.250655\n845082716\nUTC\n";
  const AdjtimeParse p = parse_adjtime(text);
  CHECK(p.errors.empty());
  CHECK(p.scale_line_present);
  CHECK(p.value.drift_factor_s_per_day == -9.6);
  CHECK(p.value.last_adjust_unix_s == 845082716);
  CHECK(p.value.not_adjusted_s == -0.250655);
  CHECK(p.value.last_calibration_unix_s == 845082716);
  CHECK(p.value.scale == RtcScale::utc);
  CHECK(p.value.extra_lines.empty());
  CHECK(format_adjtime(p.value) == text);
}

TEST_CASE("adjtime: formatting matches C printf in the C locale over random values") {
  const uint64_t seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  for (int i = 0; i < 20000; ++i) {
    const Adjtime a = random_adjtime(rng);
    INFO("factor " << std::hexfloat << a.drift_factor_s_per_day << " not_adjusted " << a.not_adjusted_s);
    REQUIRE(format_adjtime(a) == printf_reference(a));
  }
}

TEST_CASE("adjtime: formatting of edge values matches C printf") {
  const double values[] = {0.0, -0.0, 1e-7, -1e-7, 5e-7, -5e-7, 0.0000005, 0.0078125, -0.0078125,
                           1.0000005, 2.5e-6, 0.1234565, 2145.0, -2145.0, 1e15, 1e300, -1e300,
                           std::numeric_limits<double>::max(), -std::numeric_limits<double>::max(),
                           std::numeric_limits<double>::min(), std::numeric_limits<double>::denorm_min()};
  for (double x : values) {
    Adjtime a;
    a.drift_factor_s_per_day = x;
    a.not_adjusted_s = -x;
    a.last_adjust_unix_s = std::numeric_limits<int64_t>::min();
    a.last_calibration_unix_s = std::numeric_limits<int64_t>::max();
    INFO(std::hexfloat << x);
    CHECK(format_adjtime(a) == printf_reference(a));
  }
  Adjtime zero;
  CHECK(format_adjtime(zero) == "0.000000 0 0.000000\n0\nUTC\n");
  zero.drift_factor_s_per_day = -0.0;
  CHECK(format_adjtime(zero) == "-0.000000 0 0.000000\n0\nUTC\n");
}

TEST_CASE("adjtime: parse(format(x)) == x after printf's rounding, over random values") {
  const uint64_t seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  for (int i = 0; i < 5000; ++i) {
    Adjtime a = random_adjtime(rng);
    a.extra_lines = {"# kept", "", "x\ty"};
    const std::string text = format_adjtime(a);
    const AdjtimeParse p = parse_adjtime(text);
    INFO(text);
    REQUIRE(p.errors.empty());
    REQUIRE(p.value.drift_factor_s_per_day == std::strtod(text.c_str(), nullptr));
    REQUIRE(p.value.last_adjust_unix_s == a.last_adjust_unix_s);
    REQUIRE(p.value.last_calibration_unix_s == a.last_calibration_unix_s);
    REQUIRE(p.value.scale == a.scale);
    REQUIRE(p.value.extra_lines == a.extra_lines);
    REQUIRE(format_adjtime(p.value) == text);  // a second write changes nothing
  }
}

TEST_CASE("adjtime: leniency: blanks, junk after the fields, CRLF, no final newline") {
  const Adjtime want{-9.6, 845082716, -0.250655, 845082716, RtcScale::local, {}};
  for (const char* text : {
           "-9.600000 845082716 -0.250655\n845082716\nLOCAL\n",
           "  \t-9.6\t845082716   -0.250655 trailing junk\n 845082716 junk\nLOCAL\n",
           "-9.600000 845082716 -0.250655\r\n845082716\r\nLOCAL\r\n",
           "-9.600000 845082716 -0.250655\n845082716\nLOCAL",
           "-9.600000 845082716 -0.250655 1 2 3\n845082716 0\nLOCAL\n",
       }) {
    INFO(text);
    const AdjtimeParse p = parse_adjtime(text);
    CHECK(p.errors.empty());
    CHECK(p.value == want);
  }
}

TEST_CASE("adjtime: missing lines and fields mean the defaults") {
  const Adjtime defaults;
  for (const char* text : {"", "\n", "\n\n", "\n\n\n", "0 0 0\n0\n"}) {
    INFO(text);
    const AdjtimeParse p = parse_adjtime(text);
    CHECK(p.errors.empty());
    CHECK(p.value == defaults);
    CHECK_FALSE(p.scale_line_present);
  }
  const AdjtimeParse partial = parse_adjtime("-1.5 1000\n");
  CHECK(partial.errors.empty());
  CHECK(partial.value.drift_factor_s_per_day == -1.5);
  CHECK(partial.value.last_adjust_unix_s == 1000);
  CHECK(partial.value.not_adjusted_s == 0.0);
  CHECK(partial.value.last_calibration_unix_s == 0);
  CHECK(partial.value.scale == RtcScale::utc);
}

TEST_CASE("adjtime: a 200-byte line is one line (no 80-byte split as in hwclock)") {
  const std::string line1 = std::string(180, ' ') + "-1.250000 1795427168 0.500000";
  const std::string line2 = std::string(190, '\t') + "1795427000";
  const std::string extra = std::string(200, 'x');
  const AdjtimeParse p = parse_adjtime(line1 + "\n" + line2 + "\nLOCAL\n" + extra + "\n");
  CHECK(p.errors.empty());
  CHECK(p.value.drift_factor_s_per_day == -1.25);
  CHECK(p.value.last_adjust_unix_s == 1795427168);
  CHECK(p.value.not_adjusted_s == 0.5);
  CHECK(p.value.last_calibration_unix_s == 1795427000);
  CHECK(p.value.scale == RtcScale::local);
  CHECK(p.value.extra_lines == std::vector<std::string>{extra});
}

TEST_CASE("adjtime: lines after line 3 are kept verbatim") {
  const std::string text = "0.000000 0 0.000000\n0\nUTC\n# note\r\n\n  indented\ttab\nlast";
  const AdjtimeParse p = parse_adjtime(text);
  CHECK(p.errors.empty());
  CHECK(p.value.extra_lines == std::vector<std::string>{"# note\r", "", "  indented\ttab", "last"});
  CHECK(format_adjtime(p.value) == "0.000000 0 0.000000\n0\nUTC\n# note\r\n\n  indented\ttab\nlast\n");
}

TEST_CASE("adjtime: numbers hwclock's sscanf accepts are accepted with the same value") {
  for (const char* token : {"+1.5", "-1.5", "1e2", "1E-3", "-2.5e+01", ".5", "5.", "-.25", "0x1p3",
                            "-0X1.8p1", "0x10", "007", "+0", "-0", "1795427168.000001"}) {
    INFO(token);
    double want = 0.0;
    REQUIRE(std::sscanf(token, "%lf", &want) == 1);
    const AdjtimeParse p = parse_adjtime(std::string(token) + " 0 " + token + "\n");
    CHECK(p.errors.empty());
    CHECK(p.value.drift_factor_s_per_day == want);
    CHECK(std::signbit(p.value.drift_factor_s_per_day) == std::signbit(want));
    CHECK(p.value.not_adjusted_s == want);
  }
  for (const char* token : {"+845082716", "-1", "0", "0042", "9223372036854775807",
                            "-9223372036854775808"}) {
    INFO(token);
    long long want = 0;
    REQUIRE(std::sscanf(token, "%lld", &want) == 1);
    const AdjtimeParse p = parse_adjtime(std::string("0 ") + token + " 0\n" + token + "\n");
    CHECK(p.errors.empty());
    CHECK(p.value.last_adjust_unix_s == want);
    CHECK(p.value.last_calibration_unix_s == want);
  }
}

TEST_CASE("adjtime: an unparseable factor is an error with line, expectation and text") {
  for (const char* token : {"abc", "1.5.3", "nan", "NAN", "inf", "-inf", "infinity", "1e400",
                            "12abc", "++1", "+-1", "-", ".", "0x", "1,5", "0x1p3x", "1e"}) {
    INFO(token);
    const AdjtimeParse p = parse_adjtime(std::string(token) + " 845082716 0.5\n845082716\nUTC\n");
    REQUIRE(p.errors.size() == 1);
    CHECK(p.errors[0].field == AdjtimeField::drift_factor);
    CHECK(p.errors[0].line == 1);
    CHECK(p.errors[0].expected == "a number of seconds per day, e.g. -1.250000");
    CHECK(p.errors[0].got == token);
    CHECK(p.value.drift_factor_s_per_day == 0.0);     // the default
    CHECK(p.value.last_adjust_unix_s == 845082716);  // the other fields still read
    CHECK(p.value.not_adjusted_s == 0.5);
  }
}

TEST_CASE("adjtime: unparseable timestamps: junk, overflow, fractions") {
  for (const char* token : {"abc", "9223372036854775808", "-9223372036854775809",
                            "99999999999999999999999", "845082716.5", "845082716.0", "1e9",
                            "0x10", "12abc", "+", "--1"}) {
    INFO(token);
    const AdjtimeParse p = parse_adjtime(std::string("1.0 ") + token + " 2.0\n" + token + "\nUTC\n");
    REQUIRE(p.errors.size() == 2);
    CHECK(p.errors[0].field == AdjtimeField::last_adjust);
    CHECK(p.errors[0].line == 1);
    CHECK(p.errors[0].got == token);
    CHECK(p.errors[1].field == AdjtimeField::last_calibration);
    CHECK(p.errors[1].line == 2);
    CHECK(p.errors[1].expected == "a whole number of unix seconds, e.g. 1795427168");
    CHECK(p.value.last_adjust_unix_s == 0);
    CHECK(p.value.last_calibration_unix_s == 0);
    CHECK(p.value.drift_factor_s_per_day == 1.0);
    CHECK(p.value.not_adjusted_s == 2.0);  // not ".5" as hwclock's sscanf would read
  }
}

TEST_CASE("adjtime: line 3 must be exactly UTC or LOCAL") {
  CHECK(parse_adjtime("0 0 0\n0\nLOCAL\n").value.scale == RtcScale::local);
  CHECK(parse_adjtime("0 0 0\n0\nUTC\n").value.scale == RtcScale::utc);
  CHECK(parse_adjtime("0 0 0\n0\nLOCAL").value.scale == RtcScale::local);
  CHECK(parse_adjtime("0 0 0\n0\nLOCAL\r\n").value.scale == RtcScale::local);
  for (const char* line : {"utc", "Local", " LOCAL", "LOCAL ", "GMT", "LOCAL\tx", "\x01"}) {
    INFO(line);
    const AdjtimeParse p = parse_adjtime(std::string("0 0 0\n0\n") + line + "\n");
    REQUIRE(p.errors.size() == 1);
    CHECK(p.errors[0].field == AdjtimeField::scale);
    CHECK(p.errors[0].line == 3);
    CHECK(p.errors[0].expected == "UTC or LOCAL");
    CHECK(p.errors[0].got == line);
    CHECK(p.scale_line_present);
    CHECK(p.value.scale == RtcScale::utc);  // what hwclock assumes
  }
  const AdjtimeParse empty_line = parse_adjtime("0 0 0\n0\n\nextra\n");
  CHECK(empty_line.errors.empty());
  CHECK_FALSE(empty_line.scale_line_present);
  CHECK(empty_line.value.extra_lines == std::vector<std::string>{"extra"});
}

TEST_CASE("adjtime: require_fields names the file, line, expectation and fix") {
  const AdjtimeParse p = parse_adjtime("abc 845082716 1.5.3\n845082716.5\nutc\n");
  REQUIRE(p.errors.size() == 4);

  Result<Adjtime> scale = require_fields(p, "/etc/adjtime", {AdjtimeField::scale});
  REQUIRE_FALSE(scale.ok());
  CHECK(scale.error().kind == ErrorKind::bad_state);
  CHECK(scale.error().object == "/etc/adjtime:3");
  CHECK(scale.error().cause == "expected UTC or LOCAL, got 'utc'");
  CHECK(scale.error().fix == "write UTC or LOCAL on line 3, or give --utc or --localtime");
  CHECK(scale.error().message() ==
        "/etc/adjtime:3: expected UTC or LOCAL, got 'utc' "
        "(write UTC or LOCAL on line 3, or give --utc or --localtime)");

  Result<Adjtime> factor = require_fields(p, "/etc/adjtime",
                                          {AdjtimeField::scale, AdjtimeField::drift_factor});
  REQUIRE_FALSE(factor.ok());
  CHECK(factor.error().message() ==
        "/etc/adjtime:1: expected a number of seconds per day, e.g. -1.250000, got 'abc' "
        "(correct line 1, or remove the file to start afresh with the defaults)");

  Result<Adjtime> calibration = require_fields(p, "/tmp/a", {AdjtimeField::last_calibration});
  REQUIRE_FALSE(calibration.ok());
  CHECK(calibration.error().message() ==
        "/tmp/a:2: expected a whole number of unix seconds, e.g. 1795427168, got '845082716.5' "
        "(correct line 2, or remove the file to start afresh with the defaults)");

  Result<Adjtime> fine = require_fields(p, "/etc/adjtime", {AdjtimeField::last_adjust});
  REQUIRE(fine.ok());
  CHECK(fine->last_adjust_unix_s == 845082716);
}

TEST_CASE("adjtime: require_fields shows control bytes escaped and long text cut") {
  const AdjtimeParse p = parse_adjtime("0 0 0\n0\nUT\x01" "C\x7f" + std::string(60, 'z') + "\n");
  Result<Adjtime> r = require_fields(p, "/etc/adjtime", {AdjtimeField::scale});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().cause == "expected UTC or LOCAL, got 'UT\\x01C\\x7f" + std::string(35, 'z') + "...'");
}

TEST_CASE("adjtime: scale names") {
  CHECK(scale_name(RtcScale::utc) == "UTC");
  CHECK(scale_name(RtcScale::local) == "LOCAL");
}

TEST_CASE("adjtime: a comma-decimal locale changes neither writing nor reading") {
  rtcal::test::TempDir dir;
  const std::string verdict = rtcal::test::in_child([&] {
    // Build de_DE.UTF-8 into the scratch directory (Debian package "locales").
    const std::string build = "localedef -i de_DE -f UTF-8 " + dir / "de_DE.UTF-8" + " >/dev/null 2>&1";
    if (std::system(build.c_str()) != 0) return std::string("SKIP: localedef de_DE failed");
    setenv("LOCPATH", dir.path().c_str(), 1);
    if (std::setlocale(LC_ALL, "de_DE.UTF-8") == nullptr) return std::string("SKIP: setlocale failed");
    char probe[32];
    std::snprintf(probe, sizeof probe, "%f", 1.5);
    if (std::string(probe) != "1,500000") return "the locale did not take: " + std::string(probe);

    Adjtime a;
    a.drift_factor_s_per_day = -1.5;
    a.not_adjusted_s = 0.25;
    if (format_adjtime(a) != "-1.500000 0 0.250000\n0\nUTC\n") return "wrote " + format_adjtime(a);
    const AdjtimeParse p = parse_adjtime("-1.500000 0 0.250000\n0\nUTC\n");
    if (!p.errors.empty() || p.value.drift_factor_s_per_day != -1.5) return std::string("misread");
    rtcal::state::LogRecord r;
    r.time_unix_s = 1795427168.5;
    r.sigma_s = 0.25;
    const std::string line = rtcal::state::format_record(r);
    if (line != R"({"type":"measurement","time":1795427168.5,"rtc_error":0.0,"sigma":0.25,"source":""})" "\n") {
      return "log wrote " + line;
    }
    const auto log = rtcal::state::parse_log(line);
    if (log.records.size() != 1 || log.records[0].time_unix_s != 1795427168.5) return std::string("log misread");
    return std::string();
  });
  if (verdict.rfind("SKIP", 0) == 0 && !rtcal::test::require_all()) {
    MESSAGE("skipped: " << verdict);
  } else {
    CHECK(verdict == "");
  }
}

// state/measurement_log: JSON Lines records, corrupt lines reported and
// skipped, extra fields and exact numbers round-tripped, and appending that
// survives a torn tail and concurrent writers.
#include "state/measurement_log.h"

#include <algorithm>
#include <fcntl.h>
#include <sys/file.h>

#include <cmath>
#include <cstring>
#include <random>

#include <doctest/doctest.h>

#include "tests/unit/state_test_util.h"

using namespace rtcal;
using namespace rtcal::state;
using rtcal::test::TempDir;

namespace {

const std::string kMeasurementLine =
    R"({"type":"measurement","time":1795427168.25,"rtc_error":-0.125,"sigma":0.002,"source":"ntp"})";
const std::string kStepLine = R"({"type":"step","time":1795427200.5,"amount":-3.75,"reason":"adjust"})";
const std::string kResetLine = R"({"type":"reset","time":1795500000,"reason":"set"})";

LogRecord log_measurement(double time, double error, double sigma) {
  LogRecord r;
  r.type = RecordType::measurement;
  r.time_unix_s = time;
  r.rtc_error_s = error;
  r.sigma_s = sigma;
  r.source = "ntp";
  return r;
}

// The cause parse_log gives for a single line.
std::string cause_of(const std::string& line) {
  const LogParse p = parse_log(line + "\n");
  if (p.errors.size() != 1) return "(no error)";
  return p.errors[0].cause;
}

}  // namespace

TEST_CASE("measurement_log: the three record types parse") {
  const LogParse p = parse_log(kMeasurementLine + "\n" + kStepLine + "\n" + kResetLine + "\n");
  REQUIRE(p.errors.empty());
  REQUIRE(p.records.size() == 3);
  const LogRecord& m = p.records[0];
  CHECK(m.type == RecordType::measurement);
  CHECK(m.time_unix_s == 1795427168.25);
  CHECK(m.rtc_error_s == -0.125);
  CHECK(m.sigma_s == 0.002);
  CHECK(m.source == "ntp");
  CHECK(m.extra.empty());
  CHECK(m.line == 1);
  CHECK(p.records[1].type == RecordType::step);
  CHECK(p.records[1].amount_s == -3.75);
  CHECK(p.records[1].reason == "adjust");
  CHECK(p.records[1].line == 2);
  CHECK(p.records[2].type == RecordType::reset);
  CHECK(p.records[2].time_unix_s == 1795500000.0);
  CHECK(p.records[2].reason == "set");
}

TEST_CASE("measurement_log: format_record writes type, time, own fields, then extras in order") {
  for (const std::string& line : {kMeasurementLine, kStepLine,
                                  std::string(R"({"type":"reset","time":1795500000.0,"reason":"set"})")}) {
    const LogParse p = parse_log(line);
    REQUIRE(p.records.size() == 1);
    CHECK(format_record(p.records[0]) == line + "\n");
  }
  const std::string shuffled =
      R"({"zeta":[1,{"b":2,"a":1}],"source":"beep","sigma":0.5,"note":"é ☃","type":"measurement",)"
      R"("rtc_error":1e-07,"alpha":null,"time":1795427168})";
  const LogParse p = parse_log(shuffled);
  REQUIRE(p.records.size() == 1);
  CHECK(format_record(p.records[0]) ==
        R"({"type":"measurement","time":1795427168.0,"rtc_error":1e-07,"sigma":0.5,"source":"beep",)"
        R"("zeta":[1,{"b":2,"a":1}],"note":"é ☃","alpha":null})" "\n");
}

TEST_CASE("measurement_log: extra fields survive parse and format unchanged") {
  const std::string line =
      R"({"type":"step","time":1795427168.5,"amount":2.0,"reason":"adjust","by":"rtcal 0.1","n":18446744073709551615,"o":{"z":1,"a":2}})";
  const LogParse p = parse_log(line);
  REQUIRE(p.records.size() == 1);
  CHECK(p.records[0].extra.size() == 3);
  CHECK(p.records[0].extra["by"] == "rtcal 0.1");
  CHECK(format_record(p.records[0]) == line + "\n");
  // Extras named like a record's own fields never override them.
  LogRecord r = p.records[0];
  r.extra["type"] = "reset";
  r.extra["amount"] = 99;
  CHECK(format_record(r) == line + "\n");
}

TEST_CASE("measurement_log: numbers round-trip exactly over random values") {
  const uint64_t seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  for (int i = 0; i < 20000; ++i) {
    double x[3];
    for (double& v : x) {
      do {
        const uint64_t bits = rng();
        std::memcpy(&v, &bits, sizeof v);
      } while (!std::isfinite(v));
    }
    // Random bit patterns, folded into the plausible ranges (record_problem).
    const LogRecord r = log_measurement(3.2e8 + std::fmod(std::fabs(x[0]), 6.9e9), std::fmod(x[1], 3e9),
                                    std::clamp(std::fabs(x[2]), 1e-9, 86400.0));
    const std::string text = format_record(r);
    INFO(text);
    const LogParse p = parse_log(text);
    REQUIRE(p.errors.empty());
    REQUIRE(p.records.size() == 1);
    REQUIRE(std::memcmp(&p.records[0].time_unix_s, &r.time_unix_s, sizeof(double)) == 0);
    REQUIRE(std::memcmp(&p.records[0].rtc_error_s, &r.rtc_error_s, sizeof(double)) == 0);
    REQUIRE(std::memcmp(&p.records[0].sigma_s, &r.sigma_s, sizeof(double)) == 0);
    REQUIRE(format_record(p.records[0]) == text);
  }
}

TEST_CASE("measurement_log: each kind of corrupt line has its own cause") {
  CHECK(cause_of("{\"type\":\"measurement\",") ==
        "not valid JSON: column 23: syntax error while parsing object key - unexpected end of "
        "input; expected string literal");
  CHECK(cause_of("[1,2]") == "not a JSON object");
  CHECK(cause_of("42") == "not a JSON object");
  CHECK(cause_of(R"({"time":1})") == R"(missing field "type")");
  CHECK(cause_of(R"({"type":7,"time":1})") == R"(field "type" is not a string)");
  CHECK(cause_of(R"({"type":"drift","time":1})") ==
        R"(unknown type "drift" (expected measurement, step, reset, drop, note, trim, boot or shutdown))");
  CHECK(cause_of(R"({"type":"reset","reason":"x"})") == R"(missing field "time")");
  CHECK(cause_of(R"({"type":"reset","time":"1","reason":"x"})") == R"(field "time" is not a number)");
  CHECK(cause_of(R"({"type":"reset","time":true,"reason":"x"})") == R"(field "time" is not a number)");
  CHECK(cause_of(R"({"type":"reset","time":1})") == R"(missing field "reason")");
  CHECK(cause_of(R"({"type":"step","time":1,"reason":"adjust"})") == R"(missing field "amount")");
  CHECK(cause_of(R"({"type":"step","time":1,"amount":null,"reason":"adjust"})") ==
        R"(field "amount" is not a number)");
  CHECK(cause_of(R"({"type":"measurement","time":1,"sigma":1,"source":"ntp"})") ==
        R"(missing field "rtc_error")");
  CHECK(cause_of(R"({"type":"measurement","time":1,"rtc_error":0,"sigma":1,"source":3})") ==
        R"(field "source" is not a string)");
  CHECK(cause_of(R"({"type":"measurement","time":1795427168,"rtc_error":0,"sigma":0,"source":"ntp"})") ==
        R"(field "sigma" must be > 0, got 0.0)");
  CHECK(cause_of(R"({"type":"measurement","time":1795427168,"rtc_error":0,"sigma":-1e-3,"source":"ntp"})") ==
        R"(field "sigma" must be > 0, got -0.001)");
  CHECK(cause_of(R"({"type":"measurement","time":1e400,"rtc_error":0,"sigma":1,"source":"ntp"})") ==
        "not valid JSON: number overflow parsing '1e400'");
  CHECK(cause_of(R"({"type":"measurement","time":NaN,"rtc_error":0,"sigma":1,"source":"ntp"})") ==
        "not valid JSON: column 30: syntax error while parsing value - invalid literal; "
        "last read: '\"time\":N'");
}

TEST_CASE("measurement_log: a corrupt line is reported with its number and the others kept") {
  const std::string text = kMeasurementLine + "\n" + "garbage\n" + "\n" + "   \r\n" + kStepLine +
                           "\r\n" + "[]\n" + R"({"type":"reset","time":1,"rea)";  // torn tail
  const LogParse p = parse_log(text);
  REQUIRE(p.records.size() == 2);
  CHECK(p.records[0].line == 1);
  CHECK(p.records[1].line == 5);
  CHECK(p.records[1].reason == "adjust");
  REQUIRE(p.errors.size() == 3);
  CHECK(p.errors[0].line == 2);
  CHECK(p.errors[0].cause.rfind("not valid JSON: ", 0) == 0);
  CHECK(p.errors[1].line == 6);
  CHECK(p.errors[1].cause == "not a JSON object");
  CHECK(p.errors[2].line == 7);
  CHECK(p.errors[2].cause.rfind("not valid JSON: ", 0) == 0);
}

TEST_CASE("measurement_log: a missing log is empty") {
  TempDir dir;
  Result<LogParse> p = load_log(dir / "none.jsonl");
  REQUIRE(p.ok());
  CHECK(p->records.empty());
  CHECK(p->errors.empty());
}

TEST_CASE("measurement_log: append creates directories 0755 and the file 0644") {
  TempDir dir;
  const std::string path = dir / "var/lib/rtcal/measurements.jsonl";
  const mode_t old_umask = umask(077);
  Status s = append_log(path, log_measurement(1795427168.25, -0.125, 0.002));
  umask(old_umask);
  REQUIRE(s.ok());
  CHECK((rtcal::test::stat_of(dir / "var").st_mode & 07777) == 0755);
  CHECK((rtcal::test::stat_of(dir / "var/lib/rtcal").st_mode & 07777) == 0755);
  CHECK((rtcal::test::stat_of(path).st_mode & 07777) == 0644);
  CHECK(rtcal::test::read_file(path) == kMeasurementLine + "\n");

  LogRecord step;
  step.type = RecordType::step;
  step.time_unix_s = 1795427200.5;
  step.amount_s = -3.75;
  step.reason = "adjust";
  REQUIRE(append_log(path, step).ok());
  CHECK(rtcal::test::read_file(path) == kMeasurementLine + "\n" + kStepLine + "\n");
  Result<LogParse> p = load_log(path);
  REQUIRE(p.ok());
  CHECK(p->records.size() == 2);
}

TEST_CASE("measurement_log: a torn last line is closed off and stays a separate corrupt line") {
  TempDir dir;
  const std::string path = dir / "log.jsonl";
  const std::string torn = R"({"type":"measurement","time":17954)";
  rtcal::test::write_file(path, kStepLine + "\n" + torn);
  REQUIRE(append_log(path, log_measurement(1795427168.25, -0.125, 0.002)).ok());
  CHECK(rtcal::test::read_file(path) == kStepLine + "\n" + torn + "\n" + kMeasurementLine + "\n");
  Result<LogParse> p = load_log(path);
  REQUIRE(p.ok());
  REQUIRE(p->records.size() == 2);
  CHECK(p->records[1].line == 3);
  REQUIRE(p->errors.size() == 1);
  CHECK(p->errors[0].line == 2);

  // A complete last record without its newline is kept as a record.
  rtcal::test::write_file(path, kStepLine);
  REQUIRE(append_log(path, log_measurement(1795427168.25, -0.125, 0.002)).ok());
  CHECK(rtcal::test::read_file(path) == kStepLine + "\n" + kMeasurementLine + "\n");
}

TEST_CASE("measurement_log: a bad record is refused and the log left as it was") {
  TempDir dir;
  const std::string path = dir / "log.jsonl";
  rtcal::test::write_file(path, kStepLine + "\n");
  Status zero = append_log(path, log_measurement(1795427168.0, 0.0, 0.0));
  REQUIRE_FALSE(zero.ok());
  CHECK(zero.error().message() == path +
        ": refusing to append a bad record: field \"sigma\" must be > 0, got 0.0 "
        "(this is a bug in rtcal; please report it)");
  Status nan = append_log(path, log_measurement(std::nan(""), 0.0, 1.0));
  REQUIRE_FALSE(nan.ok());
  CHECK(nan.error().cause == "refusing to append a bad record: field \"time\" is not a finite number");
  CHECK(rtcal::test::read_file(path) == kStepLine + "\n");
}

TEST_CASE("measurement_log: file errors name the file, the cause and the fix") {
  TempDir dir;
  mkdir((dir / "log.jsonl").c_str(), 0755);
  Status is_dir = append_log(dir / "log.jsonl", log_measurement(1795427168.0, 0.0, 1.0));
  REQUIRE_FALSE(is_dir.ok());
  CHECK(is_dir.error().message() == dir / "log.jsonl" +
        ": cannot open for appending: Is a directory (remove or rename the directory, or choose "
        "another file with --log)");
  rtcal::test::write_file(dir / "file", "");
  Status not_dir = append_log(dir / "file/log.jsonl", log_measurement(1795427168.0, 0.0, 1.0));
  REQUIRE_FALSE(not_dir.ok());
  CHECK(not_dir.error().message() == dir / "file/log.jsonl" + ": cannot create the directory " +
        dir / "file" + ": Not a directory (correct the path, or choose another file with --log)");
  REQUIRE(mkfifo((dir / "fifo").c_str(), 0644) == 0);
  Status fifo = append_log(dir / "fifo", log_measurement(1795427168.0, 0.0, 1.0));
  REQUIRE_FALSE(fifo.ok());
  CHECK(fifo.error().message() == dir / "fifo" +
        ": not a regular file (remove or rename it, or choose another file with --log)");
  Result<LogParse> fifo_load = load_log(dir / "fifo");
  REQUIRE_FALSE(fifo_load.ok());
  CHECK(fifo_load.error().cause == "not a regular file");
  Status empty = append_log("", log_measurement(1795427168.0, 0.0, 1.0));
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.error().kind == ErrorKind::usage);
  CHECK(empty.error().message() == "--log: the file name is empty (give a file name, e.g. --log "
        "/var/lib/rtcal/measurements.jsonl)");
  CHECK_FALSE(load_log("").ok());
  Result<LogParse> load = load_log(dir / "log.jsonl");
  REQUIRE_FALSE(load.ok());
  CHECK(load.error().cause == "cannot read: Is a directory");
}

TEST_CASE("measurement_log: a held lock makes append wait, then fail naming the log") {
  TempDir dir;
  const std::string path = dir / "log.jsonl";
  rtcal::test::write_file(path, "");
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(flock(fd, LOCK_EX) == 0);
  Status s = append_log(path, log_measurement(1795427168.0, 0.0, 1.0), std::chrono::milliseconds(200));
  close(fd);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().cause == "another rtcal holds the lock (waited 0.2 s)");
  CHECK(rtcal::test::read_file(path) == "");
}

TEST_CASE("measurement_log: two processes x 100 appends give 200 whole records") {
  TempDir dir;
  const std::string path = dir / "log.jsonl";
  const auto append_100 = [&](double sigma) {
    return [&path, sigma] {
      for (int i = 0; i < 100; ++i) {
        LogRecord r = log_measurement(1795427168.0 + i, 1e-3 * i, sigma);
        r.extra["padding"] = std::string(static_cast<size_t>(i) * 37, 'p');
        if (Status s = append_log(path, r); !s) return s.error().message();
      }
      return std::string();
    };
  };
  const rtcal::test::Child a = rtcal::test::start_child(append_100(0.5));
  const rtcal::test::Child b = rtcal::test::start_child(append_100(0.25));
  CHECK(rtcal::test::finish_child(a) == "");
  CHECK(rtcal::test::finish_child(b) == "");
  Result<LogParse> p = load_log(path);
  REQUIRE(p.ok());
  CHECK(p->errors.empty());
  CHECK(p->records.size() == 200);
}

TEST_CASE("measurement_log: a full disk leaves no half record behind") {
  TempDir dir;
  const std::string mnt = dir / "mnt";
  mkdir(mnt.c_str(), 0755);
  const std::string verdict = rtcal::test::in_child([&] {
    if (std::string e = rtcal::test::private_tmpfs(mnt, "8k"); !e.empty()) return e;
    const std::string path = mnt + "/log.jsonl";
    rtcal::test::write_file(path, kStepLine + "\n");
    LogRecord big = log_measurement(1795427168.0, 0.0, 1.0);
    big.extra["blob"] = std::string(64 * 1024, 'b');
    Status s = append_log(path, big);
    if (s.ok()) return std::string("appended to a full disk");
    if (rtcal::test::read_file(path) != kStepLine + "\n") return std::string("log changed");
    return std::string(s.error().cause == "cannot append: No space left on device" ? "" : s.error().message());
  });
  if (verdict.rfind("SKIP", 0) == 0 && !rtcal::test::require_all()) {
    MESSAGE("skipped: " << verdict);
  } else {
    CHECK(verdict == "");
  }
}

TEST_CASE("measurement_log: implausible numbers are refused naming the field and the fix") {
  const auto cause = [](const std::string& line) {
    const LogParse p = parse_log(line);
    return p.errors.empty() ? std::string() : p.errors[0].cause;
  };
  const std::string ms = R"({"type":"measurement","time":1795427168000,"rtc_error":0.5,"sigma":0.1,"source":"ntp"})";
  CHECK(cause(ms) == R"(field "time" is 1.79543e+12, not a date from 1980 to 2199 in unix seconds (it looks like milliseconds: divide by 1000))");
  CHECK(cause(R"({"type":"measurement","time":1795427168000000000,"rtc_error":0.5,"sigma":0.1,"source":"ntp"})")
            .find("nanoseconds: divide by 1e9") != std::string::npos);
  CHECK(cause(R"({"type":"measurement","time":1795427168,"rtc_error":0.5,"sigma":1e-200,"source":"ntp"})") ==
        R"(field "sigma" is 1e-200 s, outside 1 ns to 1 day (a 1-sigma uncertainty in seconds: 0.002 for NTP, 0.2 for a time beep))");
  CHECK(cause(R"({"type":"measurement","time":1795427168,"rtc_error":0.5,"sigma":1e300,"source":"ntp"})").find("outside 1 ns to 1 day") !=
        std::string::npos);
  CHECK(cause(R"({"type":"measurement","time":1795427168,"rtc_error":1e300,"sigma":0.1,"source":"ntp"})") ==
        R"(field "rtc_error" is 1e+300 s, more than 100 years (write seconds; a time in ms or ns is 1000 or 1e9 times too big))");
  CHECK(cause(R"({"type":"step","time":1795427168,"amount":1e308,"reason":"set"})").find(R"(field "amount" is 1e+308 s)") == 0);
  CHECK(cause(R"({"type":"drop","time":1795427168,"line":0,"reason":"typo"})") ==
        R"(field "line" must be a line number (a whole number from 1))");
  CHECK(cause(R"({"type":"note","time":1795427168,"line":2.5,"text":"x"})") ==
        R"(field "line" must be a line number (a whole number from 1))");
}

TEST_CASE("measurement_log: corrections parse and format back exactly") {
  for (const std::string& line : {std::string(R"({"type":"drop","time":1795427168.0,"line":3,"reason":"typo"})"),
                                 std::string(R"({"type":"note","time":1795427168.0,"line":3,"text":"read at dusk"})")}) {
    const LogParse p = parse_log(line);
    REQUIRE(p.records.size() == 1);
    CHECK(p.records[0].target_line == 3);
    CHECK(format_record(p.records[0]) == line + "\n");
  }
}

TEST_CASE("measurement_log: the fast path for canonical lines agrees with the JSON parser") {
  for (const std::string& line :
       {std::string(R"({"type":"measurement","time":1795427168.25,"rtc_error":-0.125,"sigma":0.002,"source":"ntp"})"),
        std::string(R"({"type":"measurement","time":1795427168,"rtc_error":-0,"sigma":2e-3,"source":"beep"})"),
        std::string(R"({"type":"step","time":1795427168,"amount":1E+2,"reason":"adjust"})"),
        std::string(R"({"type":"reset","time":1795427168.5,"reason":"battery"})"),
        std::string(R"({"type":"measurement","time":01795427168,"rtc_error":0,"sigma":1,"source":"ntp"})"),
        std::string(R"({"type":"measurement","time":1795427168,"rtc_error":0,"sigma":1,"source":"n\u0074p"})")}) {
    const auto fast = parse_log_line(line, 7), slow = parse_log_line_slow(line, 7);
    INFO(line);
    REQUIRE(fast.record.has_value() == slow.record.has_value());
    CHECK(fast.cause == slow.cause);
    if (!fast.record) continue;
    CHECK(format_record(*fast.record) == format_record(*slow.record));
    CHECK(std::signbit(fast.record->rtc_error_s) == std::signbit(slow.record->rtc_error_s));
  }
}

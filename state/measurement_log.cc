// The measurement log's records, from and to JSON text (no file access; see
// measurement_log_file.cc). nlohmann::ordered_json keeps the fields in the
// order they were read, so extra fields are written back unchanged.
#include "state/measurement_log.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cmath>
#include <cstdio>
#include <span>

namespace rtcal::state {
namespace {

using Json = nlohmann::ordered_json;

// The parser's message without its "[json.exception...] parse error at line 1, " prefix.
std::string json_error_text(const std::string& what) {
  std::string text = what;
  if (const size_t bracket = text.find("] "); bracket != std::string::npos) {
    text.erase(0, bracket + 2);
  }
  constexpr std::string_view kPrefix = "parse error at line 1, ";
  if (text.rfind(kPrefix, 0) == 0) text.erase(0, kPrefix.size());
  return text;
}

std::string in_quotes(std::string_view key) { return "\"" + std::string(key) + "\""; }

// Reads the required fields of one object, remembering the first problem.
class FieldReader {
 public:
  explicit FieldReader(const Json& object) : object_(object) {}

  double number(std::string_view key) {
    const Json* value = find(key);
    if (value == nullptr) return 0.0;
    if (!value->is_number()) {
      fail("field " + in_quotes(key) + " is not a number");
      return 0.0;
    }
    const double x = value->get<double>();
    if (!std::isfinite(x)) {
      fail("field " + in_quotes(key) + " is not a finite number");
      return 0.0;
    }
    return x;
  }

  int line_number(std::string_view key) {
    const Json* value = find(key);
    if (value == nullptr) return 0;
    if (!value->is_number_unsigned() || value->get<uint64_t>() < 1 || value->get<uint64_t>() > 1000000000) {
      fail("field " + in_quotes(key) + " must be a line number (a whole number from 1)");
      return 0;
    }
    return static_cast<int>(value->get<uint64_t>());
  }

  std::string string(std::string_view key) {
    const Json* value = find(key);
    if (value == nullptr) return {};
    if (!value->is_string()) {
      fail("field " + in_quotes(key) + " is not a string");
      return {};
    }
    return value->get<std::string>();
  }

  void fail(std::string cause) {
    if (problem_.empty()) problem_ = std::move(cause);
  }
  const std::string& problem() const { return problem_; }

 private:
  const Json* find(std::string_view key) {
    const auto it = object_.find(key);
    if (it == object_.end()) {
      fail("missing field " + in_quotes(key));
      return nullptr;
    }
    return &*it;
  }

  const Json& object_;
  std::string problem_;
};

std::span<const std::string_view> own_fields(RecordType type) {
  static constexpr std::string_view kMeasurement[] = {"type",  "time",  "rtc_error",
                                                      "sigma", "source"};
  static constexpr std::string_view kStep[] = {"type", "time", "amount", "reason"};
  static constexpr std::string_view kReset[] = {"type", "time", "reason"};
  static constexpr std::string_view kDrop[] = {"type", "time", "line", "reason"};
  static constexpr std::string_view kNote[] = {"type", "time", "line", "text"};
  static constexpr std::string_view kTrim[] = {"type", "time", "offset_ppb", "previous_ppb", "sign", "reason"};
  static constexpr std::string_view kBoot[] = {"type", "time", "boottime", "boot_id"};
  static constexpr std::string_view kShutdown[] = {"type", "time"};
  switch (type) {
    case RecordType::measurement: return kMeasurement;
    case RecordType::step: return kStep;
    case RecordType::reset: return kReset;
    case RecordType::drop: return kDrop;
    case RecordType::note: return kNote;
    case RecordType::trim: return kTrim;
    case RecordType::boot: return kBoot;
    case RecordType::shutdown: return kShutdown;
  }
  return {};
}

bool is_own_field(RecordType type, std::string_view key) {
  for (std::string_view own : own_fields(type)) {
    if (own == key) return true;
  }
  return false;
}

std::optional<RecordType> type_of_name(std::string_view name) {
  if (name == "measurement") return RecordType::measurement;
  if (name == "step") return RecordType::step;
  if (name == "reset") return RecordType::reset;
  if (name == "drop") return RecordType::drop;
  if (name == "note") return RecordType::note;
  if (name == "trim") return RecordType::trim;
  if (name == "boot") return RecordType::boot;
  if (name == "shutdown") return RecordType::shutdown;
  return std::nullopt;
}

// The record held by a parsed JSON object, or the reason it is not one.
LogLineParse record_of(const Json& object, int line) {
  if (!object.is_object()) return {std::nullopt, "not a JSON object"};
  FieldReader reader(object);
  const std::string type_name = reader.string("type");
  if (!reader.problem().empty()) return {std::nullopt, reader.problem()};
  const std::optional<RecordType> type = type_of_name(type_name);
  if (!type) {
    return {std::nullopt,
            "unknown type " + in_quotes(type_name) + " (expected measurement, step, reset, drop, note, trim, boot or shutdown)"};
  }
  LogRecord record;
  record.type = *type;
  record.line = line;
  record.time_unix_s = reader.number("time");
  if (*type == RecordType::measurement) {
    record.rtc_error_s = reader.number("rtc_error");
    record.sigma_s = reader.number("sigma");
    record.source = reader.string("source");
  } else if (*type == RecordType::step) {
    record.amount_s = reader.number("amount");
    record.reason = reader.string("reason");
  } else if (*type == RecordType::reset) {
    record.reason = reader.string("reason");
  } else if (*type == RecordType::trim) {
    record.offset_ppb = reader.number("offset_ppb");
    record.previous_ppb = reader.number("previous_ppb");
    const double sign = reader.number("sign");
    if (sign != 1.0 && sign != -1.0) reader.fail("field \"sign\" must be 1 or -1");
    record.trim_sign = sign < 0 ? -1 : 1;
    record.reason = reader.string("reason");
  } else if (*type == RecordType::boot) {
    record.boottime_s = reader.number("boottime");
    record.boot_id = reader.string("boot_id");
  } else if (*type != RecordType::shutdown) {
    record.target_line = reader.line_number("line");
    record.reason = reader.string(*type == RecordType::drop ? "reason" : "text");
  }
  if (!reader.problem().empty()) return {std::nullopt, reader.problem()};
  if (std::string problem = record_problem(record); !problem.empty()) {
    return {std::nullopt, std::move(problem)};
  }
  for (const auto& [key, value] : object.items()) {
    if (!is_own_field(*type, key)) record.extra[key] = value;
  }
  return {std::move(record), ""};
}

std::string number_text(double x) { return Json(x).dump(); }

}  // namespace

std::string_view record_type_name(RecordType type) {
  switch (type) {
    case RecordType::measurement: return "measurement";
    case RecordType::step: return "step";
    case RecordType::reset: return "reset";
    case RecordType::drop: return "drop";
    case RecordType::note: return "note";
    case RecordType::trim: return "trim";
    case RecordType::boot: return "boot";
    case RecordType::shutdown: return "shutdown";
  }
  return "measurement";
}

namespace {

// "1.79543e+12": six significant digits, whatever the locale.
std::string short_number(double x) {
  char text[32];
  const auto [end, ec] = std::to_chars(text, text + sizeof text, x, std::chars_format::general, 6);
  return ec == std::errc() ? std::string(text, end) : "?";
}

// Why a time is not a plausible unix time in seconds, with the likely fix.
std::string time_problem(double t) {
  if (t >= kMinLogTimeUnixS && t < kMaxLogTimeUnixS) return {};
  std::string why = "field \"time\" is " + short_number(t) + ", not a date from 1980 to 2199 in unix seconds";
  const double a = std::fabs(t);
  if (a >= kMinLogTimeUnixS * 1e3 && a < kMaxLogTimeUnixS * 1e3) return why + " (it looks like milliseconds: divide by 1000)";
  if (a >= kMinLogTimeUnixS * 1e6 && a < kMaxLogTimeUnixS * 1e6) return why + " (it looks like microseconds: divide by 1e6)";
  if (a >= kMinLogTimeUnixS * 1e9 && a < kMaxLogTimeUnixS * 1e9) return why + " (it looks like nanoseconds: divide by 1e9)";
  return why + " (write seconds since 1970-01-01 UTC, e.g. from date +%s)";
}

// Why a number of seconds of RTC error or step is implausible.
std::string seconds_problem(const char* key, double x) {
  if (std::fabs(x) <= kMaxLogErrorS) return {};
  return "field " + in_quotes(key) + " is " + short_number(x) +
         " s, more than 100 years (write seconds; a time in ms or ns is 1000 or 1e9 times too big)";
}

}  // namespace

std::string record_problem(const LogRecord& r) {
  const auto non_finite = [](const char* key) {
    return "field " + in_quotes(key) + " is not a finite number";
  };
  if (!std::isfinite(r.time_unix_s)) return non_finite("time");
  if (std::string p = time_problem(r.time_unix_s); !p.empty()) return p;
  if (r.type == RecordType::measurement) {
    if (!std::isfinite(r.rtc_error_s)) return non_finite("rtc_error");
    if (!std::isfinite(r.sigma_s)) return non_finite("sigma");
    if (!(r.sigma_s > 0)) return "field \"sigma\" must be > 0, got " + number_text(r.sigma_s);
    if (std::string p = seconds_problem("rtc_error", r.rtc_error_s); !p.empty()) return p;
    if (r.sigma_s < kMinLogSigmaS || r.sigma_s > kMaxLogSigmaS)
      return "field \"sigma\" is " + short_number(r.sigma_s) +
             " s, outside 1 ns to 1 day (a 1-sigma uncertainty in seconds: 0.002 for NTP, 0.2 for a time beep)";
  }
  if (r.type == RecordType::step) {
    if (!std::isfinite(r.amount_s)) return non_finite("amount");
    if (std::string p = seconds_problem("amount", r.amount_s); !p.empty()) return p;
  }
  if (r.type == RecordType::boot) {
    if (!(r.boottime_s >= 0.0 && r.boottime_s < kMaxLogErrorS)) return "field \"boottime\" must be seconds since boot, >= 0";
    if (r.boot_id.empty()) return "field \"boot_id\" must not be empty";
  }
  if ((r.type == RecordType::drop || r.type == RecordType::note) && (r.target_line < 1 || r.target_line > 1000000000))
    return "field \"line\" must be a line number (a whole number from 1)";
  if (r.type == RecordType::trim) {
    if (!std::isfinite(r.offset_ppb) || !std::isfinite(r.previous_ppb)) return non_finite("offset_ppb");
    if (std::fabs(r.offset_ppb) > 1e9 || std::fabs(r.previous_ppb) > 1e9)
      return "fields \"offset_ppb\" and \"previous_ppb\" must be within +-1e9 ppb (parts per billion)";
    if (r.trim_sign != 1 && r.trim_sign != -1) return "field \"sign\" must be 1 or -1";
  }
  if (!r.extra.is_object()) return "extra fields are not a JSON object";
  return {};
}

namespace {

// 10^0 .. 10^22: every one exactly a double.
constexpr double kExactPowersOf10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                       1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
constexpr uint64_t kMaxExactMantissa = uint64_t{1} << 53;

// One JSON number exactly as the grammar allows it, consumed from `in`, in
// one pass. Its value by Clinger's fast path when its digits make at most
// 2^53 and its power of ten is at most 22 either way: both are then exact
// doubles and one IEEE multiply or divide rounds correctly, so the value is
// the one from_chars (and the JSON parser's strtod) give; from_chars else.
bool json_number(std::string_view& in, double& out) {
  const char* const begin = in.data();
  const char* const end = begin + in.size();
  const char* p = begin;
  const auto is_digit = [&](const char* q) { return q < end && *q >= '0' && *q <= '9'; };
  uint64_t mantissa = 0;  // of the first 19 digits; more are never taken exactly
  int digits = 0, exponent = 0;
  const auto take_digits = [&](int exponent_per_digit) {
    for (; is_digit(p); ++p, ++digits, exponent += exponent_per_digit)
      mantissa = mantissa * 10 + static_cast<uint64_t>(*p - '0');  // wraps only beyond 19 digits
  };
  const bool negative = p < end && *p == '-';
  if (negative) ++p;
  if (!is_digit(p)) return false;
  if (*p == '0') ++p, ++digits;
  else take_digits(0);
  bool integer = true;
  if (p < end && *p == '.') {
    integer = false;
    if (!is_digit(++p)) return false;
    take_digits(-1);
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    integer = false;
    ++p;
    const bool negative_exponent = p < end && *p == '-';
    if (p < end && (*p == '+' || *p == '-')) ++p;
    if (!is_digit(p)) return false;
    int e = 0;
    for (; is_digit(p); ++p) e = std::min(e * 10 + (*p - '0'), 1000000);
    exponent += negative_exponent ? -e : e;
  }
  if (digits <= 19 && mantissa <= kMaxExactMantissa && exponent >= -22 && exponent <= 22) {
    const double m = static_cast<double>(mantissa);
    const double value = exponent < 0 ? m / kExactPowersOf10[-exponent] : m * kExactPowersOf10[exponent];
    out = negative ? -value : value;
  } else {
    const auto [stop, ec] = std::from_chars(begin, p, out);
    if (ec != std::errc() || stop != p) return false;
  }
  if (integer && out == 0.0) out = 0.0;  // "-0" is the integer 0 to nlohmann
  in.remove_prefix(static_cast<size_t>(p - begin));
  return true;
}

// A JSON string of printable ASCII without escapes, consumed from `in`.
bool plain_string(std::string_view& in, std::string& out) {
  if (in.empty() || in[0] != '"') return false;
  size_t i = 1;
  while (i < in.size() && in[i] != '"') {
    if (in[i] < 0x20 || in[i] > 0x7e || in[i] == '\\') return false;
    ++i;
  }
  if (i >= in.size()) return false;
  out.assign(in.substr(1, i - 1));
  in.remove_prefix(i + 1);
  return true;
}

bool literal(std::string_view& in, std::string_view prefix) {
  if (in.substr(0, prefix.size()) != prefix) return false;
  in.remove_prefix(prefix.size());
  return true;
}

// The fast path for lines exactly as format_record writes them without
// extras (nearly every line of a long log), into a blank `r`: the same
// record the full JSON parser gives, ~20 times faster. Anything else: false,
// and the full parser decides (and words any error).
bool canonical_record(std::string_view in, LogRecord& r) {
  bool ok = false;
  if (literal(in, R"({"type":"measurement","time":)")) {
    ok = json_number(in, r.time_unix_s) && literal(in, R"(,"rtc_error":)") && json_number(in, r.rtc_error_s) &&
         literal(in, R"(,"sigma":)") && json_number(in, r.sigma_s) && literal(in, R"(,"source":)") &&
         plain_string(in, r.source);
  } else if (literal(in, R"({"type":"step","time":)")) {
    r.type = RecordType::step;
    ok = json_number(in, r.time_unix_s) && literal(in, R"(,"amount":)") && json_number(in, r.amount_s) &&
         literal(in, R"(,"reason":)") && plain_string(in, r.reason);
  } else if (literal(in, R"({"type":"reset","time":)")) {
    r.type = RecordType::reset;
    ok = json_number(in, r.time_unix_s) && literal(in, R"(,"reason":)") && plain_string(in, r.reason);
  }
  return ok && in == "}" && record_problem(r).empty();
}

// `r` as a default LogRecord read from `line`, keeping the storage of its
// strings and of an empty extra object (no allocation per line).
void make_blank(LogRecord& r, int line) {
#if UINTPTR_MAX == UINT64_MAX && defined(__GLIBCXX__)
  static_assert(sizeof(LogRecord) == 200, "LogRecord changed: reset its new fields here too");
#endif
  r.type = RecordType::measurement;
  r.time_unix_s = r.rtc_error_s = r.sigma_s = r.amount_s = 0.0;
  r.source.clear();
  r.reason.clear();
  r.target_line = 0;
  r.offset_ppb = r.previous_ppb = 0.0;
  r.trim_sign = 1;
  r.boottime_s = 0.0;
  r.boot_id.clear();
  if (!r.extra.is_object() || !r.extra.empty()) r.extra = Json::object();
  r.line = line;
}

}  // namespace

void parse_log_line_into(std::string_view text, int line, LogLineParse& out) {
  out.cause.clear();
  if (!out.record) out.record.emplace();
  make_blank(*out.record, line);
  if (!canonical_record(text, *out.record)) out = parse_log_line_slow(text, line);
}

LogLineParse parse_log_line(std::string_view text, int line) {
  LogLineParse out;
  parse_log_line_into(text, line, out);
  return out;
}

LogLineParse parse_log_line_slow(std::string_view text, int line) {
  Json object;
  try {
    object = Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    return {std::nullopt, "not valid JSON: " + json_error_text(e.what())};
  } catch (const Json::out_of_range& e) {  // "number overflow parsing '1e400'"
    return {std::nullopt, "not valid JSON: " + json_error_text(e.what())};
  } catch (const Json::exception& e) {
    return {std::nullopt, "not valid JSON: " + json_error_text(e.what())};
  }
  return record_of(object, line);
}

LogParse parse_log(std::string_view text) {
  LogParse parse;
  int line = 0;
  while (!text.empty()) {
    ++line;
    const size_t end = std::min(text.find('\n'), text.size());
    const std::string_view content = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    if (content.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    LogLineParse one = parse_log_line(content, line);
    if (one.record) {
      parse.records.push_back(std::move(*one.record));
    } else {
      parse.errors.push_back({line, std::move(one.cause)});
    }
  }
  return parse;
}

std::string format_record(const LogRecord& r) {
  Json object;
  object["type"] = record_type_name(r.type);
  object["time"] = r.time_unix_s;
  if (r.type == RecordType::measurement) {
    object["rtc_error"] = r.rtc_error_s;
    object["sigma"] = r.sigma_s;
    object["source"] = r.source;
  } else if (r.type == RecordType::step) {
    object["amount"] = r.amount_s;
    object["reason"] = r.reason;
  } else if (r.type == RecordType::reset) {
    object["reason"] = r.reason;
  } else if (r.type == RecordType::trim) {
    object["offset_ppb"] = r.offset_ppb;
    object["previous_ppb"] = r.previous_ppb;
    object["sign"] = r.trim_sign;
    object["reason"] = r.reason;
  } else if (r.type == RecordType::boot) {
    object["boottime"] = r.boottime_s;
    object["boot_id"] = r.boot_id;
  } else if (r.type != RecordType::shutdown) {
    object["line"] = r.target_line;
    object[r.type == RecordType::drop ? "reason" : "text"] = r.reason;
  }
  if (r.extra.is_object()) {
    for (const auto& [key, value] : r.extra.items()) {
      if (!is_own_field(r.type, key)) object[key] = value;
    }
  }
  return object.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace rtcal::state

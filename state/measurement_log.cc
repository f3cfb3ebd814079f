// The measurement log's records, from and to JSON text (no file access; see
// measurement_log_file.cc). nlohmann::ordered_json keeps the fields in the
// order they were read, so extra fields are written back unchanged.
#include "state/measurement_log.h"

#include <cmath>
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
  switch (type) {
    case RecordType::measurement: return kMeasurement;
    case RecordType::step: return kStep;
    case RecordType::reset: return kReset;
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
            "unknown type " + in_quotes(type_name) + " (expected measurement, step or reset)"};
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
  } else {
    record.reason = reader.string("reason");
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
  }
  return "measurement";
}

std::string record_problem(const LogRecord& r) {
  const auto non_finite = [](const char* key) {
    return "field " + in_quotes(key) + " is not a finite number";
  };
  if (!std::isfinite(r.time_unix_s)) return non_finite("time");
  if (r.type == RecordType::measurement) {
    if (!std::isfinite(r.rtc_error_s)) return non_finite("rtc_error");
    if (!std::isfinite(r.sigma_s)) return non_finite("sigma");
    if (!(r.sigma_s > 0)) return "field \"sigma\" must be > 0, got " + number_text(r.sigma_s);
  }
  if (r.type == RecordType::step && !std::isfinite(r.amount_s)) return non_finite("amount");
  if (!r.extra.is_object()) return "extra fields are not a JSON object";
  return "";
}

LogLineParse parse_log_line(std::string_view text, int line) {
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
  } else {
    object["reason"] = r.reason;
  }
  if (r.extra.is_object()) {
    for (const auto& [key, value] : r.extra.items()) {
      if (!is_own_field(r.type, key)) object[key] = value;
    }
  }
  return object.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace rtcal::state

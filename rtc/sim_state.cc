// The sim file's JSON form and the simulated RTC's arithmetic (see
// rtc/sim_state.h). Every parse error names the file, the field and the fix,
// and is a bad_state error (exit 3).
#include "rtc/sim_state.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <utility>

#include <nlohmann/json.hpp>

namespace rtcal::sim {
namespace {

using nlohmann::json;

constexpr const char* kFormat = "rtcal-sim 1";

std::string type_word(const json& value) {
  if (value.is_string()) return "a string";
  if (value.is_boolean()) return "true/false";
  if (value.is_number_integer()) return "an integer";
  if (value.is_number()) return "a fractional number";
  if (value.is_null()) return "null";
  if (value.is_array()) return "an array";
  return "an object";
}

// Reads the fields of one JSON object, remembering the first problem.
class FieldReader {
 public:
  FieldReader(const json& root, const std::string& object, const std::string& path)
      : root_(root), object_(object), path_(path) {}

  void integer(const char* key, int64_t& out) {
    if (const json* v = find(key, "an integer")) {
      if (v->is_number_integer()) out = v->get<int64_t>();
      else wrong_type(key, "an integer", *v);
    }
  }
  void number(const char* key, double& out) {
    if (const json* v = find(key, "a number")) {
      if (v->is_number()) out = v->get<double>();
      else wrong_type(key, "a number", *v);
    }
  }
  void boolean(const char* key, bool& out) {
    if (const json* v = find(key, "true or false")) {
      if (v->is_boolean()) out = v->get<bool>();
      else wrong_type(key, "true or false", *v);
    }
  }
  // A field that older sim files lack: absent means keep the default.
  bool has(const char* key) const { return !error_ && root_.contains(key); }
  void text(const char* key, std::string& out) {
    if (const json* v = find(key, "a string")) {
      if (v->is_string()) out = v->get<std::string>();
      else wrong_type(key, "a string", *v);
    }
  }
  void fail(const std::string& cause) {
    if (!error_) error_ = bad_state(object_, cause, "fix the file or recreate it with: rtcal sim init " + path_ + " --force");
  }
  const std::optional<Error>& error() const { return error_; }

 private:
  const json* find(const char* key, const char* expected) {
    if (error_) return nullptr;
    auto it = root_.find(key);
    if (it == root_.end()) {
      fail(std::string("field '") + key + "' is missing (expected " + expected + ")");
      return nullptr;
    }
    return &*it;
  }
  void wrong_type(const char* key, const char* expected, const json& got) {
    fail(std::string("field '") + key + "' must be " + expected + ", got " + type_word(got));
  }

  const json& root_;
  const std::string& object_;
  const std::string& path_;
  std::optional<Error> error_;
};

SimState read_fields(FieldReader& r) {
  SimState s;
  std::string clock;
  r.text("clock", clock);
  r.integer("true_ns", s.true_ns);
  r.integer("real_anchor_ns", s.real_anchor_ns);
  r.integer("system_error_ns", s.system_error_ns);
  r.boolean("rtc_valid", s.rtc_valid);
  r.integer("rtc_value_at_anchor_ns", s.rtc_value_at_anchor_ns);
  r.integer("rtc_true_at_anchor_ns", s.rtc_true_at_anchor_ns);
  r.number("rtc_rate_ppm", s.rtc_rate_ppm);
  r.number("rtc_first_tick_s", s.rtc_first_tick_s);
  r.integer("edge_latency_ns", s.edge_latency_ns);
  if (r.has("set_latency_ns")) r.integer("set_latency_ns", s.set_latency_ns);
  if (r.has("sleep_latency_ns")) r.integer("sleep_latency_ns", s.sleep_latency_ns);
  if (r.has("kernel_tz_minutes_west")) {
    int64_t minutes = 0;
    r.integer("kernel_tz_minutes_west", minutes);
    s.kernel_tz_minutes_west = static_cast<int>(std::clamp<int64_t>(minutes, -100000, 100000));
  }
  if (r.has("kernel_tz_warp_pending")) r.boolean("kernel_tz_warp_pending", s.kernel_tz_warp_pending);
  if (r.has("kernel_synced")) r.boolean("kernel_synced", s.kernel_synced);
  if (r.has("kernel_rtc_writes")) r.boolean("kernel_rtc_writes", s.kernel_rtc_writes);
  if (r.has("trim_step_ppb")) {
    int64_t sign = 1;
    r.integer("trim_step_ppb", s.trim_step_ppb);
    r.integer("trim_range_ppb", s.trim_range_ppb);
    r.integer("trim_sign", sign);
    r.boolean("trim_clamp", s.trim_clamp);
    r.integer("trim_offset_ppb", s.trim_offset_ppb);
    s.trim_sign = sign < 0 ? -1 : (sign > 0 ? 1 : 0);
  }
  if (r.has("rtc_off_rate_ppm")) {
    double off = 0.0;
    r.number("rtc_off_rate_ppm", off);
    s.rtc_off_rate_ppm = off;
  }
  s.boot_true_ns = s.true_ns;  // an older file: as if it booted now
  if (r.has("boot_true_ns")) r.integer("boot_true_ns", s.boot_true_ns);
  if (r.has("boot_count")) r.integer("boot_count", s.boot_count);
  if (!r.error() && clock != "virtual" && clock != "real") {
    r.fail("field 'clock' must be \"virtual\" or \"real\", got \"" + clock + "\"");
  }
  s.real_clock = clock == "real";
  return s;
}

}  // namespace

Result<SimState> parse_sim_state(std::string_view text, const std::string& object,
                                 const std::string& path) {
  const std::string fix = "fix the file or recreate it with: rtcal sim init " + path + " --force";
  json root;
  try {
    root = json::parse(text);
  } catch (const json::parse_error& e) {
    return bad_state(object, "not valid JSON (error at byte " + std::to_string(e.byte) + ")", fix);
  }
  if (!root.is_object()) return bad_state(object, "not a JSON object", fix);
  auto format = root.find("format");
  if (format == root.end() || !format->is_string() || *format != kFormat) {
    return bad_state(object, std::string("not an rtcal sim file (field 'format' must be \"") + kFormat + "\")", fix);
  }
  FieldReader reader(root, object, path);
  SimState state = read_fields(reader);
  if (reader.error()) return *reader.error();
  if (std::string problem = sim_state_problem(state); !problem.empty()) {
    return bad_state(object, problem, fix);
  }
  return state;
}

std::string format_sim_state(const SimState& s) {
  // nlohmann's ordered_json keeps the documented field order in the file.
  nlohmann::ordered_json j;
  j["format"] = kFormat;
  j["clock"] = s.real_clock ? "real" : "virtual";
  j["true_ns"] = s.true_ns;
  j["real_anchor_ns"] = s.real_anchor_ns;
  j["system_error_ns"] = s.system_error_ns;
  j["rtc_valid"] = s.rtc_valid;
  j["rtc_value_at_anchor_ns"] = s.rtc_value_at_anchor_ns;
  j["rtc_true_at_anchor_ns"] = s.rtc_true_at_anchor_ns;
  j["rtc_rate_ppm"] = s.rtc_rate_ppm;
  j["rtc_first_tick_s"] = s.rtc_first_tick_s;
  j["edge_latency_ns"] = s.edge_latency_ns;
  if (s.set_latency_ns != 0) j["set_latency_ns"] = s.set_latency_ns;
  if (s.sleep_latency_ns != 0) j["sleep_latency_ns"] = s.sleep_latency_ns;
  if (s.rtc_off_rate_ppm) j["rtc_off_rate_ppm"] = *s.rtc_off_rate_ppm;
  j["boot_true_ns"] = s.boot_true_ns;
  j["boot_count"] = s.boot_count;
  j["kernel_tz_minutes_west"] = s.kernel_tz_minutes_west;
  j["kernel_tz_warp_pending"] = s.kernel_tz_warp_pending;
  if (s.kernel_synced) j["kernel_synced"] = true;
  if (s.kernel_rtc_writes) j["kernel_rtc_writes"] = true;
  if (s.trim_step_ppb != 0) {
    j["trim_step_ppb"] = s.trim_step_ppb;
    j["trim_range_ppb"] = s.trim_range_ppb;
    j["trim_sign"] = s.trim_sign;
    j["trim_clamp"] = s.trim_clamp;
    j["trim_offset_ppb"] = s.trim_offset_ppb;
  }
  return j.dump(2) + "\n";
}

std::string sim_state_problem(const SimState& s) {
  const std::pair<const char*, int64_t> times[] = {{"true_ns", s.true_ns},
                                                   {"real_anchor_ns", s.real_anchor_ns},
                                                   {"rtc_value_at_anchor_ns", s.rtc_value_at_anchor_ns},
                                                   {"rtc_true_at_anchor_ns", s.rtc_true_at_anchor_ns},
                                                   {"boot_true_ns", s.boot_true_ns}};
  for (const auto& [name, ns] : times) {
    if (!sim_time_in_range(ns)) {
      return std::string("field '") + name + "' must be between 0 (1970) and " + std::to_string(kMaxTimeNs) +
             " (2106) ns";
    }
  }
  if (s.system_error_ns < -kMaxAbsSystemErrorNs || s.system_error_ns > kMaxAbsSystemErrorNs) {
    return "field 'system_error_ns' must be within +-" + std::to_string(kMaxAbsSystemErrorNs) + " ns";
  }
  if (!(std::fabs(s.rtc_rate_ppm) <= kMaxAbsRatePpm)) {
    return "field 'rtc_rate_ppm' must be within +-100000 ppm";
  }
  if (!(std::fabs(s.rtc_off_rate_ppm.value_or(0.0)) <= kMaxAbsRatePpm)) {
    return "field 'rtc_off_rate_ppm' must be within +-100000 ppm";
  }
  if (s.boot_count < 1 || s.boot_count > 999'999'999'999) {
    return "field 'boot_count' must be between 1 and 999999999999";
  }
  if (!(s.rtc_first_tick_s > 0.0 && s.rtc_first_tick_s <= 1.0)) {
    return "field 'rtc_first_tick_s' must be more than 0 and at most 1 s";
  }
  if (s.edge_latency_ns < 0 || s.edge_latency_ns > static_cast<int64_t>(kMaxEdgeLatencyS * 1e9)) {
    return "field 'edge_latency_ns' must be between 0 and 100000000 ns";
  }
  if (s.set_latency_ns < 0 || s.set_latency_ns > static_cast<int64_t>(kMaxEdgeLatencyS * 1e9)) {
    return "field 'set_latency_ns' must be between 0 and 100000000 ns";
  }
  if (s.sleep_latency_ns < 0 || s.sleep_latency_ns > static_cast<int64_t>(kMaxEdgeLatencyS * 1e9)) {
    return "field 'sleep_latency_ns' must be between 0 and 100000000 ns";
  }
  if (s.kernel_tz_minutes_west < -15 * 60 || s.kernel_tz_minutes_west > 15 * 60) {
    return "field 'kernel_tz_minutes_west' must be between -900 and 900 (as the kernel allows)";
  }
  if (s.trim_step_ppb < 0 || s.trim_step_ppb > 1'000'000 || s.trim_range_ppb < 0 || s.trim_range_ppb > 1'000'000) {
    return "fields 'trim_step_ppb' and 'trim_range_ppb' must be between 0 and 1000000 ppb";
  }
  if (s.trim_step_ppb != 0 && (s.trim_sign == 0 || s.trim_offset_ppb < -s.trim_range_ppb || s.trim_offset_ppb > s.trim_range_ppb)) {
    return "field 'trim_sign' must be 1 or -1 and 'trim_offset_ppb' within +-trim_range_ppb";
  }
  if (!(std::fabs(s.rate_ppm(true)) <= kMaxAbsRatePpm && std::fabs(s.rate_ppm(false)) <= kMaxAbsRatePpm)) {
    return "the rate with the trim must be within +-100000 ppm";
  }
  return "";
}

void set_trim(SimState& s, int64_t true_ns, int64_t offset_ppb) {
  s.rtc_value_at_anchor_ns = rtc_value_ns(s, true_ns);
  s.rtc_true_at_anchor_ns = true_ns;
  s.trim_offset_ppb = offset_ppb;
}

int64_t rtc_value_ns(const SimState& s, int64_t true_ns) {
  const int64_t elapsed = true_ns - s.rtc_true_at_anchor_ns;
  // The rate term is small (ppm), so a double carries it exactly enough.
  const auto gained = static_cast<int64_t>(std::llround(static_cast<double>(elapsed) * s.rate_ppm(true) * 1e-6));
  return s.rtc_value_at_anchor_ns + elapsed + gained;
}

int64_t rtc_reading_s(const SimState& s, int64_t true_ns) {
  return floor_div(rtc_value_ns(s, true_ns), kNsPerS);
}

int64_t next_edge_true_ns(const SimState& s, int64_t true_ns) {
  const int64_t boundary = (rtc_reading_s(s, true_ns) + 1) * kNsPerS;
  const double rate = 1.0 + s.rate_ppm(true) * 1e-6;
  const double rtc_to_go = static_cast<double>(boundary - s.rtc_value_at_anchor_ns);
  int64_t t = s.rtc_true_at_anchor_ns + static_cast<int64_t>(std::ceil(rtc_to_go / rate));
  // The estimate is off by a few ns at most; settle it on the exact edge.
  for (int i = 0; i < 1000 && rtc_value_ns(s, t) < boundary; ++i) ++t;
  for (int i = 0; i < 1000 && t - 1 > true_ns && rtc_value_ns(s, t - 1) >= boundary; ++i) --t;
  return t > true_ns ? t : true_ns + 1;
}

void set_rtc(SimState& s, int64_t true_ns, int64_t value_s) {
  // The first increment comes first_tick later, so the oscillator's phase at
  // the write is 1 s - first_tick into the second.
  const auto phase_ns = static_cast<int64_t>(std::llround((1.0 - s.rtc_first_tick_s) * 1e9));
  s.rtc_valid = true;
  s.rtc_true_at_anchor_ns = true_ns;
  s.rtc_value_at_anchor_ns = value_s * kNsPerS + phase_ns;
}

void kernel_rtc_writes(SimState& s, int64_t from_true_ns, int64_t to_true_ns) {
  if (!s.kernel_synced || !s.kernel_rtc_writes || to_true_ns - from_true_ns < kKernelRtcWriteNs) return;
  const int64_t write_ns = to_true_ns - (to_true_ns - from_true_ns) % kKernelRtcWriteNs;
  // The kernel times its write so the RTC's second starts on the system's
  // (rtc_cmos: 0.5 s before it): the RTC then agrees with the system clock.
  s.rtc_valid = true;
  s.rtc_true_at_anchor_ns = write_ns;
  s.rtc_value_at_anchor_ns = write_ns + s.system_error_ns;
}

void power_cycle(SimState& s, int64_t off_true_ns, int64_t duration_ns) {
  const int64_t on_true_ns = off_true_ns + duration_ns;
  const double off_gain = static_cast<double>(duration_ns) * s.rate_ppm(false) * 1e-6;
  s.rtc_value_at_anchor_ns = rtc_value_ns(s, off_true_ns) + duration_ns + std::llround(off_gain);
  s.rtc_true_at_anchor_ns = on_true_ns;
  if (s.rtc_valid) {  // the kernel's clock starts from the RTC's whole second
    s.system_error_ns = floor_div(s.rtc_value_at_anchor_ns, kNsPerS) * kNsPerS - on_true_ns;
  }
  s.boot_true_ns = on_true_ns;
  s.boot_count += 1;
  s.kernel_synced = false;
  s.kernel_tz_warp_pending = true;
  s.kernel_tz_minutes_west = 0;
}

std::string boot_id(const SimState& s) {
  char text[48];
  std::snprintf(text, sizeof text, "51a51a51-0000-4000-8000-%012lld", static_cast<long long>(s.boot_count));
  return text;
}

}  // namespace rtcal::sim

// libFuzzer target: the measurement-log parser (state/measurement_log.h).
// Any bytes must parse without crashing, leaking or undefined behaviour, and
// every record that parses must format to one line that parses back to the
// same record (the log is rewritten from records by nobody, but appended
// records must read back exactly). The fast path for canonical lines must
// give exactly what the full JSON parser gives, line by line.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "state/measurement_log.h"

namespace {

bool same(const rtcal::state::LogRecord& a, const rtcal::state::LogRecord& b) {
  return a.type == b.type && a.time_unix_s == b.time_unix_s && a.rtc_error_s == b.rtc_error_s &&
         a.sigma_s == b.sigma_s && a.source == b.source && a.amount_s == b.amount_s &&
         a.reason == b.reason && a.target_line == b.target_line && a.extra == b.extra && a.line == b.line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const rtcal::state::LogParse parse = rtcal::state::parse_log(text);
  size_t start = 0;
  for (int line = 1; start <= text.size(); ++line) {
    const size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view one = text.substr(start, end - start);
    const auto fast = rtcal::state::parse_log_line(one, line);
    const auto slow = rtcal::state::parse_log_line_slow(one, line);
    if (fast.record.has_value() != slow.record.has_value()) std::abort();
    if (fast.record && !same(*fast.record, *slow.record)) std::abort();
    start = end + 1;
  }
  for (const auto& record : parse.records) {
    if (!rtcal::state::record_problem(record).empty()) std::abort();  // parse accepted a bad record
    const std::string line = rtcal::state::format_record(record);
    if (line.empty() || line.back() != '\n' || line.find('\n') != line.size() - 1) std::abort();
    const auto back = rtcal::state::parse_log_line(std::string_view(line).substr(0, line.size() - 1), record.line);
    if (!back.record || !same(*back.record, record)) std::abort();  // not read back as written
  }
  return 0;
}

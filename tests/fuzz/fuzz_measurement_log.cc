// libFuzzer target: the measurement-log parser (state/measurement_log.h).
// Any bytes must parse without crashing, leaking or undefined behaviour, and
// every record that parses must format to one line that parses back to the
// same record (the log is rewritten from records by nobody, but appended
// records must read back exactly). The fast path for canonical lines must
// give exactly what the full JSON parser gives, line by line: the same
// record to the bit (every double compared as bits, so -0 and 0 differ) or
// the same cause, also when one LogLineParse is reused from line to line as
// scan_log does (and a record taken out of it between lines).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "state/measurement_log.h"

namespace {

bool bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

bool same(const rtcal::state::LogRecord& a, const rtcal::state::LogRecord& b) {
  return a.type == b.type && bits(a.time_unix_s, b.time_unix_s) && bits(a.rtc_error_s, b.rtc_error_s) &&
         bits(a.sigma_s, b.sigma_s) && a.source == b.source && bits(a.amount_s, b.amount_s) &&
         a.reason == b.reason && a.target_line == b.target_line && bits(a.offset_ppb, b.offset_ppb) &&
         bits(a.previous_ppb, b.previous_ppb) && a.trim_sign == b.trim_sign && bits(a.boottime_s, b.boottime_s) &&
         a.boot_id == b.boot_id && a.extra == b.extra && a.line == b.line;
}

// Both parsed the same record, or both failed for the same cause.
void check_same(const rtcal::state::LogLineParse& fast, const rtcal::state::LogLineParse& slow) {
  if (fast.record.has_value() != slow.record.has_value()) std::abort();
  if (fast.record && !same(*fast.record, *slow.record)) std::abort();
  if (fast.cause != slow.cause) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const rtcal::state::LogParse parse = rtcal::state::parse_log(text);
  size_t start = 0;
  rtcal::state::LogLineParse reused;
  for (int line = 1; start <= text.size(); ++line) {
    const size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view one = text.substr(start, end - start);
    const auto slow = rtcal::state::parse_log_line_slow(one, line);
    check_same(rtcal::state::parse_log_line(one, line), slow);
    rtcal::state::parse_log_line_into(one, line, reused);
    check_same(reused, slow);
    if (line % 3 == 0) {
      rtcal::state::LogLineParse taken = std::move(reused);  // as a caller may
    }
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

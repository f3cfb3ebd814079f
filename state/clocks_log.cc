// adjtimex's clocks.log, from text (see clocks_log.h). Strict where adjtimex
// is lenient (it skips a line it cannot read without a word): every line
// that is not an entry is reported, so an import never silently loses one.
#include "state/clocks_log.h"

#include <charconv>
#include <cmath>

#include "state/measurement_log.h"

namespace rtcal::state {
namespace {

std::vector<std::string_view> clocks_fields(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size() && out.size() <= 10) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    const size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

bool clocks_number(std::string_view text, double& out) {
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && std::isfinite(out);
}

bool clocks_flag(std::string_view text, bool& out) {
  if (text == "y" || text == "Y") return out = true, true;
  if (text == "n" || text == "N") return out = false, true;
  return false;
}

bool clocks_plausible_time(double t) { return t >= kMinLogTimeUnixS && t < kMaxLogTimeUnixS; }

// The entry on one line, or why not ("" and an entry on success).
std::string clocks_entry_of(std::string_view line, ClocksLogEntry& e) {
  const auto f = clocks_fields(line);
  if (f.size() != 10)
    return "expected 10 fields (DATE TIME REF SIGMA_REF SYS TICK FREQ SYS_OK CMOS CMOS_OK), got " +
           std::to_string(f.size() > 10 ? 11 : f.size()) + (f.size() > 10 ? " or more" : "");
  double tick = 0, freq = 0;
  if (!clocks_number(f[2], e.ref_unix_s)) return "REF (field 3) is not a number";
  if (!clocks_number(f[3], e.sigma_ref_s)) return "SIGMA_REF (field 4) is not a number";
  if (!clocks_number(f[4], e.sys_unix_s)) return "SYS (field 5) is not a number";
  if (!clocks_number(f[5], tick) || !clocks_number(f[6], freq)) return "TICK or FREQ (fields 6-7) is not a number";
  if (!clocks_flag(f[7], e.sys_ok)) return "SYS_OK (field 8) is not y or n";
  if (!clocks_number(f[8], e.cmos_unix_s)) return "CMOS (field 9) is not a number";
  if (!clocks_flag(f[9], e.cmos_ok)) return "CMOS_OK (field 10) is not y or n";
  if (e.ref_unix_s != 0.0 && !clocks_plausible_time(e.ref_unix_s)) return "REF (field 3) is not a unix time from 1980 to 2199, nor 0";
  if (e.sigma_ref_s < 0.0 || e.sigma_ref_s > kMaxLogSigmaS) return "SIGMA_REF (field 4) is not from 0 to 86400 s";
  if (!clocks_plausible_time(e.cmos_unix_s)) return "CMOS (field 9) is not a unix time from 1980 to 2199";
  return "";
}

}  // namespace

ClocksLogParse parse_clocks_log(std::string_view text) {
  ClocksLogParse parse;
  int line = 0;
  while (!text.empty()) {
    ++line;
    const size_t end = std::min(text.find('\n'), text.size());
    const std::string_view content = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    const size_t first = content.find_first_not_of(" \t\r");
    if (first == std::string_view::npos || content[first] == '#') continue;
    ClocksLogEntry e;
    e.line = line;
    if (std::string cause = clocks_entry_of(content, e); !cause.empty()) parse.errors.push_back({line, std::move(cause)});
    else parse.entries.push_back(e);
  }
  return parse;
}

}  // namespace rtcal::state

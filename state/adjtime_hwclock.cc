// hwclock's reading of /etc/adjtime (see adjtime_hwclock.h). The scanning
// uses the C library's sscanf with hwclock's formats, in the C locale that
// rtcal runs in, so the numbers come out exactly as hwclock's do.
#include "state/adjtime_hwclock.h"

#include <cmath>
#include <cstdio>
#include <cstring>

namespace rtcal::state {
namespace {

constexpr size_t kLineBufferBytes = 81;  // hwclock's char lineN[81]

// The next "line" as fgets(buf, 81, f) gives it, cut at its first NUL as
// a C string; `pos` moves past every byte fgets consumed.
std::string next_fgets_line(std::string_view text, size_t& pos) {
  const size_t start = pos;
  while (pos < text.size() && pos - start < kLineBufferBytes - 1) {
    if (text[pos++] == '\n') break;
  }
  const std::string_view raw = text.substr(start, pos - start);
  return std::string(raw.substr(0, raw.find('\0')));
}

std::string unrecognized(const std::string& line) { return "Warning: unrecognized line in adjtime file: " + line; }

// rtcal's words for what the strict parser found wrong.
void add_problems(std::string_view text, HwclockAdjtimeReading& reading) {
  if (text.find('\0') != std::string_view::npos) {
    reading.problems.push_back("it holds NUL bytes (written over by a crash?)");
  }
  using F = AdjtimeField;
  const AdjtimeParse strict = parse_adjtime(text);
  auto checked = require_fields(strict, "line",
                                {F::drift_factor, F::last_adjust, F::not_adjusted, F::last_calibration, F::scale});
  if (!checked) {  // the first is enough to say it is damaged; hwclock's warnings say the rest
    std::string where = checked.error().object;
    where.replace(0, 5, "line ");
    reading.problems.push_back(where + ": " + checked.error().cause);
  }
}

// nan or inf, which hwclock would take and then fail on: 0 instead.
void finite_or_zero(double& value, const char* what, HwclockAdjtimeReading& reading) {
  if (std::isfinite(value)) return;
  value = 0.0;
  reading.warnings.push_back(std::string("Warning: the ") + what + " in the adjtime file is not a finite number; using 0");
}

}  // namespace

HwclockAdjtimeReading read_adjtime_as_hwclock(std::string_view text, bool file_exists) {
  HwclockAdjtimeReading reading;
  if (!file_exists) {
    reading.scale_known = true;  // hwclock: no file, UTC, nothing said
    return reading;
  }
  size_t pos = 0;
  const std::string line1 = next_fgets_line(text, pos);
  const std::string line2 = next_fgets_line(text, pos);
  const std::string line3 = next_fgets_line(text, pos);

  Adjtime& v = reading.value;
  long long last_adjust = 0, last_calibration = 0;
  double factor = 0.0, not_adjusted = 0.0;
  if (std::sscanf(line1.c_str(), "%lf %lld %lf", &factor, &last_adjust, &not_adjusted) != 3) {
    reading.warnings.push_back(unrecognized(line1));
  }
  if (std::sscanf(line2.c_str(), "%lld", &last_calibration) != 1) reading.warnings.push_back(unrecognized(line2));
  v.drift_factor_s_per_day = factor;
  v.last_adjust_unix_s = last_adjust;
  v.not_adjusted_s = not_adjusted;
  v.last_calibration_unix_s = last_calibration;
  finite_or_zero(v.drift_factor_s_per_day, "drift factor", reading);
  finite_or_zero(v.not_adjusted_s, "not-adjusted time", reading);

  if (line3 == "UTC\n" || line3 == "LOCAL\n") {
    reading.scale_known = true;
    v.scale = line3 == "LOCAL\n" ? RtcScale::local : RtcScale::utc;
  } else if (!line3.empty()) {
    reading.warnings.push_back("Warning: unrecognized third line in adjtime file\n(Expected: `UTC' or `LOCAL' or nothing.)");
  }
  // Lines after the third are kept when the file is written (as rtcal's
  // own reading keeps them), but not ones holding a NUL.
  std::string_view rest = text.substr(pos);
  while (!rest.empty()) {
    const size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find('\0') == std::string_view::npos) v.extra_lines.emplace_back(line);
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  add_problems(text, reading);
  return reading;
}

}  // namespace rtcal::state

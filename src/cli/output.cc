// How rtcal speaks (see output.h).
#include "src/cli/output.h"

#include <cmath>
#include <vector>

#include "base/number_text.h"
#include "src/cli/i18n.h"
#include "src/dates/date_parse.h"
#include "src/dates/local_time.h"

namespace rtcal {

void print_json(Context& ctx, const nlohmann::ordered_json& value) {
  ctx.out() << value.dump(2) << '\n';
}

namespace {

// "3 days", in the user's language.
std::string count_of_unit(double size_s, int64_t n) {
  const auto count = static_cast<unsigned long>(n);
  if (size_s == 86400) return i18n::format(i18n::plural("{1} day", "{1} days", count), n);
  if (size_s == 3600) return i18n::format(i18n::plural("{1} hour", "{1} hours", count), n);
  if (size_s == 60) return i18n::format(i18n::plural("{1} minute", "{1} minutes", count), n);
  return i18n::format(i18n::plural("{1} second", "{1} seconds", count), n);
}

}  // namespace

std::string duration_words(double seconds) {
  double s = std::fabs(seconds);
  static const double kUnits_s[] = {86400, 3600, 60, 1};
  std::vector<std::string> parts;
  for (const double size_s : kUnits_s) {
    if (parts.size() == 2) break;
    const auto count = static_cast<int64_t>(std::floor(s / size_s));
    if (count > 0 || (parts.empty() && size_s == 1)) {
      parts.push_back(count_of_unit(size_s, count));
      s -= static_cast<double>(count) * size_s;
    } else if (!parts.empty()) {
      break;  // "3 days 0 hours" reads badly: stop at the first empty unit
    }
  }
  std::string text;
  for (const auto& part : parts) text += (text.empty() ? "" : " ") + part;
  return text;
}

std::string date_and_age(int64_t unix_s, SysTime now) {
  if (unix_s == 0) return _("never");
  const SysTime t = from_unix_s(static_cast<double>(unix_s));
  const double age_s = to_unix_s(now) - static_cast<double>(unix_s);
  std::string age = i18n::format(age_s >= 0 ? _("{1} ago") : _("in {1}"), duration_words(age_s));
  return format_local_time(t, 0) + " (" + age + ")";
}


void say(Context& ctx, const std::string& line) {
  if (ctx.options().json) {  // stdout carries the JSON alone
    ctx.err() << line << '\n';
    return;
  }
  if (ctx.options().hwclock_output && !ctx.options().dry_run) {
    if (ctx.options().verbose > 0) ctx.err() << line << '\n';
    return;
  }
  ctx.out() << line << '\n';
}

std::string hwclock_time_text(SysTime t) { return format_local_time(t, 6); }

std::string signed_seconds(double seconds, int decimals) {
  return (seconds >= 0 ? "+" : "") + fixed(seconds, decimals) + " s";
}

std::string rtc_fields_text(const RtcTime& fields, state::RtcScale scale) {
  return format_rtc_time(fields) + " " + std::string(state::scale_name(scale));
}

}  // namespace rtcal

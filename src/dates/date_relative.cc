// Dates relative to `now` (see date_detail.h): the keywords, signed
// durations, "... ago" and "@epoch". Keywords for whole days give local
// midnight; when a DST change skips midnight, the day starts at the change.
#include <array>
#include <cctype>
#include <string>
#include <variant>

#include "src/dates/date_detail.h"
#include "src/dates/date_span.h"
#include "src/dates/local_time.h"

namespace rtcal::date_detail {
namespace {

Result<SysTime> shifted(const Input& in, SysTime base, int sign, std::string_view span_text) {
  const std::variant<int64_t, std::string> span = parse_span_ns(span_text);
  if (const std::string* reason = std::get_if<std::string>(&span)) {
    return in.error(*reason, "give a number and a unit (" + std::string(kSpanUnitsHelp) +
                                 "), e.g. '+90min', '-2 days' or '3 hours ago'");
  }
  int64_t count = 0;
  const int64_t delta = std::get<int64_t>(span);
  const bool overflow = sign > 0 ? __builtin_add_overflow(base.time_since_epoch().count(), delta, &count)
                                 : __builtin_sub_overflow(base.time_since_epoch().count(), delta, &count);
  if (overflow) return in.error("the date is outside the range rtcal handles", "give a shorter duration");
  return SysTime{Nanos(count)};
}

// Local midnight `days_ahead` days after today's date at `now`.
SysTime local_midnight(SysTime now, int days_ahead) {
  const RtcTime today = local_fields_of_unix_s(split(now).first);
  const int64_t day = days_from_civil(today.year, static_cast<unsigned>(today.month),
                                      static_cast<unsigned>(today.day)) + days_ahead;
  RtcTime midnight = utc_fields_of_unix_s(day * kSecondsPerDay);
  const LocalResolution r = resolve_local_fields(midnight);
  switch (r.kind) {
    case LocalResolution::Kind::unique:
    case LocalResolution::Kind::repeated:
      return make_time(r.first_unix_s, 0);
    case LocalResolution::Kind::gap:
      return make_time(r.transition_unix_s, 0);
  }
  return make_time(r.first_unix_s, 0);
}

Result<SysTime> parse_epoch(const Input& in, std::string_view digits_text) {
  const Error bad = in.error("expected seconds since 1970-01-01 00:00 UTC after '@'",
                             "give e.g. '@1795427168' or '@1795427168.25'");
  const bool negative = !digits_text.empty() && digits_text.front() == '-';
  if (negative) digits_text.remove_prefix(1);
  int64_t seconds = 0;
  size_t pos = 0;
  while (pos < digits_text.size() && std::isdigit(static_cast<unsigned char>(digits_text[pos])) && pos < 12) {
    seconds = seconds * 10 + (digits_text[pos++] - '0');
  }
  if (pos == 0) return bad;
  int64_t nanos = 0;
  if (pos < digits_text.size() && (digits_text[pos] == '.' || digits_text[pos] == ',')) {
    int64_t scale = 100'000'000;
    const size_t start = ++pos;
    for (; pos < digits_text.size() && std::isdigit(static_cast<unsigned char>(digits_text[pos])); ++pos) {
      if (pos - start >= 9) return bad;
      nanos += (digits_text[pos] - '0') * scale;
      scale /= 10;
    }
    if (pos == start) return bad;
  }
  if (pos != digits_text.size()) return bad;
  if (seconds >= kLimitUnixS) {
    return in.error("the date is outside the range rtcal handles", "give a date between 1678 and 2261");
  }
  return negative ? make_time(-seconds, -nanos) : make_time(seconds, nanos);
}

struct Keyword {
  std::string_view name;
  int days_ahead;  // for the midnight keywords
  bool midnight;
};
constexpr std::array<Keyword, 4> kKeywords = {{
    {"now", 0, false}, {"today", 0, true}, {"yesterday", -1, true}, {"tomorrow", 1, true}}};

}  // namespace

std::optional<Result<SysTime>> parse_relative(const Input& in, std::string_view lowered, SysTime now) {
  if (lowered.front() == '@') return parse_epoch(in, lowered.substr(1));
  if (lowered.front() == '+') return shifted(in, now, +1, lowered.substr(1));
  if (lowered.front() == '-') return shifted(in, now, -1, lowered.substr(1));
  if (lowered.ends_with(" ago")) return shifted(in, now, -1, lowered.substr(0, lowered.size() - 4));
  for (const Keyword& keyword : kKeywords) {
    if (!lowered.starts_with(keyword.name)) continue;
    std::string_view rest = lowered.substr(keyword.name.size());
    if (!rest.empty() && rest.front() != ' ' && rest.front() != '+' && rest.front() != '-') continue;
    const SysTime base = keyword.midnight ? local_midnight(now, keyword.days_ahead) : now;
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    if (rest.empty()) return Result<SysTime>(base);
    if (rest.front() == '+' || rest.front() == '-') {
      return shifted(in, base, rest.front() == '+' ? +1 : -1, rest.substr(1));
    }
    return in.error("expected '+' or '-' and a duration after '" + std::string(keyword.name) + "'",
                    "write e.g. '" + std::string(keyword.name) + " + 2 hours'");
  }
  return std::nullopt;
}

}  // namespace rtcal::date_detail

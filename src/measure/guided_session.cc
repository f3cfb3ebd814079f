// The guided measurement's conversation (see guided_session.h).
#include "src/measure/guided_session.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "src/cli/i18n.h"
#include "src/dates/local_time.h"

namespace rtcal {
namespace {

using i18n::format;

Nanos ns_from_s(double s) { return Nanos(std::llround(s * 1e9)); }

std::string num(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// Sleep on `clock` until it reads `t` (no-op when past).
void sleep_until(SystemClock& clock, SysTime t) {
  const Nanos left = t - clock.now();
  if (left.count() > 0) clock.sleep_for(left);
}

SysTime next_whole_second(SysTime t, int plus_s) {
  const int64_t ns = t.time_since_epoch().count();
  const int64_t s = ns / 1'000'000'000 + 1 + plus_s;
  return SysTime(Nanos(s * 1'000'000'000));
}

// One practice beep: countdown, bell + mark at a whole second, time the press.
// none: a press too early, too late or missing.
std::optional<double> one_practice_beep(Prompter& p, SystemClock& clock, const GuideSettings& settings) {
  const SysTime beep = next_whole_second(clock.now(), 2);
  for (int count = 3; count >= 1; --count) {
    sleep_until(clock, beep - std::chrono::seconds(count));
    p.print(std::to_string(count) + "... ");
  }
  sleep_until(clock, beep);
  const bool early = p.discard_typed_ahead();
  p.bell();
  p.print(std::string(kBeepMark) + "\n");
  if (early) {
    p.print(std::string(_("Too early: wait for the beep.")) + "\n");
    return std::nullopt;
  }
  const auto line = p.read_line(ns_from_s(settings.max_reaction_s + 1.0));
  const double reaction_s = seconds_of(clock.now() - beep);
  if (!line || reaction_s > settings.max_reaction_s || reaction_s < 0.0) {
    p.print(format(_("No press within {1} s of the beep; once more."), num(settings.max_reaction_s, 1)) + "\n");
    return std::nullopt;
  }
  p.print("  " + format(_("{1} s after the beep"), num(reaction_s, 3)) + "\n");
  return reaction_s;
}

}  // namespace

ReactionStats reaction_stats(const std::vector<double>& r) {
  ReactionStats stats;
  stats.n = static_cast<int>(r.size());
  if (r.empty()) return stats;
  stats.mean_s = std::accumulate(r.begin(), r.end(), 0.0) / static_cast<double>(r.size());
  if (r.size() < 2) return stats;
  double ss = 0.0;
  for (double x : r) ss += (x - stats.mean_s) * (x - stats.mean_s);
  stats.spread_s = std::sqrt(ss / static_cast<double>(r.size() - 1));
  return stats;
}

Result<ReactionStats> practice_round(Prompter& p, SystemClock& clock, const GuideSettings& settings) {
  p.print(format(_("Practice: rtcal beeps {1} times (the bell and a mark after a countdown). Press Enter at each beep."),
                 settings.practice_beeps) + "\n");
  std::vector<double> reactions;
  for (int i = 0; i < settings.practice_beeps; ++i) {
    std::optional<double> r;
    for (int t = 0; t < settings.max_tries && !r; ++t) r = one_practice_beep(p, clock, settings);
    if (!r) return failure(_("practice round"), format(_("no press near the beep {1} times"), settings.max_tries),
                           _("press Enter when the mark appears, then run rtcal measure again"));
    reactions.push_back(*r);
  }
  const ReactionStats stats = reaction_stats(reactions);
  p.print(format(_("Your reaction: {1} s after the beep, spread {2} s. It is taken out of the real presses."),
                 num(stats.mean_s, 3), num(stats.spread_s, 3)) + "\n");
  return stats;
}

Result<SysTime> parse_announced_time(const std::string& text, SysTime near) {
  int h = 0, m = 0, s = 0, used = 0;
  const bool hms = std::sscanf(text.c_str(), " %2d:%2d:%2d%n", &h, &m, &s, &used) == 3;
  if (!hms && std::sscanf(text.c_str(), " %2d:%2d%n", &h, &m, &used) != 2) {
    return usage_error(format(_("time '{1}'"), text), _("is not HH:MM:SS or HH:MM"), _("type it as 14:32:10 (add UTC for UTC)"));
  }
  if (!hms) s = 0;
  std::string rest = text.substr(static_cast<size_t>(used));
  rest.erase(std::remove(rest.begin(), rest.end(), ' '), rest.end());
  const bool utc = rest == "UTC" || rest == "Z" || rest == "utc" || rest == "z";
  if (!(rest.empty() || utc) || h > 23 || m > 59 || s > 60) {
    return usage_error(format(_("time '{1}'"), text), _("is not a time of day"), _("type it as 14:32:10 or 14:32:10 UTC"));
  }
  // The typed time of day on the day before, of and after `near`'s date,
  // the nearest instant to `near` wins (local fields through the one local
  // time resolver: in a DST gap the offset before it, a repeated hour both).
  const double near_s = to_unix_s(near);
  const auto near_whole_s = static_cast<int64_t>(std::floor(near_s));
  double best = 0.0;
  bool found = false;
  auto consider = [&](int64_t candidate_s) {
    const auto candidate = static_cast<double>(candidate_s);
    if (!found || std::fabs(candidate - near_s) < std::fabs(best - near_s)) best = candidate;
    found = true;
  };
  for (int day = -1; day <= 1; ++day) {
    const int64_t base_s = near_whole_s + day * 86400;
    RtcTime fields = utc ? utc_fields_of_unix_s(base_s) : local_fields_of_unix_s(base_s);
    fields.hour = h;
    fields.minute = m;
    fields.second = s;
    if (utc) {
      consider(rtc_time_as_utc_unix_s(fields));
      continue;
    }
    const LocalResolution r = resolve_local_fields(fields);
    if (r.kind == LocalResolution::Kind::gap) {
      consider(rtc_time_as_utc_unix_s(fields) - r.offset_before_s);
      continue;
    }
    consider(r.first_unix_s);
    if (r.kind == LocalResolution::Kind::repeated) consider(r.second_unix_s);
  }
  return from_unix_s(best);
}

namespace {

// One real press: the announced time, then Enter at the beep. The offset
// (true - system) or none after max_tries.
Result<double> one_press(Prompter& p, SystemClock& clock, HumanSource source, const ReactionStats& reaction,
                         const GuideSettings& settings) {
  const std::string ask = source == HumanSource::beep
                              ? std::string(_("Which time will be announced at the next beep? (HH:MM:SS, add UTC for UTC)")) + " "
                              : std::string(_("Which time will your clock show next? (pick one a few seconds ahead, HH:MM:SS)")) + " ";
  for (int t = 0; t < settings.max_tries; ++t) {
    p.print(ask);
    const auto typed = p.read_line(ns_from_s(settings.line_timeout_s));
    if (!typed) return failure(_("guided measurement"), _("no answer typed"), _("run rtcal measure again"));
    auto announced = parse_announced_time(*typed, clock.now());
    if (!announced) {
      p.print(announced.error().message() + "\n");
      continue;
    }
    p.print(std::string(source == HumanSource::beep ? _("Press Enter at the beep.") : _("Press Enter when your clock shows it.")) + "\n");
    p.discard_typed_ahead();
    const auto press = p.read_line(ns_from_s(settings.line_timeout_s));
    const SysTime pressed = clock.now();
    if (!press) return failure(_("guided measurement"), _("no press"), _("run rtcal measure again"));
    const double offset_s = to_unix_s(announced.value()) + reaction.mean_s - to_unix_s(pressed);
    p.print("  " + format(offset_s <= 0 ? _("the system clock is {1} s ahead") : _("the system clock is {1} s behind"), num(-offset_s, 3)) + "\n");
    return offset_s;
  }
  return failure(_("guided measurement"), format(_("no readable time typed {1} times"), settings.max_tries),
                 _("type the time as HH:MM:SS"));
}

}  // namespace

Result<Reference> human_reference(Prompter& p, SystemClock& clock, HumanSource source, const ReactionStats& reaction,
                                  const GuideSettings& settings) {
  std::vector<double> offsets;
  for (int i = 0; i < settings.real_presses; ++i) {
    p.print(format(_("Measurement {1} of {2}."), i + 1, settings.real_presses) + "\n");
    auto offset = one_press(p, clock, source, reaction, settings);
    if (!offset) return offset.error();
    offsets.push_back(offset.value());
  }
  const ReactionStats spread = reaction_stats(offsets);
  const double per_press_s = std::max(reaction.spread_s, spread.spread_s);
  const double random_s = std::max(
      settings.min_sigma_s,
      per_press_s * std::sqrt(1.0 / static_cast<double>(offsets.size()) + 1.0 / std::max(1, reaction.n)));
  const double sigma_s = std::hypot(random_s, settings.systematic_s);
  Reference ref;
  ref.source = source == HumanSource::beep ? "beep" : "typed";
  ref.offset_s = spread.mean_s;
  ref.sigma_s = sigma_s;
  ref.extra["presses"] = offsets.size();
  ref.extra["offsets"] = offsets;
  ref.extra["reaction_mean"] = reaction.mean_s;
  ref.extra["reaction_spread"] = reaction.spread_s;
  ref.extra["practice_beeps"] = reaction.n;
  ref.summary = format(_("{1}, {2} presses: system clock offset {3} s (add), sigma {4} s, reaction {5} s removed"),
                       source == HumanSource::beep ? _("time beep") : _("a clock read by eye"), offsets.size(),
                       num(ref.offset_s, 3), num(sigma_s, 3), num(reaction.mean_s, 3));
  return ref;
}

namespace {

std::string seconds_words(double e) {
  const double a = std::fabs(e);
  return num(a, a >= 10 ? 1 : (a >= 1 ? 2 : 3)) + " s";
}

}  // namespace

std::string result_in_words(const std::vector<state::LogRecord>& earlier, const state::LogRecord& now) {
  const double e = now.rtc_error_s;
  std::string words = format(e > 0 ? _("the RTC is {1} fast") : (e < 0 ? _("the RTC is {1} slow") : _("the RTC is {1} right")),
                             seconds_words(e));
  const state::LogRecord* first = nullptr;
  for (const state::LogRecord& r : earlier) {
    if (r.type == state::RecordType::reset) first = nullptr;
    if (r.type == state::RecordType::measurement && !first && r.time_unix_s < now.time_unix_s) first = &r;
  }
  if (!first) return words + _("; the first measurement: measure again in a week or more to learn the rate");
  double steps_s = 0.0;
  for (const state::LogRecord& r : earlier) {
    if (r.type == state::RecordType::step && r.time_unix_s > first->time_unix_s && r.time_unix_s <= now.time_unix_s) {
      steps_s += r.amount_s;
    }
  }
  const double days = (now.time_unix_s - first->time_unix_s) / 86400.0;
  if (days < 0.5) {
    return words + format(_("; {1} hours since the first measurement: too soon for a rate"), num(days * 24, 1));
  }
  const double rate = (e - first->rtc_error_s - steps_s) / days;
  return words + format(rate >= 0 ? _("; {1} days since the first measurement; it gains about {2} s/day")
                                  : _("; {1} days since the first measurement; it loses about {2} s/day"),
                        num(days, days >= 10 ? 0 : 1), num(std::fabs(rate), 2));
}

}  // namespace rtcal

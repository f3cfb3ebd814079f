// Shared command helpers (see cmd_common.h).
#include "src/cmd_common.h"

#include <cmath>
#include <iostream>
#include <sstream>
#include <vector>

#include "calibration/drift.h"
#include "src/date_parse.h"
#include "src/i18n.h"
#include "state/adjtime_hwclock.h"

namespace rtcal {

Result<state::LoadedAdjtime> load_adjtime_for(Context& ctx) {
  if (ctx.options().noadjfile) {
    state::LoadedAdjtime none;
    none.path = "(--noadjfile)";
    return none;
  }
  return state::load_adjtime(ctx.options().adjfile);
}

namespace {

// Damage as rtcal says it (apply): the first problem, and what is used instead.
std::string damage_warning(const state::LoadedAdjtime& loaded, const state::HwclockAdjtimeReading& reading) {
  std::string what = !reading.problems.empty() ? reading.problems.front() : reading.warnings.front();
  for (char& c : what) {
    if (c == '\n') c = ' ';
  }
  const state::Adjtime& v = reading.value;
  return "rtcal: warning: " + loaded.path + ": damaged (" + what + "); read as util-linux hwclock reads it: factor " +
         fixed(v.drift_factor_s_per_day) + " s/day, last adjustment " + std::to_string(v.last_adjust_unix_s) +
         ", not adjusted " + fixed(v.not_adjusted_s) + " s, last calibration " +
         std::to_string(v.last_calibration_unix_s) + ", " + std::string(state::scale_name(v.scale)) +
         " (correct or remove the file; rtcal keeps a copy of it as " + loaded.resolved_path +
         ".damaged before writing it)";
}

// hwclock -v's lines about the file, on stdout as hwclock prints them.
void print_hwclock_verbose(Context& ctx, const state::HwclockAdjtimeReading& reading, bool file_exists) {
  const state::Adjtime& v = reading.value;
  const char* on = !reading.scale_known ? "unknown" : v.scale == state::RtcScale::local ? "local" : "UTC";
  const bool utc = ctx.options().utc || (!ctx.options().localtime && v.scale == state::RtcScale::utc);
  if (file_exists) {  // hwclock says nothing of a file it cannot read
    ctx.out() << "Last drift adjustment done at " << v.last_adjust_unix_s << " seconds after 1969\n"
              << "Last calibration done at " << v.last_calibration_unix_s << " seconds after 1969\n"
              << "Hardware clock is on " << on << " time\n";
  }
  ctx.out() << "Assuming hardware clock is kept in " << (utc ? "UTC" : "local") << " time.\n";
}

}  // namespace

Result<state::Adjtime> adjtime_values(Context& ctx, const state::LoadedAdjtime& loaded,
                                      std::initializer_list<state::AdjtimeField> needed, AdjtimeMeta* meta) {
  AdjtimeMeta ignored;
  if (meta == nullptr) meta = &ignored;
  if (!ctx.lenient_adjtime() || ctx.options().noadjfile) {
    if (ctx.options().hwclock_output && ctx.options().verbose > 0 && ctx.options().noadjfile) {
      ctx.out() << "Assuming hardware clock is kept in " << (ctx.options().utc ? "UTC" : "local") << " time.\n";
    }
    meta->damaged = !loaded.parse.errors.empty();
    meta->scale_known = loaded.parse.scale_line_present && !meta->damaged;
    return state::require_fields(loaded.parse, loaded.path, needed);
  }
  const auto reading = state::read_adjtime_as_hwclock(loaded.original_text, loaded.existed);
  meta->damaged = reading.damaged();
  meta->scale_known = reading.scale_known;
  if (ctx.options().hwclock_output) {
    // As hwclock's warnx(): "hwclock: " + text + newline.
    for (const std::string& w : reading.warnings) ctx.err() << ctx.options().hwclock_name << ": " << w << '\n';
    if (ctx.options().verbose > 0) print_hwclock_verbose(ctx, reading, loaded.existed);
    if (reading.damaged()) ctx.note(damage_warning(loaded, reading).substr(7));
  } else if (reading.damaged()) {
    ctx.err() << damage_warning(loaded, reading) << '\n';
  }
  return reading.value;
}

void say_hwclock_drift(Context& ctx, const calibration::DriftState& state, int64_t at_unix_s) {
  if (!ctx.options().hwclock_output || ctx.options().verbose == 0) return;
  const int64_t since_s = at_unix_s - state.last_adjust_unix_s;
  const double drift = calibration::drift_s(state, static_cast<double>(at_unix_s));
  ctx.out() << "Time since last adjustment is " << since_s << (since_s == 1 ? " second\n" : " seconds\n")
            << "Calculated Hardware Clock drift is "
            << calibration::hwclock_drift_text(calibration::hwclock_drift_parts(drift)) << " seconds\n";
}

calibration::DriftState drift_state_of(const state::Adjtime& adjtime) {
  return {adjtime.drift_factor_s_per_day, adjtime.last_adjust_unix_s, adjtime.not_adjusted_s,
          adjtime.last_calibration_unix_s};
}

Result<SysTime> now_for(Context& ctx) {
  auto clock = ctx.clock();
  if (!clock) return clock.error();
  return clock.value()->now();
}

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

std::string adjtime_change(const std::string& path, const std::string& before,
                           const std::string& after) {
  std::ostringstream text;
  text << "--- " << path << (before.empty() ? " (missing)" : "") << "\n+++ " << path << '\n';
  auto lines = [](const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  };
  const auto old_lines = lines(before), new_lines = lines(after);
  for (size_t i = 0; i < std::max(old_lines.size(), new_lines.size()); ++i) {
    const bool has_old = i < old_lines.size(), has_new = i < new_lines.size();
    if (has_old && has_new && old_lines[i] == new_lines[i]) {
      text << "  " << old_lines[i] << '\n';
      continue;
    }
    if (has_old) text << "- " << old_lines[i] << '\n';
    if (has_new) text << "+ " << new_lines[i] << '\n';
  }
  return text.str();
}

}  // namespace rtcal

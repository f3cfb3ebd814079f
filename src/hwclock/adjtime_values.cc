// Reading adjtime for a command (see adjtime_values.h).
#include "src/hwclock/adjtime_values.h"

#include "base/number_text.h"
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

}  // namespace rtcal

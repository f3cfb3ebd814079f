// set / systohc (see set_flow.h).
#include "src/hwclock/set_flow.h"

#include <cmath>
#include <cstdio>

#include "base/number_text.h"
#include "calibration/drift.h"
#include "rtc/cpu_vendor.h"
#include "src/cli/command.h"
#include "src/dates/date_parse.h"
#include "src/dates/local_time.h"
#include "src/hwclock/adjust_flow.h"
#include "src/hwclock/rtc_scale.h"
#include "src/measure/log_view.h"

namespace rtcal {
namespace {

// The true time the RTC should keep, as a function of the system time.
std::function<SysTime(SysTime)> wanted_time(const SetRequest& request) {
  if (!request.date) return [](SysTime t) { return t; };
  const SysTime date = *request.date, start = request.start;
  return [date, start](SysTime t) { return date + (t - start); };
}

std::string drift_update_text(const calibration::DriftUpdate& update, double old_factor) {
  using K = calibration::DriftUpdate::Kind;
  switch (update.kind) {
    case K::updated:
      return "drift factor: " + fixed(old_factor) + " -> " + fixed(update.factor_s_per_rtc_day) + " s/day over " +
             fixed(update.days, 3) + " days (" + calibration::describe_factor(update.factor_s_per_rtc_day) + ")";
    case K::skipped_uncalibrated:
      return "drift factor kept: no calibration recorded yet (this set starts one)";
    case K::skipped_too_soon:
      return "drift factor kept: less than 4 hours since the last calibration";
    case K::reset_too_large:
      return "drift factor reset to 0: the new value was beyond ±2145 s/day";
  }
  return "";
}

// hwclock -v's reason for keeping the factor (adjust_drift_factor), on stdout.
void say_hwclock_factor_kept(Context& ctx, const char* reason) {
  if (ctx.options().hwclock_output && ctx.options().verbose > 0) ctx.out() << "Not adjusting drift factor because " << reason << '\n';
}

// hwclock -v's lines for a factor updated (adjust_drift_factor), on stdout:
// the drift the old factor missed over the time since the last calibration.
void say_hwclock_factor_change(Context& ctx, const calibration::DriftUpdate& update, double old_factor) {
  if (!ctx.options().hwclock_output || ctx.options().verbose == 0) return;
  const double change = update.factor_s_per_rtc_day - old_factor;
  const double elapsed_s = update.days * 86400.0;
  char text[256];
  std::snprintf(text, sizeof text,
                "Clock drifted %f seconds in the past %f seconds\nin spite of a drift factor of %f seconds/day.\n"
                "Adjusting drift factor by %f seconds/day\n",
                change * update.days, elapsed_s, old_factor, change);
  ctx.out() << text;
}

// The factor after the set: kept, or updated with --update-drift.
double next_factor(Context& ctx, const calibration::DriftState& state, const SetRequest& request,
                   const std::optional<RtcReading>& before) {
  if (!request.options.update_drift) {
    say_hwclock_factor_kept(ctx, "the --update-drift option was not used.");
    return state.factor_s_per_rtc_day;
  }
  if (!before) {
    say(ctx, "drift factor kept: the RTC held no valid time before, so it tells nothing about drift");
    return state.factor_s_per_rtc_day;
  }
  const double true_at_edge = to_unix_s(wanted_time(request)(before->edge.system_at_edge));
  const auto update = calibration::update_drift(state, true_at_edge, static_cast<double>(before->rtc_unix_s));
  using K = calibration::DriftUpdate::Kind;
  if (update.kind == K::skipped_uncalibrated) {
    say_hwclock_factor_kept(ctx, "last calibration time is zero,\nso history is bad and calibration startover is necessary.");
  } else if (update.kind == K::skipped_too_soon) {
    say_hwclock_factor_kept(ctx, "it has been less than four hours since the last calibration.");
  } else if (update.kind == K::updated) {
    say_hwclock_factor_change(ctx, update, state.factor_s_per_rtc_day);
  } else if (update.kind == K::reset_too_large && ctx.options().hwclock_output && ctx.options().verbose > 0) {
    char text[160];  // hwclock's adjust_drift_factor, on stdout
    std::snprintf(text, sizeof text, "Clock drift factor was calculated as %f seconds/day.\nIt is far too much. Resetting to zero.\n",
                  update.calculated_s_per_rtc_day);
    ctx.out() << text;
  }
  say(ctx, drift_update_text(update, state.factor_s_per_rtc_day));
  return update.factor_s_per_rtc_day;
}

// adjtime after the set: the factor (next_factor), both timestamps the
// second the RTC was set to, and not_adjusted exact for that factor
// (anchored_after).
calibration::DriftState next_drift(Context& ctx, const state::Adjtime& values, const SetRequest& request,
                                   const std::optional<RtcReading>& before, const RtcWrite& write) {
  calibration::DriftState next = drift_state_of(values);
  next.factor_s_per_rtc_day = next_factor(ctx, next, request, before);
  next = anchored_after(next, write, to_unix_s(wanted_time(request)(write.system_at_write)));
  next.last_calibration_unix_s = next.last_adjust_unix_s;
  return next;
}

state::Adjtime with_drift(state::Adjtime values, const calibration::DriftState& d) {
  values.drift_factor_s_per_day = d.factor_s_per_rtc_day;
  values.last_adjust_unix_s = d.last_adjust_unix_s;
  values.not_adjusted_s = d.not_adjusted_s;
  values.last_calibration_unix_s = d.last_calibration_unix_s;
  return values;
}

// Why the RTC's old value must be read at its seconds edge (so the step is
// known to the millisecond), or "" when a whole-second read will do: then
// the set does not wait up to a second for that edge, and logs a reset.
std::string why_old_value_at_edge(Context& ctx, const HwDevices& dev, const SetRequest& request) {
  if (request.options.update_drift) return "--update-drift fits the drift to it";
  if (request.old_value_at_edge) return request.reason + " keeps its measurement's calibration";
  const CpuVendor vendor = this_cpu_vendor();
  if (dev.rtc->driver() == "rtc_cmos" && amd_register_a(vendor)) {
    return "the RTC keeps its sub-second phase on a set (rtc_cmos on " + cpu_vendor_name(vendor) + ")";
  }
  auto view = load_log_view(ctx.options().log_path);
  if (!view) return "the measurement log could not be read (" + view.error().cause + ")";
  if (open_segment_has_measurement(view.value())) return "the measurement log's calibration goes on across the set";
  return "";
}

// The reading before the set: at the edge when why_old_value_at_edge says
// so, else to the second; an unreadable RTC is reported and is no error.
std::optional<RtcReading> reading_before(Context& ctx, const HwDevices& dev, state::RtcScale scale,
                                         const state::Adjtime& values, const SetRequest& request) {
  const std::string why = why_old_value_at_edge(ctx, dev, request);
  ctx.note(why.empty() ? "reading the RTC without waiting for its edge: nothing needs its old value to the "
                         "millisecond (the set is logged as a reset)"
                       : "reading the RTC at its seconds edge: " + why);
  auto reading = read_rtc(dev, scale, why.empty());
  ctx.note("read done " + ms_text(since_process_start()) + " after the process started");
  if (!reading) {
    // hwclock --systohc and --set do not read the RTC first: in drop-in mode
    // this is a note for -v only (OpenRC takes any stderr output for failure).
    const std::string text = reading.error().message() + "; setting it anyway (logged as a reset)";
    if (ctx.options().hwclock_output) ctx.note("note: " + text);
    else ctx.err() << "rtcal: note: " << text << '\n';
    return std::nullopt;
  }
  // hwclock 2.38 reads the RTC before a set only with --update-drift: in
  // drop-in mode a read to the second has no -v lines of its own.
  if (reading->at_edge || !ctx.options().hwclock_output) {
    warn_reading(ctx, reading.value());
    say_hwclock_drift(ctx, drift_state_of(values), reading->rtc_unix_s);
  }
  say(ctx, "RTC was:    " + rtc_fields_text(reading->edge.rtc, scale) +
               (reading->at_edge ? ", " + signed_seconds(reading->rtc_minus_system_s()) + " from the system clock"
                                 : " (to the second)"));
  return reading.value();
}

// The step line: exact, or (old value read to the second) its range.
std::string step_text(const RtcWrite& write) {
  if (!write.step_to_second) return "step:       " + signed_seconds(*write.step_s) + " (new reading minus old)";
  return "step:       " + step_range_text(*write.step_s) + " (new reading minus old, known to the second)";
}


// hwclock's reference for the set: systohc's system time to the second at
// the start; --set's date at the start.
HwclockSetRef hwclock_ref(const SetRequest& request) {
  if (request.date) return {request.start, static_cast<int64_t>(std::floor(to_unix_s(*request.date)))};
  const int64_t start_s = floor_div(ns_of(request.start), kNsPerS);
  return {SysTime(Nanos(start_s * kNsPerS)), start_s};
}

}  // namespace

ExitCode run_set_flow(Context& ctx, const HwDevices& dev, const SetRequest& request) {
  if (Status delay = check_delay(request.options); !delay) return report(ctx, delay.error());
  auto access = AdjtimeAccess::open(ctx);
  if (!access) return report(ctx, access.error());
  const state::Adjtime& values = access.value()->values();
  auto scale = ctx.scale(values);
  if (!scale) return report(ctx, scale.error());
  // Whatever will be written after the set is made sure of first: on a
  // read-only or full /etc or /var nothing is changed.
  if (Status ready = prepare_rtc_write(ctx, *access.value()); !ready) return report_unchanged(ctx, ready.error());

  const std::optional<RtcReading> before = reading_before(ctx, dev, scale.value(), values, request);
  const RtcTarget target = target_on_scale(wanted_time(request), scale.value());
  auto write = write_rtc(ctx, dev, target, before, request.options);
  if (!write) return report(ctx, write.error());
  say_hwclock_write(ctx, write.value(), scale.value(), hwclock_ref(request));
  if (write->done && !before) {
    if (Status runs = check_runs_after_set(*dev.rtc, *dev.clock); !runs) return report(ctx, runs.error());
  }

  const std::string verb = write->done ? "RTC set:    " : "Would set:  ";
  say(ctx, verb + rtc_fields_text(write->written, scale.value()) + " at system time " +
               format_local_time(write->system_at_write, 6));
  if (before) step_on_scale(write.value(), *before, scale.value(), to_unix_s(wanted_time(request)(write->system_at_write)));
  if (write->step_s) say(ctx, step_text(write.value()));

  state::Adjtime next = with_drift(values, next_drift(ctx, values, request, before, write.value()));
  next.scale = scale_after_change(ctx, values.scale);
  return save_after_write(ctx, write.value(), request.reason, *access.value(), next);
}

}  // namespace rtcal

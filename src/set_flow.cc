// set / systohc (see set_flow.h).
#include "src/set_flow.h"

#include <cmath>

#include "calibration/drift.h"
#include "src/command.h"
#include "src/date_parse.h"
#include "src/local_time.h"

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
      return "drift factor: " + fixed(old_factor) + " -> " + fixed(update.factor_s_per_day) + " s/day over " +
             fixed(update.days, 3) + " days (" + calibration::describe_factor(update.factor_s_per_day) + ")";
    case K::skipped_uncalibrated:
      return "drift factor kept: no calibration recorded yet (this set starts one)";
    case K::skipped_too_soon:
      return "drift factor kept: less than 4 hours since the last calibration";
    case K::reset_too_large:
      return "drift factor reset to 0: the new value was beyond ±2145 s/day";
  }
  return "";
}

// adjtime after the set: timestamps = the set, factor updated with --update-drift.
calibration::DriftState next_drift(Context& ctx, const state::Adjtime& values, const SetRequest& request,
                                   const std::optional<RtcReading>& before, const RtcWrite& write) {
  const auto wanted = wanted_time(request);
  const auto state = drift_state_of(values);
  const double true_at_write = to_unix_s(wanted(write.system_at_write));
  if (!request.options.update_drift) return calibration::after_set(state, true_at_write);
  if (!before) {
    say(ctx, "drift factor kept: the RTC held no valid time before, so it tells nothing about drift");
    return calibration::after_set(state, true_at_write);
  }
  const double true_at_edge = to_unix_s(wanted(before->edge.system_at_edge));
  const auto update = calibration::update_drift(state, true_at_edge, static_cast<double>(before->rtc_unix_s));
  say(ctx, drift_update_text(update, state.factor_s_per_day));
  calibration::DriftState next = update.next;
  next.last_adjust_unix_s = next.last_calibration_unix_s = static_cast<int64_t>(std::floor(true_at_write));
  return next;
}

state::Adjtime with_drift(state::Adjtime values, const calibration::DriftState& d) {
  values.drift_factor_s_per_day = d.factor_s_per_day;
  values.last_adjust_unix_s = d.last_adjust_unix_s;
  values.not_adjusted_s = d.not_adjusted_s;
  values.last_calibration_unix_s = d.last_calibration_unix_s;
  return values;
}

// The reading before the set; an unreadable RTC is reported and is no error.
std::optional<RtcReading> reading_before(Context& ctx, const HwDevices& dev, state::RtcScale scale) {
  auto reading = read_rtc(dev, scale);
  if (!reading) {
    ctx.err() << "rtcal: note: " << reading.error().message() << "; setting it anyway (logged as a reset)\n";
    return std::nullopt;
  }
  say(ctx, "RTC was:    " + rtc_fields_text(reading->edge.rtc, scale) + ", " +
               signed_seconds(reading->rtc_minus_system_s()) +
               " from the system clock");
  return reading.value();
}

}  // namespace

ExitCode run_set_flow(Context& ctx, const HwDevices& dev, const SetRequest& request) {
  if (Status delay = check_delay(request.options); !delay) return report(ctx, delay.error());
  auto access = AdjtimeAccess::open(ctx);
  if (!access) return report(ctx, access.error());
  const state::Adjtime& values = access.value()->values();
  auto scale = ctx.scale(values);
  if (!scale) return report(ctx, scale.error());

  const std::optional<RtcReading> before = reading_before(ctx, dev, scale.value());
  const RtcTarget target = target_on_scale(wanted_time(request), scale.value());
  auto write = write_rtc(ctx, dev, target, before, request.options);
  if (!write) return report(ctx, write.error());
  if (write->done && !before) {
    if (Status runs = check_runs_after_set(*dev.rtc, *dev.clock); !runs) return report(ctx, runs.error());
  }

  const std::string verb = write->done ? "RTC set:    " : "Would set:  ";
  say(ctx, verb + rtc_fields_text(write->written, scale.value()) + " at system time " +
               format_local_time(write->system_at_write, 6));
  if (write->step_s) say(ctx, "step:       " + signed_seconds(*write->step_s) + " (new reading minus old)");

  state::Adjtime next = with_drift(values, next_drift(ctx, values, request, before, write.value()));
  // An RTC that kept its phase ends lateness_s behind the target: the seconds to add.
  if (write->phase_kept) next.not_adjusted_s = write->lateness_s;
  next.scale = scale_after_change(ctx, values.scale);
  return save_after_write(ctx, write.value(), request.reason, *access.value(), next);
}

}  // namespace rtcal

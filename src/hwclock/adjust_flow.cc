// RTC correction and system clock step from one edge reading (see adjust_flow.h).
#include "src/hwclock/adjust_flow.h"

#include <cmath>

#include "base/number_text.h"
#include "rtc/precise.h"
#include "src/dates/date_parse.h"
#include "src/dates/local_time.h"

namespace rtcal {

using Kind = calibration::AdjustDecision::Kind;

Error adjust_refusal(const std::string& adjfile, const calibration::AdjustDecision& decision, double factor) {
  if (decision.kind == Kind::refused_no_history) {
    return refused(adjfile, "no adjustment history (the last adjustment time is 0), so the drift is unknown",
                   "set the RTC first: rtcal systohc (or rtcal set --date ...)");
  }
  return refused(adjfile, "the drift factor " + fixed(factor) + " s/day is beyond ±2145 s/day",
                 "recalibrate: rtcal systohc --update-drift, or fix line 1 of the file");
}

calibration::DriftState anchored_after(const calibration::DriftState& state, const RtcWrite& write,
                                       double true_at_write_unix_s, double unreached_s) {
  // Counted: a kept phase's residual (AMD), a write late by 1 ms or more
  // (apply's single write at boot), and a verified write whose timed first
  // edge is 1 ms or more from the target (the tries ran out on a busy host:
  // its error is known exactly). Not counted: errors under the 1 ms the set
  // aims at, so adjtime after a good systohc is byte for byte hwclock's.
  const bool counted = write.phase_kept || std::fabs(write.lateness_s) >= seconds_of(kGoodSetError);
  const double true_minus_rtc_s = unreached_s + (counted ? write.lateness_s : 0.0);
  return calibration::anchored_at_write(state, true_at_write_unix_s - true_minus_rtc_s, true_minus_rtc_s);
}

void step_on_scale(RtcWrite& write, const RtcReading& before, state::RtcScale scale, double true_at_write_unix_s) {
  if (!write.step_s || scale == state::RtcScale::utc) return;
  const int new_offset_s = local_utc_offset_s(static_cast<int64_t>(std::floor(true_at_write_unix_s)));
  *write.step_s -= new_offset_s - before.zone_offset_s;
}

namespace {

// The offset (RTC target minus system clock, s) nudged by less than ±0.5 s so
// that set_on_edge's write moment falls `within_s` after the reading's edge.
double reachable_offset(double offset_s, double edge_unix_s, double delay_s, double within_s) {
  // set_on_edge writes when (system + offset - delay) is a whole second.
  const double phase = (edge_unix_s + within_s + offset_s - delay_s);
  double nudge = std::ceil(phase) - phase;  // in [0, 1)
  if (nudge > 0.5) nudge -= 1.0;
  return offset_s + nudge;
}

}  // namespace

Result<AdjustDone> adjust_rtc(Context& ctx, const HwDevices& dev, AdjtimeAccess& access, const RtcReading& before,
                              state::RtcScale scale, const calibration::AdjustDecision& decision,
                              const AdjustRequest& request) {
  if (Status ready = prepare_rtc_write(ctx, access); !ready) return ready.error();  // before the RTC is touched
  // The corrected true time as an offset from the system clock; then its
  // fields on the RTC's scale: for LOCAL the zone's offset at the corrected
  // time, which may differ from the one at the reading when the correction
  // crosses a DST change. Zone offsets are whole seconds, so the nudge to a
  // reachable write moment is the same on either scale.
  double offset_s = before.rtc_minus_system_s() + decision.correction_s;
  if (request.write_within_s) {
    const double delay_s = request.write.delay_s.value_or(1.0 - seconds_of(dev.rtc->first_tick_after_set()));
    offset_s = reachable_offset(offset_s + before.zone_offset_s, to_unix_s(before.edge.system_at_edge), delay_s,
                                *request.write_within_s) -
               before.zone_offset_s;
  }
  const double true_minus_system_s = before.rtc_minus_system_s() + decision.correction_s;
  const double unreached_s = true_minus_system_s - offset_s;
  const Nanos shift(std::llround(offset_s * 1e9));
  const RtcTarget target = target_on_scale([shift](SysTime t) { return t + shift; }, scale);
  auto write = write_rtc(ctx, dev, target, before, request.write);
  if (!write) return write.error();
  // hwclock's reference: the corrected reading's whole second, at the moment it held.
  const double true_at_read_s = to_unix_s(before.edge.system_at_edge) + true_minus_system_s;
  const double whole_s = std::floor(true_at_read_s);
  const SysTime ref_at = before.edge.system_at_edge - Nanos(std::llround((true_at_read_s - whole_s) * 1e9));
  say_hwclock_write(ctx, write.value(), scale, HwclockSetRef{ref_at, static_cast<int64_t>(whole_s)});
  const double true_at_write_s = to_unix_s(write->system_at_write) + true_minus_system_s;
  step_on_scale(write.value(), before, scale, true_at_write_s);
  const calibration::DriftState anchor = anchored_after(decision.next, write.value(), true_at_write_s, unreached_s);
  AdjustDone done;
  done.step_s = write->step_s.value_or(decision.correction_s - unreached_s);
  done.not_adjusted_s = anchor.not_adjusted_s;
  say(ctx, std::string(write->done ? "Adjusted the RTC by " : "Would adjust the RTC by ") +
               signed_seconds(done.step_s) + " (drift since the last adjustment): now " +
               rtc_fields_text(write->written, scale));
  state::Adjtime next = access.values();
  next.scale = scale_after_change(ctx, access.values().scale);
  next.drift_factor_s_per_day = decision.next.factor_s_per_rtc_day;
  next.last_adjust_unix_s = anchor.last_adjust_unix_s;
  next.not_adjusted_s = done.not_adjusted_s;
  next.last_calibration_unix_s = decision.next.last_calibration_unix_s;
  // Both tried even when one fails; a failure is reported with what was and
  // was not changed, and its code is handed back in `saved`.
  done.saved = save_after_write(ctx, write.value(), "adjust", access, next);
  return done;
}

Result<double> step_system_to_rtc(Context& ctx, const HwDevices& dev, const RtcReading& reading,
                                  state::RtcScale scale, const calibration::DriftState& drift_state,
                                  double skip_below_s) {
  const double drift = calibration::drift_s(drift_state, static_cast<double>(reading.rtc_unix_s));
  const double step_s = reading.rtc_minus_system_s() + drift;
  const SysTime corrected = reading.edge.system_at_edge + Nanos(std::llround(step_s * 1e9));
  const std::string what = "the RTC's " + rtc_fields_text(reading.edge.rtc, scale) + " " +
                           signed_seconds(drift) + " drift";
  if (std::fabs(step_s) < skip_below_s) {
    say(ctx, "System clock already agrees with " + what + " (off by " + signed_seconds(step_s) + "): not stepped");
    return step_s;
  }
  if (ctx.options().dry_run) {
    say(ctx, "Would step the system clock by " + signed_seconds(step_s) + " to " + what);
    return step_s;
  }
  if (Status stepped = dev.clock->step(Nanos(std::llround(step_s * 1e9))); !stepped) return stepped.error();
  say(ctx, "System clock stepped by " + signed_seconds(step_s) + " to " + what + ": it read " +
               format_local_time(corrected, 6) + " at the RTC's edge");
  return step_s;
}

}  // namespace rtcal

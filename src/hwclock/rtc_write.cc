// Setting the RTC (see rtc_write.h).
#include "src/hwclock/rtc_write.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "base/number_text.h"
#include "rtc/cpu_vendor.h"
#include "rtc/kept_phase_set.h"
#include "src/cli/command.h"
#include "src/cli/output.h"
#include "src/dates/date_parse.h"
#include "src/dates/local_time.h"
#include "src/hwclock/rtc_measure.h"
#include "src/hwclock/rtc_scale.h"
#include "state/measurement_log.h"

namespace rtcal {

Status check_delay(const WriteOptions& options) {
  constexpr double kMaxDelayS = 86400.0;
  if (options.delay_s && !(*options.delay_s >= 0.0 && *options.delay_s <= kMaxDelayS)) {
    return usage_error("--delay", "must be a number of seconds from 0 to 86400, got " + fixed(*options.delay_s, 3),
                       "e.g. --delay 0.5 for an MC146818 (rtc_cmos), 0 for most other RTCs");
  }
  return Status::success();
}

RtcTarget target_on_scale(std::function<SysTime(SysTime)> wanted, state::RtcScale scale) {
  return [wanted, scale](SysTime t) {
    const SysTime when = wanted(t);
    if (scale == state::RtcScale::utc) return when;
    const auto unix_s = static_cast<int64_t>(std::floor(to_unix_s(when)));
    return when + std::chrono::seconds(local_utc_offset_s(unix_s));
  };
}

namespace {

// When this process started (static initialisation), for the set's budget.
const std::chrono::steady_clock::time_point kProcessStart = std::chrono::steady_clock::now();
// The set's budget is never cut below this by a slow start (one try and its check).
constexpr Nanos kMinSetBudget = std::chrono::milliseconds(1600);


// A write whose first edge was timed further from the target than a good
// set may be: said on stderr (in drop-in mode only with -v, as hwclock
// prints nothing there and OpenRC takes stderr output for failure).
void warn_if_missed(Context& ctx, const SetOnEdgeResult& set) {
  if (set.phase_kept) return;  // warn_phase_kept says it
  if (!set.verified_error || std::chrono::abs(*set.verified_error) <= kGoodSetError) return;
  const std::string text = "the RTC's first edge after the write came " +
                           fixed(seconds_of(*set.verified_error) * 1e3, 3) + " ms from the target (+ = ahead) after " +
                           std::to_string(set.writes) + (set.writes == 1 ? " write" : " writes") +
                           ", beyond the 1 ms aimed at; the step logged includes it (a busy host? try again)";
  if (ctx.options().hwclock_output) ctx.note("warning: " + text);
  else ctx.err() << "rtcal: warning: " << text << '\n';
}

// A write that could not move the RTC's seconds edge (see SetOnEdgeResult).
void warn_phase_kept(Context& ctx, const RtcDevice& rtc, const SetOnEdgeResult& set) {
  const double residual_s = -seconds_of(set.lateness);  // measured, or computed from the kept phase
  const CpuVendor vendor = this_cpu_vendor();
  const std::string why = amd_register_a(vendor)
                              ? "Linux's rtc_cmos does not restart the MC146818's divider on this " +
                                    cpu_vendor_name(vendor) + " CPU"
                              : "the driver does not restart the RTC's divider";
  const std::string text = rtc.name() + " kept its sub-second phase (" + why + "): it stays " +
                           signed_seconds(residual_s, 4) +
                           " off the target (+ = ahead); the nearest second was written and the residual is recorded "
                           "(adjtime's not-adjusted seconds and the logged step), so readings correct for it";
  // Drop-in mode: only with -v (OpenRC takes stderr output for failure).
  if (ctx.options().hwclock_output) ctx.note("warning: " + text);
  else ctx.err() << "rtcal: warning: " << text << '\n';
  if (set.first_tick) {
    ctx.note("first RTC increment " + fixed(seconds_of(*set.first_tick) * 1e3, 3) + " ms after the write (" +
             (set.verified_error ? "timed" : "at the phase of the edge read") + "; a restarted divider: " +
             fixed(seconds_of(rtc.first_tick_after_set()) * 1e3, 0) + " ms); residual " +
             fixed(residual_s * 1e3, 3) + " ms");
  }
}

}  // namespace

Nanos since_process_start() {
  return std::chrono::duration_cast<Nanos>(std::chrono::steady_clock::now() - kProcessStart);
}

bool set_keeps_phase(const HwDevices& dev, const std::optional<RtcReading>& before) {
  return before && before->at_edge && amd_register_a(this_cpu_vendor()) && dev.rtc->driver() == "rtc_cmos";
}

Result<RtcWrite> write_rtc(Context& ctx, const HwDevices& dev, const RtcTarget& target,
                           const std::optional<RtcReading>& before, const WriteOptions& options) {
  RtcWrite write;
  write.step_to_second = before && !before->at_edge;
  if (!options.delay_s && !ctx.options().directisa && dev.rtc->driver() != "unknown") write.rtc_type = dev.rtc->driver();
  // The old reading, continued to system time `t` (fields as UTC, ns).
  auto old_value_ns = [&](SysTime t) {
    return rtc_time_as_utc_unix_s(before->edge.rtc) * kNsPerS + ns_of(t) - ns_of(before->edge.system_at_edge);
  };
  if (ctx.options().dry_run) {
    write.system_at_write = before ? before->edge.system_at_edge : dev.clock->now();
    const SysTime want = target(write.system_at_write);
    write.written = utc_fields_of_unix_s(static_cast<int64_t>(std::floor(to_unix_s(want))));
    write.delay_s = options.delay_s.value_or(1.0 - seconds_of(dev.rtc->first_tick_after_set()));
    if (before) write.step_s = seconds_of(Nanos(ns_of(want) - old_value_ns(write.system_at_write)));
    return write;
  }
  SetOnEdgeOptions set_options;
  const CpuVendor vendor = this_cpu_vendor();
  set_options.trust_clean_restart = set_restarts_divider(dev.rtc->driver(), vendor);
  // Read to the second, the RTC was not seen to tick: a divider held in
  // reset (a stopped RTC with valid fields) must still be noticed.
  set_options.running_unconfirmed = before && !before->at_edge;
  if (set_keeps_phase(dev, before)) set_options.kept_phase_edge = before->edge.system_at_edge;
  // systohc's whole run, process start included, within about 3 s.
  set_options.budget = std::max(kMinSetBudget, set_options.budget - since_process_start());
  if (options.delay_s) set_options.delay = Nanos(std::llround(*options.delay_s * 1e9));
  if (options.write_once_within_s) {
    set_options.verify = false;
    set_options.attempts = 1;
    set_options.max_lateness = Nanos(std::llround(*options.write_once_within_s * 1e9));
  }
  // systohc, set and apply over a kept-phase RTC: written at once after the
  // edge read with the value the target's nearest second needs at the next
  // kept edge, its landing computed from that edge (no moment to wait for).
  const bool write_at_once = set_options.kept_phase_edge && options.delay_s == std::nullopt;
  auto set = write_at_once ? set_at_kept_phase(*dev.rtc, *dev.clock, target, before->edge)
                           : set_on_edge(*dev.rtc, *dev.clock, target, set_options);
  if (!set) return set.error();
  write.done = true;
  write.written = set->written;
  write.system_at_write = set->system_at_write;
  write.lateness_s = seconds_of(set->lateness);
  write.delay_s = seconds_of(set->delay);
  write.write_lateness_s = seconds_of(set->write_lateness);
  write.missed = set->missed;
  if (!write.missed.empty()) {
    ctx.note("the wake-up came too late for " + std::to_string(write.missed.size()) +
             (write.missed.size() == 1 ? " moment" : " moments") + " to write (the last " +
             ms_text(write.missed.back().woke - write.missed.back().aimed) + " late): put off to the next second");
  }
  if (before) {
    const int64_t new_ns = ns_of(target(write.system_at_write)) - set->lateness.count();
    write.step_s = seconds_of(Nanos(new_ns - old_value_ns(write.system_at_write)));
    write.step_uncertainty_s = seconds_of(before->edge.uncertainty) + seconds_of(set->verified_uncertainty);
  }
  warn_if_missed(ctx, set.value());
  const std::string untimed = write_at_once ? ", its next edge at the phase read " +
                                                   ms_text(write.system_at_write - before->edge.system_at_edge) +
                                                   " before the write: computed, not timed"
                              : set_options.trust_clean_restart ? ", a clean write on a divider-restarting RTC: not timed"
                                                                : "";
  const std::string checked = set_options.trust_clean_restart && set_options.running_unconfirmed &&
                                      set->verified_error && !set->seen_running_before_write
                                  ? " (the RTC had not been seen to tick: its first edge was timed to show it runs)"
                                  : "";
  const std::string landed =
      set->verified_error ? "its first edge timed " + fixed(seconds_of(*set->verified_error) * 1e3, 3) + " ms from the target" + checked
                          : fixed(write.lateness_s * 1e3, 3) + " ms late" + untimed;
  write.phase_kept = set->phase_kept;
  if (set->phase_kept) warn_phase_kept(ctx, *dev.rtc, *set);
  ctx.note("wrote " + format_rtc_time(write.written) + " at system time " +
           format_utc_time(write.system_at_write, 6) + " (delay " + fixed(seconds_of(set->delay), 3) + " s, " + landed +
           ", " + std::to_string(set->writes) + (set->writes == 1 ? " write)" : " writes)"));
  ctx.note("set done " + ms_text(since_process_start()) + " after the process started");
  return write;
}

namespace {

// A system time as hwclock prints a struct timeval: "1795427168.250000".
std::string timeval_text(SysTime t) {
  const int64_t us = floor_div(ns_of(t), 1000);
  char text[48];
  std::snprintf(text, sizeof text, "%lld.%06lld", static_cast<long long>(floor_div(us, 1'000'000)),
                static_cast<long long>(us - floor_div(us, 1'000'000) * 1'000'000));
  return text;
}

// hwclock's tolerance for the write moment after `misses` missed ones: 1 ms,
// doubled with each miss (0.001, 0.002, 0.004, ...).
double hwclock_tolerance_after_s(size_t misses) { return 0.001 * std::ldexp(1.0, static_cast<int>(std::min<size_t>(misses, 20))); }

// The tolerance the write was made within: after the misses, and doubled
// further until it admits `lateness_s` (rtcal's own tries allow more).
double hwclock_tolerance_s(double lateness_s, size_t misses) {
  double tolerance_s = hwclock_tolerance_after_s(misses);
  for (int i = 0; i < 20 && std::fabs(lateness_s) >= tolerance_s; ++i) tolerance_s *= 2.0;
  return tolerance_s;
}

// hwclock -v's lines for the moments missed before the write.
void say_hwclock_missed(Context& ctx, const std::vector<MissedMoment>& missed) {
  char line[160];
  for (size_t i = 0; i < missed.size(); ++i) {
    std::snprintf(line, sizeof line, "missed it - %s is too far past %s (%.6f > %.6f)",
                  timeval_text(missed[i].woke).c_str(), timeval_text(missed[i].aimed).c_str(),
                  seconds_of(missed[i].woke - missed[i].aimed), hwclock_tolerance_after_s(i));
    ctx.out() << line << '\n';
  }
}

}  // namespace

void say_hwclock_write(Context& ctx, const RtcWrite& write, state::RtcScale scale, const HwclockSetRef& ref) {
  if (!ctx.options().hwclock_output || ctx.options().verbose == 0) return;
  char line[256];
  if (!write.rtc_type.empty()) ctx.out() << "RTC type: '" << write.rtc_type << "'\n";
  std::snprintf(line, sizeof line, "Using delay: %.6f seconds", write.delay_s);
  ctx.out() << line << '\n';
  say_hwclock_missed(ctx, write.missed);
  auto unix_s = rtc_fields_to_unix_s(write.written, scale);
  if (!unix_s) return;
  const SysTime aimed = write.system_at_write - Nanos(std::llround(write.write_lateness_s * 1e9));
  std::snprintf(line, sizeof line, "%s is close enough to %s (%.6f < %.6f)", timeval_text(write.system_at_write).c_str(),
                timeval_text(aimed).c_str(), write.write_lateness_s,
                hwclock_tolerance_s(write.write_lateness_s, write.missed.size()));
  ctx.out() << line << '\n';
  std::snprintf(line, sizeof line, "Set RTC to %lld (%lld + %lld; refsystime = %s)", static_cast<long long>(unix_s.value()),
                static_cast<long long>(ref.sethwtime_s), static_cast<long long>(unix_s.value() - ref.sethwtime_s),
                timeval_text(ref.refsystime).c_str());
  ctx.out() << line << '\n';
  const RtcTime& f = write.written;
  std::snprintf(line, sizeof line, "Setting Hardware Clock to %.2d:%.2d:%.2d = %lld seconds since 1969", f.hour,
                f.minute, f.second, static_cast<long long>(unix_s.value()));
  ctx.out() << line << '\n';
  // hwclock --directisa says nothing of its port writes; --test makes none.
  if (write.done && !ctx.options().directisa) ctx.out() << "ioctl(RTC_SET_TIME) was successful.\n";
}

Status record_write(Context& ctx, const RtcWrite& write, const std::string& reason) {
  state::LogRecord record;
  record.time_unix_s = to_unix_s(write.system_at_write);
  if (write.step_exact()) {
    record.type = state::RecordType::step;
    record.amount_s = *write.step_s;
    record.reason = reason;
    if (write.step_uncertainty_s > 0.0) record.extra["uncertainty"] = write.step_uncertainty_s;
  } else if (write.step_s) {
    record.type = state::RecordType::reset;
    record.reason = reason + ": the old RTC value was read to the second only (not at its edge, as nothing needed " +
                    "it to the millisecond): the step was " + step_range_text(*write.step_s);
  } else {
    record.type = state::RecordType::reset;
    record.reason = reason + ": the RTC held no valid time before";
  }
  return save_measurement(ctx, record);
}

ExitCode save_after_write(Context& ctx, const RtcWrite& write, const std::string& reason,
                          AdjtimeAccess& access, const state::Adjtime& next) {
  const Status logged = record_write(ctx, write, reason);
  const Status saved = access.commit(ctx, next);
  if (logged && saved) return ExitCode::ok;
  if (!logged) report(ctx, logged.error());
  if (!saved) report(ctx, saved.error());
  const std::string& log = ctx.options().log_path;
  ctx.err() << "rtcal: " << (write.done ? "the RTC was set" : "the RTC was not changed") << "; "
            << access.path() << (saved ? " was updated" : " was not updated") << "; the "
            << (write.step_exact() ? "step" : "reset") << (logged ? " was logged in " : " was not logged in ") << log
            << '\n';
  return exit_code_of(logged ? saved.error().kind : logged.error().kind);
}

ExitCode report_unchanged(Context& ctx, const Error& error) {
  report(ctx, error);
  ctx.err() << "rtcal: nothing was changed: not the RTC, the system clock or any file\n";
  return exit_code_of(error.kind);
}

std::string step_range_text(double step_s) {
  return "between " + fixed(step_s - 1.0, 3, true) + " and " + fixed(step_s, 3, true) + " s";
}

}  // namespace rtcal

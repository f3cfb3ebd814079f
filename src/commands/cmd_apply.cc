// rtcal apply: the boot-time correction (what `clock -a` did, done right).
// One RTC reading at its seconds edge; if the drift predicted there (adjtime's,
// or with the automatic calibration's log the last measurement carried on by
// the two-rate fit: src/measure/apply_basis.h) is outside the dead band
// [-1, +1) s, correct the RTC by it
// (the `adjust` path, written within 50 ms of the edge so the whole command
// stays under 1.2 s; the unreachable fraction stays in not_adjusted) and log a
// step; then step the system clock to the corrected RTC (the `hctosys` path).
// Implausible corrections (calibration/apply_check.h) are refused with exit 4
// and nothing changed. Warns about other writers of the RTC. Unless
// --no-boot-record, the edge reading is logged once per boot as a boot record
// (src/measure/boot_record.h) for a later `measure --boot`.
#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

#include "base/number_text.h"
#include "calibration/apply_check.h"
#include "src/cli/command.h"
#include "src/hwclock/adjust_flow.h"
#include "src/hwclock/kernel_tz.h"
#include "src/hwclock/time_config.h"
#include "src/measure/apply_basis.h"
#include "src/measure/boot_record.h"

namespace rtcal {
namespace {

using Kind = calibration::AdjustDecision::Kind;

// Edge wait: an edge comes every second; a little slack for wake-up.
constexpr Nanos kApplyEdgeTimeout = std::chrono::milliseconds(1050);
// The RTC write comes this long after the edge read.
constexpr double kApplyWriteWithinS = 0.05;
// How late apply's one write may come (a paused process at boot) and still
// be taken, its lateness accounted.
constexpr double kApplyLateWriteS = 0.25;
// A system clock closer than this to the corrected RTC is left alone.
constexpr double kApplySkipStepS = 0.001;

std::vector<std::string> writer_warnings(SystemClock& clock) {
  std::vector<std::string> warnings;
  if (auto synced = clock.kernel_synchronized(); synced && synced.value()) {
    warnings.push_back("the kernel is NTP-synchronised (adjtimex status without STA_UNSYNC): in 11-minute mode it "
                       "rewrites the RTC, which spoils the calibration (stop the NTP daemon's RTC sync)");
  }
  for (std::string& w : rtc_writer_warnings(sysconf_root())) warnings.push_back(std::move(w));
  return warnings;
}

// Tell the kernel the time zone as hctosys does, after the reading (so that
// a refusal changes nothing): the kernel's one-time warp of the system clock
// (a LOCAL RTC) is carried into `reading`, whose system time it moves.
Status send_timezone_keeping(Context& ctx, const HwDevices& dev, state::RtcScale scale, RtcReading& reading) {
  const SysTime before = dev.clock->now();
  const Nanos mono_before = dev.clock->monotonic();
  if (Status sent = send_timezone(ctx, *dev.clock, scale, minutes_west_at(before)); !sent) return sent;
  const Nanos warp = (dev.clock->now() - before) - (dev.clock->monotonic() - mono_before);
  if (std::chrono::abs(warp) > std::chrono::seconds(30)) reading.edge.system_at_edge += warp;
  return Status::success();
}

// apply's basis (src/measure/apply_basis.h), its -v lines said.
ApplyBasis basis_for(Context& ctx, const Result<LogView>& view, const calibration::DriftState& s, double rtc_unix_s) {
  ApplyBasis basis = apply_basis(view ? &view.value() : nullptr, s, rtc_unix_s);
  if (!basis.two_rate_unused.empty()) ctx.note("two-rate fit not used: " + basis.two_rate_unused + "; adjtime's factor instead");
  if (!basis.note.empty()) ctx.note(basis.note);
  return basis;
}

struct ApplyOutcome {
  std::string rtc_action = "none";  // "adjusted", "dead band", "no history"
  double drift_s = 0.0;
  double rtc_step_s = 0.0;
  double system_step_s = 0.0;
  std::optional<double> drift_ci95_s;  // the two-rate fit's 95% half-width of drift_s, when it predicted it
  std::string drift_basis = "adjtime";  // ApplyBasis::basis
  std::string two_rate_unused;          // ApplyBasis::two_rate_unused
};

Result<ApplyOutcome> apply_on(Context& ctx, const HwDevices& dev, AdjtimeAccess& access, state::RtcScale scale,
                              const Result<LogView>& view, bool boot_record) {
  const state::Adjtime& values = access.values();
  const calibration::DriftState drift_state = drift_state_of(values);
  auto reading = read_rtc(dev, scale, false, kApplyEdgeTimeout);
  if (!reading) return reading.error();

  ApplyOutcome outcome;
  const auto rtc_s = static_cast<double>(reading->rtc_unix_s);
  const ApplyBasis basis = basis_for(ctx, view, drift_state, rtc_s);
  const calibration::DriftState& used = basis.state;
  outcome.drift_ci95_s = basis.ci95_s;
  outcome.drift_basis = basis.basis;
  outcome.two_rate_unused = basis.two_rate_unused;
  auto decision = calibration::decide_adjust(used, rtc_s);
  decision.next.factor_s_per_rtc_day = drift_state.factor_s_per_rtc_day;  // adjtime keeps its own factor
  outcome.drift_s = decision.correction_s;
  if (const std::string why = calibration::apply_problem(drift_state, static_cast<double>(reading->rtc_unix_s),
                                                         decision.correction_s);
      !why.empty()) {
    return refused(access.path(), why, "check the RTC (rtcal show) and adjtime; correct by hand with rtcal adjust");
  }
  warn_reading(ctx, reading.value());
  if (boot_record) {  // before any step of the RTC, which the log must show after it
    if (Status logged = log_boot_record(ctx, *dev.clock, reading.value(), view ? &view.value() : nullptr); !logged) {
      ctx.err() << "rtcal: warning: " << logged.error().message() << "; no boot record (measure --boot cannot be used this boot)\n";
    }
  }
  if (Status sent = send_timezone_keeping(ctx, dev, scale, reading.value()); !sent) return sent.error();
  if (decision.kind == Kind::refused_no_history || drift_state.last_adjust_unix_s == 0) {
    outcome.rtc_action = "no history";
    say(ctx, "No adjustment history in " + access.path() + " yet: the RTC is not adjusted");
  } else if (decision.kind == Kind::within_dead_band) {
    outcome.rtc_action = "dead band";
    say(ctx, "The drift since the last adjustment is " + signed_seconds(decision.correction_s) +
                 ", within [-1, +1) s: the RTC is not adjusted");
  } else if (Status ready = prepare_rtc_write(ctx, access); !ready) {
    // A read-only or full /etc or /var at boot: the RTC is left as it is
    // (its correction could not be recorded), the system clock still set.
    outcome.rtc_action = "not adjusted: " + ready.error().message();
    ctx.err() << "rtcal: warning: " << ready.error().message()
              << "; the RTC is not adjusted, the system clock is set from it and the drift\n";
  } else {
    AdjustRequest request;
    request.write_within_s = kApplyWriteWithinS;
    // Within the boot budget: no timing of the edge after the write (up to 1 s
    // more), and no putting a late write off to the next second (1 s a try on
    // a busy host); a late write is accounted in the step logged.
    request.write.write_once_within_s = kApplyLateWriteS;
    auto done = adjust_rtc(ctx, dev, access, reading.value(), scale, decision, request);
    if (!done) return done.error();
    if (done->saved != ExitCode::ok) {  // save_after_write said what was and was not changed
      return Error{error_kind_of(done->saved), access.path(), "the RTC was adjusted but its record could not be saved (see above)",
                   "fix the cause above, then run rtcal apply again: the system clock was not set"};
    }
    outcome.rtc_action = "adjusted";
    outcome.rtc_step_s = done->step_s;
  }
  auto stepped = step_system_to_rtc(ctx, dev, reading.value(), scale, used, kApplySkipStepS);
  if (!stepped) return stepped.error();
  outcome.system_step_s = stepped.value();
  return outcome;
}

ExitCode run_apply(Context& ctx, bool boot_record) {
  ctx.set_lenient_adjtime();  // a damaged adjtime is read as hwclock reads it: the clock is set at boot
  auto dev = hw_devices(ctx);
  if (!dev) return report(ctx, dev.error());
  const Nanos started = dev->clock->monotonic();
  const Result<LogView> view = load_log_view(ctx.options().log_path);
  std::vector<std::string> warnings = writer_warnings(*dev->clock);
  if (view && std::any_of(view->power_events.begin(), view->power_events.end(), [](const PowerEvent& e) { return !e.boot; })) {
    // The automatic calibration runs (rtcal shutdown logged): it copes with
    // the kernel's writes (a synchronised shutdown logs a reset), so they are
    // no longer a warning.
    for (const std::string& w : warnings) ctx.note(w + " (the automatic calibration copes: rtcal shutdown logs a reset for it)");
    warnings.clear();
  }
  for (const std::string& w : warnings) ctx.err() << "rtcal: warning: " << w << '\n';
  auto access = AdjtimeAccess::open(ctx);
  if (!access) return report(ctx, access.error());
  auto scale = ctx.scale(access.value()->values());
  if (!scale) return report(ctx, scale.error());
  auto outcome = apply_on(ctx, dev.value(), *access.value(), scale.value(), view, boot_record);
  if (!outcome) return report(ctx, outcome.error());
  const double elapsed_s = static_cast<double>((dev->clock->monotonic() - started).count()) / 1e9;
  ctx.note("apply took " + fixed(elapsed_s, 3) + " s");
  if (ctx.options().json) {
    nlohmann::ordered_json j;
    j["rtc"] = outcome->rtc_action;
    j["drift_s"] = outcome->drift_s;
    j["drift_ci95_s"] = outcome->drift_ci95_s ? nlohmann::ordered_json(*outcome->drift_ci95_s) : nlohmann::ordered_json(nullptr);
    j["drift_basis"] = outcome->drift_basis;
    j["two_rate_not_used"] = outcome->two_rate_unused.empty() ? nlohmann::ordered_json(nullptr)
                                                              : nlohmann::ordered_json(outcome->two_rate_unused);
    j["rtc_step_s"] = outcome->rtc_step_s;
    j["system_step_s"] = outcome->system_step_s;
    j["warnings"] = warnings;
    j["elapsed_s"] = elapsed_s;
    j["dry_run"] = ctx.options().dry_run;
    print_json(ctx, j);
  }
  return ExitCode::ok;
}

}  // namespace

Command add_apply_command(CLI::App& root) {
  CLI::App* app = root.add_subcommand(
      "apply",
      "At boot: correct the RTC by the drift accumulated since the last adjustment (when it is\n"
      "outside [-1, +1) s; a step record is logged), then set the system clock from the corrected\n"
      "RTC to the sub-second. One edge wait: under 1.2 s. Safe to run twice.");
  app->footer(
      "Refused (exit 4, nothing changed): a drift factor beyond ±86.4 s/day (1000 ppm), a last\n"
      "adjustment after the RTC's reading (the RTC went back), a correction of an hour or more.\n"
      "Warns (stderr) when something else writes the RTC: the kernel's 11-minute mode (adjtimex\n"
      "without STA_UNSYNC), chronyd 'rtcsync', an active systemd-timesyncd; once rtcal shutdown\n"
      "runs (a shutdown record in the log), which logs a reset for such writes, only with -v.\n"
      "With the automatic calibration's log (boot and shutdown records) the drift is the log's last\n"
      "measurement (a measure --boot, a synchronised shutdown's) carried to this boot by the\n"
      "two-rate fit, or by adjtime's factor while that fit is not ready or is suspect (-v says why).\n"
      "With --json, the text goes to stderr and stdout has {rtc, drift_s, drift_ci95_s (the\n"
      "two-rate fit's 95% half-width of drift_s; null without one), drift_basis (adjtime,\n"
      "two-rate fit, measurement + two-rate fit, measurement + adjtime factor), two_rate_not_used\n"
      "(why not, or null), rtc_step_s, system_step_s, warnings, elapsed_s, dry_run}.\n"
      "Once per boot it logs a boot record (the RTC's edge reading, CLOCK_BOOTTIME, the boot id),\n"
      "from which rtcal measure --boot later finds the RTC's error at this boot.\n"
      "Exit status: 0 done, 1 RTC unreadable or a clock could not be set, 4 refused.\n"
      "Examples:\n"
      "  rtcal apply                          at boot (dist/systemd/rtcal-apply.service)\n"
      "  rtcal --dry-run apply                what it would change\n"
      "  rtcal --json apply\n"
      "  rtcal --rtc sim:/tmp/demo.json apply");
  auto no_boot_record = std::make_shared<bool>(false);
  app->add_flag("--no-boot-record", *no_boot_record,
                "Do not log the boot record (the RTC's edge reading, CLOCK_BOOTTIME, boot id) for measure --boot");
  return {app, [no_boot_record](Context& ctx) { return run_apply(ctx, !*no_boot_record); }};
}

}  // namespace rtcal

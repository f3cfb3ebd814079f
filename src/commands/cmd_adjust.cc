// rtcal adjust: correct the RTC by the drift adjtime predicts since the last
// adjustment (hwclock --adjust): calibration::decide_adjust's dead band
// ([-1, +1) s: nothing to do) and refusals (no history, factor beyond
// ±2145 s/day: exit 4 with the reason), else set the RTC on the edge to its
// reading plus the drift, update adjtime, and log the known step.
#include <cmath>
#include <memory>

#include "calibration/drift.h"
#include "src/cli/command.h"
#include "src/hwclock/adjust_flow.h"
#include "src/hwclock/set_flow.h"

namespace rtcal {
namespace {

using Kind = calibration::AdjustDecision::Kind;

ExitCode run_adjust(Context& ctx, const WriteOptions& write_options) {
  if (Status delay = check_delay(write_options); !delay) return report(ctx, delay.error());
  auto dev = hw_devices(ctx);
  if (!dev) return report(ctx, dev.error());
  auto access = AdjtimeAccess::open(ctx);
  if (!access) return report(ctx, access.error());
  const state::Adjtime& values = access.value()->values();
  auto scale = ctx.scale(values);
  if (!scale) return report(ctx, scale.error());
  auto before = read_rtc(dev.value(), scale.value());
  if (!before) return report(ctx, before.error());
  warn_reading(ctx, before.value());
  say_hwclock_drift(ctx, drift_state_of(values), before->rtc_unix_s);

  const auto decision = calibration::decide_adjust(drift_state_of(values), static_cast<double>(before->rtc_unix_s));
  if (decision.kind == Kind::refused_no_history || decision.kind == Kind::refused_factor) {
    const Error why = adjust_refusal(access.value()->path(), decision, values.drift_factor_s_per_day);
    // util-linux hwclock --adjust says this only with --verbose, on stdout, and
    // boot scripts (OpenRC's) take any stderr output for a failed start.
    if (ctx.options().hwclock_output) {
      if (ctx.options().verbose > 0) ctx.out() << why.message() << '\n';
      return ExitCode::refused;
    }
    return report(ctx, why);
  }
  if (decision.kind == Kind::within_dead_band) {
    ctx.out() << "Needed adjustment is less than one second, so not setting clock.\n";
    say(ctx, "(the drift is " + signed_seconds(decision.correction_s) +
                 "; it keeps accumulating until it leaves [-1, +1) s)");
    // Nothing to do writes nothing, as hwclock: only a scale that --utc or
    // --localtime changes (or line 3 that did not say it) is written.
    state::Adjtime next = values;
    next.scale = scale_after_change(ctx, values.scale);
    if (next.scale == values.scale && access.value()->scale_known()) return ExitCode::ok;
    if (Status saved = access.value()->commit(ctx, next); !saved) return report(ctx, saved.error());
    return ExitCode::ok;
  }
  AdjustRequest request;
  request.write = write_options;
  if (Status ready = prepare_rtc_write(ctx, *access.value()); !ready) return report_unchanged(ctx, ready.error());
  auto done = adjust_rtc(ctx, dev.value(), *access.value(), before.value(), scale.value(), decision, request);
  if (!done) return report(ctx, done.error());
  return done->saved;
}

}  // namespace

Command add_adjust_command(CLI::App& root) {
  auto write = std::make_shared<WriteOptions>();
  CLI::App* app = root.add_subcommand(
      "adjust",
      "Correct the RTC by the drift accumulated since the last adjustment, as adjtime predicts\n"
      "(hwclock --adjust). A drift within [-1, +1) s changes nothing; no history or a factor\n"
      "beyond ±2145 s/day is refused (exit 4). Logs the step in the measurement log.");
  add_write_options(*app, *write, false);
  app->footer(
      "Examples:\n"
      "  rtcal adjust\n"
      "  rtcal --dry-run adjust           what it would set, and the adjtime change\n"
      "  rtcal predict --date now         how much adjust would correct");
  return {app, [write](Context& ctx) { return run_adjust(ctx, *write); }};
}

}  // namespace rtcal

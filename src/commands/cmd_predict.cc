// rtcal predict: what the RTC will read at a given date, from the drift
// recorded in adjtime (hwclock --predict). Needs no RTC and no root.
#include <cmath>
#include <memory>

#include "base/number_text.h"
#include "calibration/drift.h"
#include "src/cli/command.h"
#include "src/cli/output.h"
#include "src/dates/date_parse.h"
#include "src/hwclock/adjtime_values.h"

namespace rtcal {
namespace {

struct PredictOptions {
  std::string date;
};

// The RTC's fields at `predicted_unix_s` as the RTC keeps them (UTC or local).
std::string rtc_fields_text(SysTime t, state::RtcScale scale) {
  return scale == state::RtcScale::utc ? format_utc_time(t, 6) : format_local_time(t, 6);
}

// The predicted RTC reading to the microsecond exactly as hwclock prints it
// (hwclock truncates twice, so it can sit up to 2 µs above the exact value);
// a target with a fraction, which hwclock cannot take, gets the exact value.
SysTime predicted_like_hwclock(const calibration::DriftState& state, double target_s) {
  if (target_s != std::floor(target_s)) return from_unix_s(calibration::predicted_rtc_unix_s(state, target_s));
  const auto hw = calibration::hwclock_predict(state, static_cast<int64_t>(target_s));
  return SysTime(std::chrono::seconds(hw.seconds) + std::chrono::microseconds(hw.micros));
}

// hwclock --predict --verbose's steps (calculate_adjustment, then the target
// and the prediction in whole seconds), on stdout.
void say_hwclock_predict(Context& ctx, const calibration::DriftState& state, double target_s) {
  const auto target = static_cast<int64_t>(target_s);
  say_hwclock_drift(ctx, state, target);
  ctx.out() << "Target date:   " << target << '\n'
            << "Predicted RTC: " << calibration::hwclock_predict(state, target).seconds << '\n';
}

ExitCode run_predict(Context& ctx, const PredictOptions& opts) {
  auto now = now_for(ctx);
  if (!now) return report(ctx, now.error());
  auto target = parse_date(opts.date, "--date", now.value());
  if (!target) return report(ctx, target.error());

  auto loaded = load_adjtime_for(ctx);
  if (!loaded) return report(ctx, loaded.error());
  using F = state::AdjtimeField;
  auto adjtime = adjtime_values(ctx, loaded.value(), {F::drift_factor, F::last_adjust, F::not_adjusted});
  if (!adjtime) return report(ctx, adjtime.error());
  auto scale = ctx.scale(adjtime.value());
  if (!scale) return report(ctx, scale.error());

  const calibration::DriftState drift_state = drift_state_of(adjtime.value());
  const double target_s = to_unix_s(target.value());
  const double drift = calibration::drift_s(drift_state, target_s);
  const SysTime predicted_time = predicted_like_hwclock(drift_state, target_s);
  const double predicted = to_unix_s(predicted_time);

  if (ctx.options().hwclock_output) {  // drop-in hwclock --predict: one line, as display_time
    if (ctx.options().verbose > 0 && target_s == std::floor(target_s)) say_hwclock_predict(ctx, drift_state, target_s);
    ctx.out() << format_local_time(predicted_time, 6) << '\n';
    return ExitCode::ok;
  }
  if (ctx.options().json) {
    nlohmann::ordered_json j;
    j["target"] = target_s;
    j["drift"] = drift;
    j["predicted_rtc"] = predicted;
    j["predicted_rtc_exact"] = target_s - calibration::drift_at_true_s(drift_state, target_s);
    j["factor"] = drift_state.factor_s_per_rtc_day;
    j["rtc_scale"] = std::string(state::scale_name(scale.value()));
    j["rtc_reads"] = rtc_fields_text(predicted_time, scale.value());
    print_json(ctx, j);
    return ExitCode::ok;
  }
  auto& out = ctx.out();
  out << "Target date:    " << format_local_time(target.value()) << "  (" << fixed(target_s)
      << ")\n";
  out << "Drift by then:  " << (drift >= 0 ? "+" : "") << fixed(drift)
      << " s  (the correction to add to the RTC)\n";
  out << "RTC will read:  " << format_local_time(predicted_time) << "  ("
      << fixed(predicted) << ")\n";
  out << "  as the RTC holds it (" << state::scale_name(scale.value())
      << "): " << rtc_fields_text(predicted_time, scale.value()) << '\n';
  // hwclock --predict evaluates the drift at the date, not at the RTC's
  // reading then; say so where that is visible.
  const double exact = target_s - calibration::drift_at_true_s(drift_state, target_s);
  if (std::fabs(exact - predicted) >= 0.0005) {
    out << "  (as hwclock --predict computes it; the drift taken at the RTC's reading, as hwclock\n"
        << "   --hctosys applies it, gives " << fixed(exact) << ", " << signed_seconds(exact - predicted, 3) << ")\n";
  }
  out << "Because " << calibration::describe_factor(drift_state.factor_s_per_rtc_day) << ",\n"
      << "counted from the last adjustment at "
      << (drift_state.last_adjust_unix_s == 0
              ? std::string("0 (never: the prediction counts from 1970, as hwclock's does)")
              : format_local_time(from_unix_s(static_cast<double>(drift_state.last_adjust_unix_s)), 0))
      << ", plus " << fixed(drift_state.not_adjusted_s) << " s not yet adjusted.\n";
  return ExitCode::ok;
}

}  // namespace

Command add_predict_command(CLI::App& root) {
  auto opts = std::make_shared<PredictOptions>();
  CLI::App* app = root.add_subcommand(
      "predict",
      "Predict what the RTC will read at a date, from the drift in adjtime (hwclock --predict).\n"
      "Needs no RTC and no root. Prints the true signed drift.");
  app->add_option("--date", opts->date, "The date to predict for (see DATES in rtcal --help)")
      ->required()
      ->type_name("DATE");
  app->footer(
      "Examples:\n"
      "  rtcal predict --date '2027-01-01 00:00'\n"
      "  rtcal predict --date '+30 days' --json\n"
      "  rtcal predict --adjfile ./adjtime --date 2026-12-24T18:00:00Z\n"
      "JSON keys: target (unix s), drift (s, + = add to the RTC), predicted_rtc (unix s, as hwclock),\n"
      "  predicted_rtc_exact (unix s: the drift taken at the RTC's reading, as hctosys applies it).\n"
      "Global options such as --adjfile, --utc, --localtime, --json go before or after the command.");
  return {app, [opts](Context& ctx) { return run_predict(ctx, *opts); }};
}

}  // namespace rtcal

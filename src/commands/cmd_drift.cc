// rtcal drift: the drift fit (calibration/fit.h) over the whole measurement
// log, explained: the rate with its 95% interval, the hwclock factor it
// implies, every measurement's residual (outliers and hour jumps marked),
// the error expected after N days, the two-point answer beside it, and when
// the next measurement is worth taking. --write stores the factor in adjtime
// (after showing the change) and moves its last-calibration time to now.
// Needs no RTC and no root; changes nothing without --write.
#include <cmath>
#include <memory>

#include "base/number_text.h"
#include "calibration/auto_factor.h"
#include "calibration/drift.h"
#include "calibration/fit.h"
#include "src/cli/command.h"
#include "src/cli/i18n.h"
#include "src/cli/output.h"
#include "src/commands/drift_json.h"
#include "src/dates/date_parse.h"
#include "src/hwclock/adjtime_access.h"
#include "src/measure/log_view.h"
#include "src/measure/two_rate_log.h"
#include "state/measurement_log.h"

namespace rtcal {
namespace {

using calibration::DriftFit;

struct DriftArgs {
  double days = 30.0;               // --days: horizon of the expected error
  std::optional<double> sigma_s;    // --sigma: of the next measurement
  bool write = false;
  bool all = false;                 // --all: every row, however long the log
  bool force = false;               // --force: write even when the line does not fit
  bool auto_write = false;          // --auto: write only a tight, unsuspect fit
  double tight_s_per_day = 0.05;    // --tight: the widest 95% half-width --auto takes
};

// Beyond this many measurements the table shows only the notable rows and
// the last few (a million rows help nobody); --all shows every one.
constexpr size_t kFullTableUpTo = 60;
constexpr size_t kLastRowsShown = 10;

std::string signed_fixed(double v, int decimals) { return (v >= 0 ? "+" : "") + fixed(v, decimals); }

std::string utc(double unix_s) { return format_utc_time(from_unix_s(unix_s), 0); }

// The log, refusing corrupt lines (a skipped measurement would change the fit).
Result<LogView> load_records(const std::string& path) {
  auto log = load_log_view(path);
  if (!log) return log.error();
  if (!log->errors.empty()) return corrupt_log_error(path, log->errors.front());
  return log;
}

Status check(const DriftArgs& a) {
  if (!(a.days > 0.0 && a.days <= 36500.0))
    return usage_error("--days", "must be > 0 and at most 36500, got " + fixed(a.days, 3), "e.g. --days 30");
  if (a.sigma_s && !(*a.sigma_s > 0.0 && *a.sigma_s <= 3600.0))
    return usage_error("--sigma", "must be > 0 and at most 3600 s", "e.g. --sigma 0.2 for a time beep");
  return Status::success();
}

void print_summary(Context& ctx, const std::string& path, const DriftFit& fit) {
  auto& out = ctx.out();
  double first = fit.points.front().time_unix_s, last = first;
  for (const auto& p : fit.points) first = std::min(first, p.time_unix_s), last = std::max(last, p.time_unix_s);
  out << i18n::format(i18n::plural("Drift fit of {1}: {2} measurements in {3} segment over {4} days; {5} used.",
                                   "Drift fit of {1}: {2} measurements in {3} segments over {4} days; {5} used.",
                                   fit.segments.size()),
                      path, fit.points.size(), fit.segments.size(), fixed((last - first) / 86400.0, 1), fit.n) << "\n\n";
  out << i18n::format(fit.rate_s_per_day >= 0 ? _("The RTC gains {1} s/day ({2} ppm); 95% interval {3} to {4} s/day (± {5} s/day 1-sigma).")
                                              : _("The RTC loses {1} s/day ({2} ppm); 95% interval {3} to {4} s/day (± {5} s/day 1-sigma)."),
                      fixed(std::fabs(fit.rate_s_per_day), 4), signed_fixed(fit.rate_ppm, 3), signed_fixed(fit.ci95_low_s_per_day, 4),
                      signed_fixed(fit.ci95_high_s_per_day, 4), fixed(fit.rate_sigma_s_per_day, 4)) << '\n';
  out << i18n::format(_("hwclock factor: {1} s/day: {2}."), fixed(fit.factor_s_per_day), calibration::describe_factor(fit.factor_s_per_day))
      << '\n';
  if (fit.two_point_factor_s_per_day) {
    out << "Two-point answer (hwclock --update-drift, the Clock mini-HOWTO) on the same log: factor "
        << fixed(*fit.two_point_factor_s_per_day) << " s/day (no interval, no outlier or hour-jump check).\n";
  }
  const std::string dof_text = std::to_string(fit.dof) + (fit.dof == 1 ? " degree" : " degrees") + " of freedom";
  if (fit.sigma_scale > 1.1) {
    out << "Note: the readings scatter " << fixed(fit.sigma_scale, 1)
        << " times more than their sigmas say; the interval is widened to match (Student's t, " << dof_text << ").";
    if (fit.sigma_scale > 3.0 && fit.dof < 3) out << " A reading may be wrong; with so few, rtcal cannot tell which: take another.";
    out << '\n';
  } else if (fit.sigma_scale < 1.0) {
    out << "Note: the readings scatter only " << fixed(fit.sigma_scale, 2) << " times their sigmas"
        << (fit.sigmas == calibration::SigmaCheck::overstated ? " (the sigmas look overstated)" : "")
        << "; the interval is narrowed to match (Student's t, " << dof_text << ").\n";
  }
}

void print_points(Context& ctx, const DriftFit& fit, bool all) {
  auto& out = ctx.out();
  out << "\n  rec line  time                     seg   error s     sigma s  steps s  residual s  res/sd  note\n";
  const bool every = all || fit.points.size() <= kFullTableUpTo;
  size_t hidden = 0;
  for (size_t i = 0; i < fit.points.size(); ++i) {
    const auto& p = fit.points[i];
    if (!every && !notable_point(fit, p) && i + kLastRowsShown < fit.points.size()) {
      ++hidden;
      continue;
    }
    char row[160];
    std::snprintf(row, sizeof row, "  %3d %4d  %s  %3d  %10.3f  %9.3f  %7.1f  %10.3f  %6.1f", p.record_index, p.line,
                  utc(p.time_unix_s).c_str(), p.segment, p.rtc_error_s, p.sigma_s, p.steps_s, p.residual_s,
                  p.normalized_residual);
    out << row;
    if (p.outlier) out << "  OUTLIER: left out of the fit";
    if (p.hour_jump) out << "  hour jump of " << signed_fixed(p.hour_jump_s, 0) << " s before it (DST or another OS), taken out";
    out << '\n';
  }
  if (hidden > 0)
    out << "  (" << hidden << " unremarkable rows not shown: only flagged ones and the last " << kLastRowsShown
        << "; --all shows every row)\n";
  if (fit.outlier_ambiguous)
    out << "  Warning: removing another reading would fit as well; the flagged one may be the wrong one. Measure again.\n";
}

// Why the misses look systematic, in words (ModelCheck::misfit_evidence).
const char* misfit_evidence_text(calibration::MisfitEvidence e) {
  using E = calibration::MisfitEvidence;
  switch (e) {
    case E::flagged_reading:
      return "a reading flagged as an outlier may instead show a rate that varies (a swing an RTC can have);\n"
             "with under 10 readings a typo and a peak look alike: both are allowed for";
    case E::runs: return "the misses run in long stretches of one sign";
    case E::same_seconds: return "the misses are about the same seconds at every reading, whatever its sigma";
    case E::beyond_quadratic: return "the misses remain with a rate that changes";
    case E::chi2:
    case E::none: break;
  }
  return "with under 10 readings a varying rate and sigmas stated too small look alike: both are allowed for";
}

// The misfit widening (ModelCheck::misfit): that the interval was widened, why and by how much.
void print_misfit(Context& ctx, const DriftFit& fit) {
  const auto& m = fit.model;
  if (!m.misfit) return;
  ctx.out() << "\nThe readings miss the " << (m.model == calibration::FitModel::quadratic ? "quadratic" : "straight line")
            << " by " << fixed(m.misfit_rms_s, 3) << " s RMS beyond their sigmas (chi2 " << fixed(m.misfit_chi2, 1)
            << ", beyond its 99.9% point " << fixed(m.misfit_chi2_threshold, 1) << ");\n"
            << misfit_evidence_text(m.misfit_evidence) << ".\nThe 95% interval above includes ± "
            << fixed(m.misfit_s_per_day, 4) << " s/day for the rate error such misses can cause\n"
            << "(the rate may vary: aging, temperature).\n";
}

// What the model check found, in words.
void print_model(Context& ctx, const DriftFit& fit) {
  const auto& m = fit.model;
  print_misfit(ctx, fit);
  if (m.fits) return;
  auto& out = ctx.out();
  if (m.trend) {
    out << "\nThe rate is not constant: a rate that changes explains the readings far better (F = "
        << fixed(m.f_statistic, 1) << ", beyond " << fixed(m.f_threshold, 1) << "). Model: quadratic. The rate at the last\n"
        << "reading is " << signed_fixed(m.rate_now_s_per_day, 4) << " s/day (the straight line's average: "
        << signed_fixed(m.linear_rate_s_per_day, 4) << "), changing by " << signed_fixed(m.aging_s_per_day_per_year, 2)
        << " ± " << fixed(m.aging_sigma_s_per_day_per_year, 2) << " s/day per year (aging, or a season).\n";
  }
  if (m.too_few_runs) {
    out << "\nThe residuals run in long stretches of one sign (" << m.runs << " runs where about "
        << fixed(m.runs_expected, 0) << " were expected): the RTC's rate varies with something (the machine on and\n"
        << "off, the temperature); the interval is widened " << fixed(m.widening, 1) << " times.\n";
  }
  out << "A constant factor will not hold: --write refuses (use --force to store the rate "
      << (m.model == calibration::FitModel::quadratic ? "at the last reading" : "anyway")
      << "), and measure again in a few weeks.\n";
}

void print_change_point(Context& ctx, const DriftFit& fit) {
  if (!fit.change_point) return;
  const auto& c = *fit.change_point;
  auto& out = ctx.out();
  out << "\nThe RTC jumped " << signed_fixed(c.step_s, 3) << " s between line " << log_line_of(fit, c.before_record_index)
      << " (" << utc(c.before_unix_s) << ") and line " << log_line_of(fit, c.after_record_index) << " ("
      << utc(c.after_unix_s) << "), and the log records no such step: something else set the RTC (another OS,\n"
      << "a tool). rtcal treats it as a reset there (a new segment); ";
  if (c.explained_record_indices.empty()) {
    out << "it explains the readings " << fixed(c.improvement, 1) << " chi2 better, beyond the "
        << fixed(c.threshold, 1) << " chance would give.";
  } else {
    std::string lines;
    for (int r : c.explained_record_indices) lines += (lines.empty() ? "" : ", ") + std::to_string(log_line_of(fit, r));
    out << "with it every reading fits within its sigma, where\nwithout it line"
        << (c.explained_record_indices.size() == 1 ? " " : "s ") << lines
        << " had to be left out as typos: readings that moved together by one step.";
  }
  out << " If so, record it:\n"
      << "  rtcal log reset --at '" << utc(reset_time_for(c)) << "'\n";
}

void print_advice(Context& ctx, const DriftFit& fit, const DriftArgs& a, double next_sigma) {
  auto& out = ctx.out();
  const auto after = calibration::error_after_days(fit, a.days);
  out << '\n' << i18n::format(_("After {1} days the RTC drifts {2} s uncorrected; with the factor applied, what is left is within ± {3} s (95%)."),
                             fixed(a.days, 0), signed_fixed(after.uncorrected_s, 2), fixed(after.corrected_half_width_s, 3)) << '\n';
  std::vector<double> sigmas{next_sigma};
  if (!a.sigma_s) {  // also the best reference seen, when it differs
    double best = next_sigma;
    for (const auto& p : fit.points)
      if (!p.outlier) best = std::min(best, p.sigma_s);
    if (best < next_sigma) sigmas.push_back(best);
  }
  for (double sigma : sigmas) {
    const auto next = calibration::next_measurement(fit, sigma);
    out << i18n::format(_("Next measurement with a sigma of {1} s:"), fixed(sigma, 3)) << ' ';
    if (next.days_after_last > 3650.0) {
      out << _("not for over 10 years; one this rough adds little to what the log already knows.") << '\n';
      continue;
    }
    out << (next.days_after_last <= 0.0 ? std::string(_("now"))
                                        : i18n::format(_("from {1} ({2} days after the last)"), utc(next.time_unix_s),
                                                       fixed(next.days_after_last, 1)))
        << _("; it halves the interval.") << '\n';
  }
}

// Store the factor and move the last-calibration time to now. The RTC was
// not set, so the last-adjustment time and not_adjusted are kept (moving them
// would drop the drift accumulated since the last adjustment).
Result<bool> write_factor(Context& ctx, double factor, bool text) {
  if (ctx.options().noadjfile)
    return usage_error("--write", "cannot write with --noadjfile", "drop --noadjfile or --write");
  if (std::fabs(factor) > calibration::kMaxFactorSPerDay)
    return refused("drift --write", "the factor " + fixed(factor) + " s/day is beyond hwclock's limit of 2145 s/day",
                   "check the log: an RTC that far off is broken, or readings are wrong");
  auto now = now_for(ctx);
  if (!now) return now.error();
  const std::string& path = ctx.options().adjfile;
  auto tx = state::AdjtimeTransaction::begin(path);
  if (!tx) return tx.error();
  using F = state::AdjtimeField;
  const auto& loaded = tx.value()->loaded();
  auto current = state::require_fields(loaded.parse, path, {F::drift_factor, F::last_adjust, F::not_adjusted, F::last_calibration});
  if (!current) return current.error();
  state::Adjtime next = current.value();
  next.drift_factor_s_per_day = factor;
  next.last_calibration_unix_s = static_cast<int64_t>(std::floor(to_unix_s(now.value())));
  if (text) ctx.out() << '\n';
  return commit_adjtime_change(ctx, tx.value().get(), path, loaded.original_text, next,
                               text ? AdjtimeVoice::text : AdjtimeVoice::silent);
}

// --auto: the decision on stdout (the service's journal), and the write if any.
ExitCode run_auto(Context& ctx, const DriftFit& fit, const calibration::TwoRateFit& two, double tight,
                  bool power_history) {
  const calibration::AutoFactorDecision d = calibration::decide_auto_factor(fit, two, tight, power_history);
  if (ctx.options().json) {
    nlohmann::ordered_json j{{"write", d.write}, {"reason", d.reason}};
    j["factor"] = d.write ? nlohmann::ordered_json(d.factor_s_per_rtc_day) : nlohmann::ordered_json(nullptr);
    if (d.write) {
      auto written = write_factor(ctx, d.factor_s_per_rtc_day, false);
      if (!written) return report(ctx, written.error());
      j["written"] = written.value();
    }
    print_json(ctx, j);
    return ExitCode::ok;
  }
  ctx.out() << "drift --auto: factor " << (d.write ? fixed(d.factor_s_per_rtc_day) + " s/day " : "") << d.reason << ".\n";
  if (!d.write) return ExitCode::ok;
  auto written = write_factor(ctx, d.factor_s_per_rtc_day, true);
  return written ? ExitCode::ok : report(ctx, written.error());
}

ExitCode run_drift(Context& ctx, const DriftArgs& a) {
  if (Status ok = check(a); !ok) return report(ctx, ok.error());
  const std::string& path = ctx.options().log_path;
  auto log = load_records(path);
  if (!log) return report(ctx, log.error());
  auto fitted = calibration::fit_drift(log->observations);
  if (!fitted) {
    Error e = fitted.error();
    e.object = path;
    return report(ctx, e);
  }
  const DriftFit& fit = fitted.value();
  const double next_sigma = a.sigma_s ? *a.sigma_s : calibration::typical_sigma_s(fit);
  for (const auto& w : log->warnings) ctx.err() << "rtcal: " << path << ": " << w << '\n';
  const calibration::TwoRateFit two = calibration::fit_two_rates(two_rate_points(log.value()));
  if (a.auto_write) return run_auto(ctx, fit, two, a.tight_s_per_day, !log->power_events.empty());
  if (a.write && !a.force && !fit.model.fits) {
    if (!ctx.options().json) print_summary(ctx, path, fit), print_model(ctx, fit);
    return report(ctx, refused("drift --write",
                               std::string("the drift rate is not constant in ") + path + " (" +
                                   (fit.model.trend ? "the rate changes over time" : "the residuals run in long stretches") +
                                   "), so a constant factor would be wrong",
                               "measure again over the next weeks and re-run, or store the rate at the last reading with --force"));
  }
  if (ctx.options().json) {
    auto j = drift_fit_json(fit, a.days, a.all, next_sigma);
    add_two_rate_json(j, two);
    if (a.write) {
      auto written = write_factor(ctx, fit.factor_s_per_day, false);
      if (!written) return report(ctx, written.error());
      j["written"] = written.value();
    }
    print_json(ctx, j);
    return ExitCode::ok;
  }
  print_summary(ctx, path, fit);
  ctx.out() << two_rate_text(log.value(), two);
  print_model(ctx, fit);
  print_change_point(ctx, fit);
  print_points(ctx, fit, a.all);
  print_advice(ctx, fit, a, next_sigma);
  if (!a.write) return ExitCode::ok;
  auto written = write_factor(ctx, fit.factor_s_per_day, true);
  return written ? ExitCode::ok : report(ctx, written.error());
}

}  // namespace

Command add_drift_command(CLI::App& root) {
  auto a = std::make_shared<DriftArgs>();
  CLI::App* app = root.add_subcommand(
      "drift",
      _("Fit the RTC's drift rate to the whole measurement log (--log): one rate shared by all segments\n"
      "(a reset starts a new one; known steps are taken out), weighted by each measurement's sigma,\n"
      "robust to a gross outlier, with hour jumps (DST, another OS) recognised. Shows the rate with its\n"
      "95% interval, the hwclock factor (= -rate), every residual, the two-point answer beside it, and\n"
      "when to measure next. Needs no RTC and no root."));
  app->add_option("--days", a->days, _("Horizon for the expected error, days (default 30)"))->type_name("N");
  app->add_option("--sigma", a->sigma_s, _("Sigma of your next measurement, s (default: the median so far)"))
      ->type_name("S");
  app->add_flag("--all", a->all, "Show every measurement's row, however long the log (default: beyond 60, only flagged rows and the last 10)");
  app->add_flag("--write", a->write,
                "Store the factor in the adjtime file and move its last-calibration time to now "
                "(shows the change first; honours --dry-run); refused when the rate is not constant (model check)");
  auto* auto_flag = app->add_flag(
      "--auto", a->auto_write,
      "Write the factor only from a tight fit that is not suspect (the off-rate's with a two-rate fit); say why either way");
  app->add_option("--tight", a->tight_s_per_day, "With --auto: the widest 95% half-width taken, s/day (default 0.05)")
      ->type_name("S")
      ->check(CLI::Range(1e-6, 100.0));
  app->add_flag("--force", a->force, "With --write: store the factor even when the model check fails (the rate at the last reading)");
  auto_flag->excludes("--write");
  app->footer(
      "Examples:\n"
      "  rtcal drift                                  fit the default log\n"
      "  rtcal drift --auto --tight 0.02              store the factor only from a tight fit\n"
      "  rtcal --log m.jsonl drift --days 90          expected error after 90 days\n"
      "  rtcal drift --write --dry-run                show the adjtime change\n"
      "  rtcal drift --json | jq .factor\n"
      "  rtcal drift --all                            every row of a long log\n"
      "JSON keys: rate_s_per_day (+ = the RTC gains), rate_ppm, factor (= -rate_s_per_day),\n"
      "  ci95_s_per_day [low, high], n, segments, outliers (record indices), two_point_factor,\n"
      "  rate_sigma_s_per_day, dof, chi2, sigma_scale, sigmas, model_fits, model,\n"
      "  linear_rate_s_per_day, aging_s_per_day_per_year, model_check (with misfit, misfit_evidence,\n"
      "  misfit_rms_s, misfit_curve_s_per_day, misfit_scatter_s_per_day, misfit_chi2, misfit_chi2_threshold),\n"
      "  misfit_s_per_day (what the model's misses added to the 95% half-width; 0 when none),\n"
      "  outlier_ambiguous, hour_jumps, expected_after,\n"
      "  next_measurement, change_point {before_line, after_line, before_time, after_time, step_s,\n"
      "  reset_at, chi2_gain, chance_threshold, explained_lines (the lines it explains that the fit\n"
      "  without it left out; then the gain may be below the threshold)} or null, robust_flags, points_complete, points (beyond 10000 measurements only\n"
      "  flagged ones, unless --all), written (with --write); from boot and shutdown records\n"
      "  (rtcal apply, rtcal shutdown) rate_on_s_per_day, rate_off_s_per_day, ci95_on_s_per_day,\n"
      "  ci95_off_s_per_day (half-widths), two_rate_scatter_scale, two_rate_typical_scatter_scale\n"
      "  (chi2/dof with a crystal's typical 0.5 ppm wander: above 4 the fit is suspect, and neither\n"
      "  --auto nor apply uses it), wander_on_s_per_day, wander_off_s_per_day (1 sigma of a\n"
      "  period's rate about its mean; null without a two-rate fit), two_rate_problem.\n"
      "Exit status: 0 done; 1 too few measurements (no rate yet) or a file error; 2 bad option;\n"
      "  3 a corrupt log line or adjtime file (nothing written); 4 factor beyond 2145 s/day, or a\n"
      "  rate that is not constant (model check) without --force (not written).");
  return {app, [a](Context& ctx) { return run_drift(ctx, *a); }};
}

}  // namespace rtcal

// rtcal drift --json: the fit as JSON (see src/commands/drift_json.h).
#include "src/commands/drift_json.h"

#include <cmath>

#include "calibration/drift.h"

namespace rtcal {
namespace {

using calibration::DriftFit;

// Beyond this many measurements --json lists only the notable points (--all: every one).
constexpr size_t kFullJsonUpTo = 10000;

nlohmann::ordered_json points_json(const DriftFit& fit, bool all) {
  auto arr = nlohmann::ordered_json::array();
  const bool every = all || fit.points.size() <= kFullJsonUpTo;
  for (const auto& p : fit.points) {
    if (!every && !notable_point(fit, p)) continue;
    nlohmann::ordered_json j;
    j["record"] = p.record_index;
    j["line"] = p.line;
    j["time"] = p.time_unix_s;
    j["rtc_error"] = p.rtc_error_s;
    j["sigma"] = p.sigma_s;
    j["segment"] = p.segment;
    j["steps"] = p.steps_s;
    j["corrected_error"] = p.corrected_error_s;
    j["fitted"] = p.fitted_s;
    j["residual"] = p.residual_s;
    j["normalized_residual"] = p.normalized_residual;
    j["outlier"] = p.outlier;
    j["hour_jump"] = p.hour_jump ? nlohmann::ordered_json(p.hour_jump_s) : nullptr;
    arr.push_back(j);
  }
  return arr;
}

}  // namespace

// A row worth showing in a long log: flagged, or beside a change point.
bool notable_point(const DriftFit& fit, const calibration::FitPoint& p) {
  if (p.outlier || p.hour_jump) return true;
  return fit.change_point && (p.record_index == fit.change_point->before_record_index ||
                              p.record_index == fit.change_point->after_record_index);
}

int log_line_of(const DriftFit& fit, int record_index) {
  for (const auto& p : fit.points)
    if (p.record_index == record_index) return p.line;
  return 0;
}

// A time for `rtcal log reset --at`: whole seconds just after the last
// measurement before the step (any time between the two would do).
double reset_time_for(const calibration::ChangePoint& c) {
  const double t = std::floor(c.before_unix_s) + 1.0;
  return t < c.after_unix_s ? t : c.before_unix_s;
}

nlohmann::ordered_json drift_fit_json(const DriftFit& fit, double days, bool all, double next_sigma) {
  nlohmann::ordered_json j;
  j["rate_s_per_day"] = fit.rate_s_per_day;
  j["rate_ppm"] = fit.rate_ppm;
  j["factor"] = fit.factor_s_per_day;
  j["ci95_s_per_day"] = {fit.ci95_low_s_per_day, fit.ci95_high_s_per_day};
  j["n"] = fit.n;
  j["segments"] = fit.segments.size();
  j["outliers"] = fit.outliers;
  j["two_point_factor"] =
      fit.two_point_factor_s_per_day ? nlohmann::ordered_json(*fit.two_point_factor_s_per_day) : nullptr;
  j["rate_sigma_s_per_day"] = fit.rate_sigma_s_per_day;
  j["dof"] = fit.dof;
  j["chi2"] = fit.chi2;
  j["sigma_scale"] = fit.sigma_scale;
  j["sigmas"] = calibration::sigma_check_name(fit.sigmas);
  j["outlier_ambiguous"] = fit.outlier_ambiguous;
  j["hour_jumps"] = nlohmann::ordered_json::array();
  for (const auto& h : fit.hour_jumps) j["hour_jumps"].push_back({{"record", h.after_record_index}, {"amount", h.amount_s}});
  const auto after = calibration::error_after_days(fit, days);
  j["expected_after"] = {{"days", days},
                         {"uncorrected_s", after.uncorrected_s},
                         {"corrected_ci95_s", after.corrected_half_width_s}};
  const auto next = calibration::next_measurement(fit, next_sigma);
  j["next_measurement"] = {{"time", next.time_unix_s}, {"days_after_last", next.days_after_last}, {"sigma", next.sigma_s}};
  j["change_point"] = nullptr;
  if (const auto& c = fit.change_point) {
    j["change_point"] = {{"before_line", fit.points.empty() ? 0 : log_line_of(fit, c->before_record_index)},
                         {"after_line", log_line_of(fit, c->after_record_index)},
                         {"before_time", c->before_unix_s},
                         {"after_time", c->after_unix_s},
                         {"step_s", c->step_s},
                         {"reset_at", reset_time_for(*c)},
                         {"chi2_gain", c->improvement},
                         {"chance_threshold", c->threshold}};
    std::vector<int> explained;
    for (int r : c->explained_record_indices) explained.push_back(log_line_of(fit, r));
    j["change_point"]["explained_lines"] = explained;
  }
  const auto& m = fit.model;
  j["model_fits"] = m.fits;
  j["model"] = calibration::fit_model_name(m.model);
  j["model_check"] = {{"f_statistic", m.f_statistic}, {"f_threshold", m.f_threshold}, {"trend", m.trend},
                      {"runs", m.runs}, {"runs_expected", m.runs_expected}, {"runs_z", m.runs_z},
                      {"too_few_runs", m.too_few_runs}, {"widening", m.widening},
                      {"misfit", m.misfit}, {"misfit_evidence", calibration::misfit_evidence_name(m.misfit_evidence)},
                      {"misfit_chi2", m.misfit_chi2}, {"misfit_chi2_threshold", m.misfit_chi2_threshold},
                      {"misfit_rms_s", m.misfit_rms_s}, {"misfit_curve_s_per_day", m.misfit_curve_s_per_day},
                      {"misfit_scatter_s_per_day", m.misfit_scatter_s_per_day}};
  // The half-width the misfit added to ci95_s_per_day (0 when the model fits
  // within the sigmas).
  j["misfit_s_per_day"] = m.misfit ? m.misfit_s_per_day : 0.0;
  j["linear_rate_s_per_day"] = m.linear_rate_s_per_day;
  j["aging_s_per_day_per_year"] = m.model == calibration::FitModel::quadratic ? nlohmann::ordered_json(m.aging_s_per_day_per_year) : nullptr;
  j["robust_flags"] = fit.robust_flags;
  j["points_complete"] = all || fit.points.size() <= kFullJsonUpTo;
  j["points"] = points_json(fit, all);
  return j;
}

}  // namespace rtcal

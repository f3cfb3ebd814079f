// rtcal status: the adjtime file explained in words (the factor and what it
// means, the last adjustment and calibration as dates and ages, UTC or LOCAL,
// the drift accumulated by now) and a summary of the measurement log.
#include <cmath>
#include <memory>

#include "base/number_text.h"
#include "calibration/drift.h"
#include "src/cli/command.h"
#include "src/cli/i18n.h"
#include "src/cli/output.h"
#include "src/dates/date_parse.h"
#include "src/hwclock/adjtime_values.h"
#include "src/measure/log_view.h"
#include "state/measurement_log.h"

namespace rtcal {
namespace {

struct LogSummary {
  int measurements = 0, steps = 0, resets = 0, drops = 0, notes = 0;
  std::vector<state::LogLineError> errors;
  std::vector<std::string> warnings;
  const calibration::Observation* first = nullptr;  // first and last measurement not dropped
  const calibration::Observation* last = nullptr;
};

LogSummary summarise(const LogView& log) {
  LogSummary s;
  s.errors = log.errors;
  s.warnings = log.warnings;
  s.measurements = log.measurements, s.steps = log.steps, s.resets = log.resets;
  s.drops = log.drops, s.notes = log.note_count;
  for (const auto& r : log.observations) {
    if (r.type != calibration::ObservationType::measurement || r.dropped) continue;
    if (!s.first || r.time_unix_s < s.first->time_unix_s) s.first = &r;
    if (!s.last || r.time_unix_s >= s.last->time_unix_s) s.last = &r;
  }
  return s;
}

nlohmann::ordered_json log_json(const std::string& path, const LogSummary& s) {
  nlohmann::ordered_json j;
  j["path"] = path;
  j["measurements"] = s.measurements;
  j["steps"] = s.steps;
  j["resets"] = s.resets;
  j["drops"] = s.drops;
  j["notes"] = s.notes;
  j["corrupt_lines"] = nlohmann::ordered_json::array();
  for (const auto& e : s.errors) j["corrupt_lines"].push_back(e.line);
  j["first_measurement"] = s.first ? nlohmann::ordered_json(s.first->time_unix_s) : nullptr;
  j["last_measurement"] = s.last ? nlohmann::ordered_json(s.last->time_unix_s) : nullptr;
  j["last_rtc_error"] = s.last ? nlohmann::ordered_json(s.last->rtc_error_s) : nullptr;
  return j;
}

void print_log_text(Context& ctx, const std::string& path, const LogSummary& s, SysTime now) {
  auto& out = ctx.out();
  using i18n::format, i18n::plural;
  out << '\n' << format(_("Measurement log {1}:"), path) << '\n';
  if (s.measurements + s.steps + s.resets == 0 && s.errors.empty()) {
    out << "  " << _("empty: no measurements yet (take one with rtcal measure)") << '\n';
    return;
  }
  // TRANSLATORS: between the items of a list ("4 measurements, 0 known steps of the RTC, 0 resets").
  const char* comma = _(", ");
  out << "  " << format(plural("{1} measurement", "{1} measurements", s.measurements), s.measurements) << comma
      << format(plural("{1} known step of the RTC", "{1} known steps of the RTC", s.steps), s.steps) << comma
      << format(plural("{1} reset", "{1} resets", s.resets), s.resets);
  if (s.drops + s.notes > 0)
    out << format(plural("; corrections: {1} dropped, {2} note", "; corrections: {1} dropped, {2} notes", s.notes),
                  s.drops, s.notes);
  out << '\n';
  if (s.first) {
    out << "  " << _("first measurement:") << ' ' << date_and_age(static_cast<int64_t>(s.first->time_unix_s), now) << '\n';
    const double e = s.last->rtc_error_s;
    out << "  " << _("last measurement: ") << ' '
        << format(e >= 0 ? _("{1}: the RTC was {2} s fast (± {3} s)") : _("{1}: the RTC was {2} s slow (± {3} s)"),
                  date_and_age(static_cast<int64_t>(s.last->time_unix_s), now), fixed(std::fabs(e), 3),
                  fixed(s.last->sigma_s, 3))
        << '\n';
  }
  for (const auto& e : s.errors) {
    ctx.err() << "rtcal: " << path << ":" << e.line << ": " << e.cause << ' ' << _("(line skipped; fix or delete it)") << '\n';
  }
  for (const auto& w : s.warnings) ctx.err() << "rtcal: " << path << ": " << w << '\n';
}

ExitCode run_status(Context& ctx) {
  auto now = now_for(ctx);
  if (!now) return report(ctx, now.error());
  auto loaded = load_adjtime_for(ctx);
  if (!loaded) return report(ctx, loaded.error());
  using F = state::AdjtimeField;
  auto adjtime = state::require_fields(loaded->parse, loaded->path,
                                       {F::drift_factor, F::last_adjust, F::not_adjusted, F::last_calibration, F::scale});
  if (!adjtime) return report(ctx, adjtime.error());
  auto scale = ctx.scale(adjtime.value());
  if (!scale) return report(ctx, scale.error());
  auto log = load_log_view(ctx.options().log_path);
  if (!log) return report(ctx, log.error());

  const auto d = drift_state_of(adjtime.value());
  const double now_s = to_unix_s(now.value());
  const bool has_history = d.last_adjust_unix_s != 0;
  const double drift_now = calibration::drift_at_true_s(d, now_s);
  const LogSummary summary = summarise(log.value());

  if (ctx.options().json) {
    nlohmann::ordered_json j;
    j["adjfile"] = ctx.options().noadjfile ? nullptr : nlohmann::ordered_json(ctx.options().adjfile);
    j["exists"] = loaded->existed;
    j["factor"] = d.factor_s_per_rtc_day;
    j["meaning"] = calibration::describe_factor(d.factor_s_per_rtc_day);
    j["last_adjust"] = d.last_adjust_unix_s;
    j["not_adjusted"] = d.not_adjusted_s;
    j["last_calibration"] = d.last_calibration_unix_s;
    j["scale"] = std::string(state::scale_name(scale.value()));
    j["now"] = now_s;
    j["drift_now"] = has_history ? nlohmann::ordered_json(drift_now) : nullptr;
    j["log"] = log_json(ctx.options().log_path, summary);
    print_json(ctx, j);
    return ExitCode::ok;
  }
  auto& out = ctx.out();
  using i18n::format;
  if (ctx.options().noadjfile) {
    out << _("No adjtime file (--noadjfile): no drift correction.") << '\n';
  } else {
    out << format(loaded->existed ? _("Adjtime file {1}:") : _("Adjtime file {1}: missing, so hwclock's defaults apply:"),
                  ctx.options().adjfile)
        << '\n';
  }
  // TRANSLATORS: the labels of status's table; keep them of equal width (pad with spaces).
  out << "  " << _("drift:            ") << ' ' << calibration::describe_factor(d.factor_s_per_rtc_day) << '\n';
  out << "  " << _("last adjusted:    ") << ' ' << date_and_age(d.last_adjust_unix_s, now.value()) << '\n';
  out << "  " << _("not yet adjusted: ") << ' ' << fixed(d.not_adjusted_s) << " s\n";
  out << "  " << _("last calibrated:  ") << ' ' << date_and_age(d.last_calibration_unix_s, now.value()) << '\n';
  out << "  " << _("the RTC keeps:    ") << ' ' << (scale.value() == state::RtcScale::utc ? "UTC" : _("local time"))
      << ((ctx.options().utc || ctx.options().localtime) ? _(" (from the command line)") : "") << '\n';
  out << "  " << _("drift by now:     ") << ' ';
  if (has_history) {
    out << format(_("{1} s: rtcal adjust would add that to the RTC"), (drift_now >= 0 ? "+" : "") + fixed(drift_now)) << '\n';
  } else {
    out << _("unknown: no adjustment recorded yet (rtcal systohc starts the history)") << '\n';
  }
  print_log_text(ctx, ctx.options().log_path, summary, now.value());
  return ExitCode::ok;
}

}  // namespace

Command add_status_command(CLI::App& root) {
  CLI::App* app = root.add_subcommand(
      "status",
      _("Explain the adjtime file (correction factor, last adjustment and calibration, UTC or\n"
        "LOCAL, drift accumulated by now) and summarise the measurement log. Reads only."));
  app->footer(
      "Examples:\n"
      "  rtcal status\n"
      "  rtcal status --adjfile ./adjtime --log ./measurements.jsonl --json\n"
      "  rtcal --rtc sim:/tmp/demo.json status      'now' from the simulated clock\n"
      "JSON keys: adjfile, exists, factor, meaning, last_adjust, not_adjusted, last_calibration,\n"
      "scale, now, drift_now, log {path, measurements, steps, resets, drops, notes, corrupt_lines, ...}.");
  return {app, [](Context& ctx) { return run_status(ctx); }};
}

}  // namespace rtcal

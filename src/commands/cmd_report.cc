// rtcal report: the measurement history as a table and as a picture. Reads
// the log, fits it (calibration/fit.h), and prints a text chart of the RTC
// error over time with each segment's fitted line and 95% band, the table of
// records with residuals, and the fit in a few lines; --svg FILE writes the
// same chart as SVG (atomically; not with --dry-run); --json prints the data.
// Reads only the log: no RTC, no clock, no root.
#include <memory>

#include "base/atomic_file.h"
#include "base/file_io.h"
#include "calibration/fit.h"
#include "src/cli/command.h"
#include "src/cli/output.h"
#include "src/measure/log_view.h"
#include "src/report/report_data.h"
#include "src/report/report_text.h"
#include "src/report/svg_chart.h"
#include "src/report/text_chart.h"
#include "state/measurement_log.h"

namespace rtcal {
namespace {

struct ReportArgs {
  std::string svg_path;  // --svg FILE, "" for none
  bool svg_given = false;
  int width = 80;        // --width N
  int height = 17;       // --height N
  bool all = false;      // --all: every row, however long the log
};

Status check(const ReportArgs& args) {
  if (args.width < history::kMinTextWidth || args.width > history::kMaxTextWidth) {
    return usage_error("--width", "must be " + std::to_string(history::kMinTextWidth) + " to " +
                                      std::to_string(history::kMaxTextWidth) + " columns, got " + std::to_string(args.width),
                       "e.g. --width 100, or leave it out for 80");
  }
  if (args.height < 5 || args.height > 200) {
    return usage_error("--height", "must be 5 to 200 rows, got " + std::to_string(args.height),
                       "e.g. --height 24, or leave it out for 17");
  }
  if (args.svg_given && args.svg_path.empty()) return empty_path_error("--svg", "report.svg");
  return Status::success();
}

// The log's measurements, or why there is nothing to report.
Result<LogView> load_history(Context& ctx) {
  const std::string& path = ctx.options().log_path;
  auto log = load_log_view(path);
  if (!log) return log.error();
  for (const auto& e : log->errors) {
    ctx.err() << "rtcal: " << path << ":" << e.line << ": " << e.cause << " (line skipped; fix or delete it)\n";
  }
  for (const auto& w : log->warnings) ctx.err() << "rtcal: " << path << ": " << w << '\n';
  if (log->measurements > 0) return log;
  const bool blank = log->observations.empty() && log->errors.empty();
  return failure(path, blank ? "no measurements to report: the log is empty or missing" : "no measurement records in the log",
                 "take one with rtcal measure --ntp SERVER or --system-error S, or name another log with --log");
}

Status write_svg(Context& ctx, const std::string& path, const std::string& svg) {
  if (ctx.options().dry_run) {
    ctx.err() << "rtcal: --dry-run: " << path << " not written (" << svg.size() << " bytes of SVG)\n";
    return Status::success();
  }
  auto target = resolve_final_path(path, "--svg");
  if (!target) return target.error();
  return replace_file_atomically(target.value(), svg, 0644, "--svg");
}

ExitCode run_report(Context& ctx, const ReportArgs& args) {
  if (Status ok = check(args); !ok) return report(ctx, ok.error());
  auto log = load_history(ctx);
  if (!log) return report(ctx, log.error());
  const auto data = history::build_report(*log, calibration::fit_drift(log->observations),
                                          args.all ? SIZE_MAX : history::kReportFullTableUpTo);

  const bool svg = !args.svg_path.empty();
  if (svg) {
    if (Status ok = write_svg(ctx, args.svg_path, history::svg_chart(data.chart)); !ok) return report(ctx, ok.error());
  }
  if (ctx.options().json) {
    auto j = history::report_json(data, ctx.options().log_path);
    j["svg"] = svg ? nlohmann::ordered_json(args.svg_path) : nlohmann::ordered_json(nullptr);
    j["svg_written"] = svg && !ctx.options().dry_run;
    print_json(ctx, j);
    return ExitCode::ok;
  }
  auto& out = ctx.out();
  out << history::text_chart(data.chart, {args.width, args.height}) << '\n'
      << history::report_table(data) << '\n'
      << history::fit_summary(data);
  if (svg && !ctx.options().dry_run) out << "Wrote the chart to " << args.svg_path << " (open it in a browser).\n";
  return ExitCode::ok;
}

}  // namespace

Command add_report_command(CLI::App& root) {
  auto args = std::make_shared<ReportArgs>();
  CLI::App* app = root.add_subcommand(
      "report",
      "The measurement history as a table and a chart: the RTC's error over time, the fitted\n"
      "line of each segment with its 95% band, outliers and hour jumps marked. Reads only the log.");
  app->option_defaults()->group("Options");
  app->add_option_function<std::string>(
         "--svg", [args](const std::string& path) { args->svg_path = path; args->svg_given = true; },
         "Also write the chart as an SVG file (replaced atomically; not with --dry-run)")
      ->type_name("FILE");
  app->add_option("--width", args->width, "Columns of the text chart, 40-400 (default 80)")->type_name("N");
  app->add_flag("--all", args->all, "List every record, however long the log (default: beyond 200 measurements, only flagged ones and the last 10)");
  app->add_option("--height", args->height, "Rows of the text chart's plot area, 5-200 (default 17)")->type_name("N");
  app->footer(
      "The chart: y = RTC error (RTC minus true time, + = RTC fast), in ms when every value is\n"
      "within 1 s; x = date (UTC). o measurement with its ±1 sigma bar |, x outlier (left out of\n"
      "the fit), H first measurement after an hour jump (drawn with the jump taken out), ^ v a\n"
      "point beyond the edge, -/\\ fitted line, . its 95% band, : and R a reset (a new segment),\n"
      "S a known step, T a trim of the chip's rate (the readings before it shown at the trimmed\n"
      "rate). The table: one row per record; resid = error minus the fitted line.\n"
      "--json keys: log, measurements, segments, rows_hidden, trims [{time, offset_ppb}],\n"
      "rows [{type, line, time, segment,\n"
      "number, rtc_error, sigma, source, fitted, residual, outlier, hour_jump, dropped, notes |\n"
      "amount, reason}],\n"
      "fit {rate_s_per_day, rate_ppm, ci95_s_per_day, factor, n, outlier_numbers (as #),\n"
      "two_point_factor, segments [{segment, start, end, measurements, reset_jump_s,\n"
      "reset_jump_ci95_s}]} or null, no_fit, svg, svg_written.\n"
      "Exit status: 0 shown, 1 no measurements, the log unreadable or the SVG not writable (then\n"
      "no SVG is written), 2 usage error.\n"
      "Examples:\n"
      "  rtcal report\n"
      "  rtcal report --svg drift.svg              and open drift.svg in a browser\n"
      "  rtcal --log ./measurements.jsonl report --width 120\n"
      "  rtcal --json report | jq .fit.rate_s_per_day");
  return {app, [args](Context& ctx) { return run_report(ctx, *args); }};
}

}  // namespace rtcal

// rtcal set --date DATE: set the RTC to a given time on its seconds edge
// (hwclock --set --date), update adjtime and log the known step.
#include <memory>

#include "src/command.h"
#include "src/date_parse.h"
#include "src/set_flow.h"

namespace rtcal {
namespace {

struct SetArgs {
  std::string date;
  WriteOptions write;
};

ExitCode run_set(Context& ctx, const SetArgs& args) {
  auto dev = hw_devices(ctx);
  if (!dev) return report(ctx, dev.error());
  SetRequest request{"set", std::nullopt, dev->clock->now(), args.write};
  auto date = parse_date(args.date, "--date", request.start);
  if (!date) return report(ctx, date.error());
  request.date = date.value();
  return run_set_flow(ctx, dev.value(), request);
}

}  // namespace

void add_write_options(CLI::App& app, WriteOptions& write, bool with_update_drift) {
  app.add_option("--delay", write.delay_s,
                 "Seconds from a write to the RTC's next whole second, minus 1 (default 0.5 for\n"
                 "rtc_cmos, 0 for most others, as hwclock)")
      ->type_name("S");
  if (with_update_drift) {
    app.add_flag("--update-drift", write.update_drift,
                 "Also recompute adjtime's drift factor from how far the RTC had drifted since the\n"
                 "last calibration (hwclock --update-drift; needs 4 hours since then)");
  }
}

Command add_set_command(CLI::App& root) {
  auto args = std::make_shared<SetArgs>();
  CLI::App* app = root.add_subcommand(
      "set",
      "Set the RTC to DATE on its seconds edge (hwclock --set --date). Updates adjtime's\n"
      "timestamps (and with --update-drift its factor) and logs the step in the measurement log.");
  app->add_option("--date", args->date, "The time to set (see DATES in rtcal --help)")->required()->type_name("DATE");
  add_write_options(*app, args->write, true);
  app->footer(
      "Examples:\n"
      "  rtcal set --date '2026-11-23 10:56:10'\n"
      "  rtcal --dry-run set --date '+1 hour'      show what would change, change nothing\n"
      "  rtcal --utc set --date @1795427168 --update-drift");
  return {app, [args](Context& ctx) { return run_set(ctx, *args); }};
}

}  // namespace rtcal

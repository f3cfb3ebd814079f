// rtcal set --date DATE: set the RTC to a given time on its seconds edge
// (hwclock --set --date), update adjtime and log the known step.
// rtcal set --from-ntp SERVER...: the system clock and the RTC from NTP
// (src/hwclock/set_from_ntp.h).
#include <memory>

#include "src/cli/command.h"
#include "src/dates/date_parse.h"
#include "src/hwclock/set_flow.h"
#include "src/hwclock/set_from_ntp.h"

namespace rtcal {
namespace {

struct SetArgs {
  std::string date;
  WriteOptions write;
  FromNtpRequest from_ntp;  // --from-ntp and its options
};

ExitCode run_set(Context& ctx, const SetArgs& args) {
  if (args.date.empty() == args.from_ntp.ntp.servers.empty()) {
    return report(ctx, usage_error("set", "needs exactly one of --date and --from-ntp",
                                   "e.g. rtcal set --date '2026-11-23 10:56:10' or rtcal set --from-ntp pool.ntp.org"));
  }
  auto dev = hw_devices(ctx);
  if (!dev) return report(ctx, dev.error());
  if (!args.from_ntp.ntp.servers.empty()) {
    FromNtpRequest request = args.from_ntp;
    request.write = args.write;
    return run_set_from_ntp(ctx, dev.value(), request);
  }
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
                 "last calibration (hwclock --update-drift, made exact; needs 4 hours since then)");
  }
}

Command add_set_command(CLI::App& root) {
  auto args = std::make_shared<SetArgs>();
  CLI::App* app = root.add_subcommand(
      "set",
      "Set the RTC to DATE on its seconds edge (hwclock --set --date), or set the system clock\n"
      "and the RTC from NTP (--from-ntp). Updates adjtime's timestamps (and with --update-drift\n"
      "its factor) and logs the step in the measurement log.");
  auto* date = app->add_option("--date", args->date, "The time to set (see DATES in rtcal --help)")->type_name("DATE");
  auto* ntp = app->add_option("--from-ntp", args->from_ntp.ntp.servers,
                              "Measure the RTC against NTP (logged), step the system clock by NTP's offset,\n"
                              "then set the RTC from it (systohc); the first good server wins")
                  ->type_name("SERVER...");
  ntp->excludes(date);
  app->add_flag("--no-system", args->from_ntp.no_system,
                "With --from-ntp: leave the system clock alone, set only the RTC to NTP time");
  app->add_flag("--force", args->from_ntp.force,
                "With --from-ntp: step the system clock even by more than 1000 s");
  app->add_option("--samples", args->from_ntp.ntp.samples, "With --from-ntp: requests per server, 1-16 (default 4)")
      ->type_name("N");
  app->add_option("--timeout", args->from_ntp.ntp.timeout_s,
                  "With --from-ntp: seconds to wait per reply (default 1)")
      ->type_name("S");
  add_write_options(*app, args->write, true);
  app->footer(
      "Examples:\n"
      "  rtcal set --date '2026-11-23 10:56:10'\n"
      "  rtcal --dry-run set --date '+1 hour'      show what would change, change nothing\n"
      "  rtcal --utc set --date @1795427168 --update-drift\n"
      "  rtcal set --from-ntp pool.ntp.org                 system clock and RTC from NTP\n"
      "  rtcal --dry-run set --from-ntp 192.0.2.1:11123    show the measurement, step and set\n"
      "  rtcal set --from-ntp ntp1.example --no-system     only the RTC\n"
      "With --from-ntp a step beyond 1000 s is refused (exit 4) unless --force; no good\n"
      "NTP reply exits 1. Either way nothing is changed.");
  return {app, [args](Context& ctx) { return run_set(ctx, *args); }};
}

}  // namespace rtcal

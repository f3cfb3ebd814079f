// rtcal systohc: set the RTC from the system clock on its seconds edge
// (hwclock --systohc), update adjtime and log the known step.
#include <memory>

#include "src/cli/command.h"
#include "src/hwclock/set_flow.h"

namespace rtcal {
namespace {

ExitCode run_systohc(Context& ctx, const WriteOptions& write) {
  auto dev = hw_devices(ctx);
  if (!dev) return report(ctx, dev.error());
  return run_set_flow(ctx, dev.value(), SetRequest{"systohc", std::nullopt, dev->clock->now(), write});
}

}  // namespace

Command add_systohc_command(CLI::App& root) {
  auto write = std::make_shared<WriteOptions>();
  CLI::App* app = root.add_subcommand(
      "systohc",
      "Set the RTC from the system clock, on its seconds edge so the two agree to the\n"
      "millisecond (hwclock --systohc). Updates adjtime (with --update-drift also its factor)\n"
      "and logs the step in the measurement log.");
  add_write_options(*app, *write, true);
  app->footer(
      "Examples:\n"
      "  rtcal systohc\n"
      "  rtcal systohc --update-drift      after the system clock was synchronised (NTP)\n"
      "  rtcal --dry-run systohc -v        show the step, the adjtime change and the log record\n"
      "  rtcal --rtc sim:/tmp/demo.json systohc");
  return {app, [write](Context& ctx) { return run_systohc(ctx, *write); }};
}

}  // namespace rtcal

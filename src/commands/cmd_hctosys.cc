// rtcal hctosys: set the system clock from the drift-corrected RTC, to the
// sub-second from the RTC's seconds edge (hwclock --hctosys), and tell the
// kernel the time zone as hwclock does. Writes no file: adjtime is only read.
#include <cmath>

#include "calibration/drift.h"
#include "src/cli/command.h"
#include "src/dates/date_parse.h"
#include "src/hwclock/adjtime_values.h"
#include "src/hwclock/adjust_flow.h"
#include "src/hwclock/kernel_tz.h"
#include "src/hwclock/rtc_read.h"

namespace rtcal {
namespace {

ExitCode run_hctosys(Context& ctx) {
  auto dev = hw_devices(ctx);
  if (!dev) return report(ctx, dev.error());
  auto loaded = load_adjtime_for(ctx);
  if (!loaded) return report(ctx, loaded.error());
  using F = state::AdjtimeField;
  auto values = adjtime_values(ctx, loaded.value(), {F::drift_factor, F::last_adjust, F::not_adjusted, F::scale});
  if (!values) return report(ctx, values.error());
  auto scale = ctx.scale(values.value());
  if (!scale) return report(ctx, scale.error());

  // The zone first: the kernel's one-time warp must come before the clock is set.
  const int minutes_west = minutes_west_at(dev->clock->now());
  if (Status sent = send_timezone(ctx, *dev->clock, scale.value(), minutes_west); !sent) return report(ctx, sent.error());
  auto reading = read_rtc(dev.value(), scale.value());
  if (!reading) return report(ctx, reading.error());
  warn_reading(ctx, reading.value());
  say_hwclock_drift(ctx, drift_state_of(values.value()), reading->rtc_unix_s);
  say_hwclock_settimeofday(ctx, scale.value(), minutes_west,
                           static_cast<double>(reading->rtc_unix_s) +
                               calibration::drift_s(drift_state_of(values.value()), static_cast<double>(reading->rtc_unix_s)));

  auto stepped = step_system_to_rtc(ctx, dev.value(), reading.value(), scale.value(), drift_state_of(values.value()));
  if (!stepped) return report(ctx, stepped.error());
  return ExitCode::ok;
}

}  // namespace

Command add_hctosys_command(CLI::App& root) {
  CLI::App* app = root.add_subcommand(
      "hctosys",
      "Set the system clock from the RTC, corrected for the drift in adjtime, to the\n"
      "millisecond from the RTC's seconds edge (hwclock --hctosys); also sends the time zone\n"
      "to the kernel as 'rtcal systz' does.");
  app->footer(
      "Examples:\n"
      "  rtcal hctosys               at boot, before any network time\n"
      "  rtcal --dry-run hctosys     how far the system clock would move\n"
      "  rtcal --rtc sim:/tmp/demo.json hctosys");
  return {app, [](Context& ctx) { return run_hctosys(ctx); }};
}

}  // namespace rtcal

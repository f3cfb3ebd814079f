// rtcal systz: tell the kernel the time zone and the RTC's scale without
// reading the RTC (hwclock --systz). For a LOCAL RTC the kernel's first
// timezone call since boot moves the system clock from local time to UTC.
#include <cmath>

#include "src/cli/command.h"
#include "src/cli/output.h"
#include "src/hwclock/adjtime_values.h"
#include "src/hwclock/kernel_tz.h"

namespace rtcal {
namespace {

ExitCode run_systz(Context& ctx) {
  auto clock = ctx.clock();
  if (!clock) return report(ctx, clock.error());
  auto loaded = load_adjtime_for(ctx);
  if (!loaded) return report(ctx, loaded.error());
  state::Adjtime values;
  if (!ctx.options().utc && !ctx.options().localtime) {
    auto parsed = adjtime_values(ctx, loaded.value(), {state::AdjtimeField::scale});
    if (!parsed) return report(ctx, parsed.error());
    values = parsed.value();
  }
  auto scale = ctx.scale(values);
  if (!scale) return report(ctx, scale.error());

  const SysTime before = clock.value()->now();
  const int minutes_west = minutes_west_at(before);
  say_hwclock_settimeofday(ctx, scale.value(), minutes_west, std::nullopt);
  if (Status sent = send_timezone(ctx, *clock.value(), scale.value(), minutes_west); !sent) {
    return report(ctx, sent.error());
  }
  if (ctx.options().dry_run) return ExitCode::ok;
  const double moved_s = to_unix_s(clock.value()->now()) - to_unix_s(before);
  say(ctx, "Kernel time zone: " + zone_text(minutes_west) + "; the RTC keeps " +
               std::string(state::scale_name(scale.value())));
  if (std::fabs(moved_s) >= 1.0) say(ctx, "The kernel moved the system clock by " + signed_seconds(moved_s, 0));
  return ExitCode::ok;
}

}  // namespace

Command add_systz_command(CLI::App& root) {
  CLI::App* app = root.add_subcommand(
      "systz",
      "Send the time zone (TZ or /etc/localtime) and the RTC's scale to the kernel, without\n"
      "reading the RTC (hwclock --systz). With a LOCAL RTC, the first such call since boot makes\n"
      "the kernel move the system clock from local time to UTC.");
  app->footer(
      "Examples:\n"
      "  rtcal systz                 at boot, after the kernel set the clock from the RTC\n"
      "  rtcal --localtime systz     the RTC keeps local time (dual boot with Windows)\n"
      "  rtcal --dry-run systz");
  return {app, [](Context& ctx) { return run_systz(ctx); }};
}

}  // namespace rtcal

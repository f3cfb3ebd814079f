// rtcal shutdown: at power-off (rtcal-shutdown.service's ExecStop). When the
// kernel says the system clock is NTP-synchronised (adjtimex without
// STA_UNSYNC) the system clock is taken as true: the RTC's error is measured
// against it (a measurement, source "shutdown"), the RTC is set from it on
// its seconds edge as systohc does (a step, reason "shutdown"), and a
// shutdown record marks the power-off. Otherwise only the shutdown record:
// the time the RTC starts running on its battery, for the two-rate fit
// (calibration/two_rate.h). A kernel that has been writing the RTC (11-minute
// mode) made the RTC's error since the boot its own, not the RTC's: a reset
// record comes first, so the fit takes nothing from that stretch.
#include <memory>
#include <string>
#include <utility>

#include "src/cli/command.h"
#include "src/cli/output.h"
#include "src/hwclock/rtc_measure.h"
#include "src/hwclock/set_flow.h"

namespace rtcal {
namespace {

// A synchronised kernel clock is good to a few ms (chrony and ntpd keep it
// within 1 ms on a LAN); the default 1-sigma taken for it here.
constexpr double kSyncedSystemSigmaS = 0.005;

// Log a record of `type` (shutdown, or reset with its `reason`) at the system time now.
Status log_now(Context& ctx, SystemClock& clock, state::RecordType type, std::string reason = "") {
  state::LogRecord r;
  r.type = type;
  r.time_unix_s = to_unix_s(clock.now());
  r.reason = std::move(reason);
  return save_measurement(ctx, r);
}

// The kernel's 11-minute mode wrote the RTC while the system ran: the drift
// since the boot is not the RTC's own, so the log starts a new segment here.
constexpr const char* kKernelWritesReason =
    "the kernel's 11-minute mode (NTP-synchronised) has been writing the RTC since the boot";

// Measure the RTC against the synchronised system clock, then set it.
ExitCode measure_and_set(Context& ctx, const HwDevices& dev, double sigma_s) {
  auto scale = rtc_scale_for(ctx);
  if (!scale) return report(ctx, scale.error());
  if (auto writes = dev.clock->kernel_writes_rtc(); writes && *writes) {
    say(ctx, "The kernel has been writing the RTC (11-minute mode): its drift since the boot is not its own; a reset is logged");
    if (Status logged = log_now(ctx, *dev.clock, state::RecordType::reset, kKernelWritesReason); !logged) return report(ctx, logged.error());
  }
  Reference ref = system_reference(0.0, sigma_s);
  ref.source = "shutdown";
  auto record = measure_rtc(dev, scale.value(), ref);
  if (!record) return report(ctx, record.error());
  ctx.out() << measurement_text(record.value()) << '\n';
  if (Status saved = save_measurement(ctx, record.value()); !saved) return report(ctx, saved.error());
  return run_set_flow(ctx, dev, SetRequest{"shutdown", std::nullopt, dev.clock->now(), WriteOptions{}});
}

ExitCode run_shutdown(Context& ctx, double sigma_s) {
  auto dev = hw_devices(ctx);
  if (!dev) return report(ctx, dev.error());
  auto synced = dev->clock->kernel_synchronized();
  if (synced && *synced) {
    if (ExitCode set = measure_and_set(ctx, dev.value(), sigma_s); set != ExitCode::ok) return set;
  } else {
    say(ctx, "The system clock is not NTP-synchronised: the RTC is left alone, only the time is logged");
  }
  if (Status logged = log_now(ctx, *dev->clock, state::RecordType::shutdown); !logged) return report(ctx, logged.error());
  return ExitCode::ok;
}

}  // namespace

Command add_shutdown_command(CLI::App& root) {
  auto sigma_s = std::make_shared<double>(kSyncedSystemSigmaS);
  CLI::App* app = root.add_subcommand(
      "shutdown",
      "At power-off: if the system clock is NTP-synchronised, measure the RTC against it and set\n"
      "the RTC from it on its seconds edge (as systohc); always log a shutdown record, the start\n"
      "of the RTC's time on battery for the two-rate fit (rtcal drift).");
  app->option_defaults()->group("Options");
  app->add_option("--sigma", *sigma_s, "1-sigma of the synchronised system clock, s (default 0.005)")
      ->type_name("S")
      ->check(CLI::Range(1e-6, 1.0));
  app->footer(
      "Examples:\n"
      "  rtcal shutdown                      at power-off (dist/systemd/rtcal-shutdown.service)\n"
      "  rtcal --dry-run shutdown            what it would log and set\n"
      "  rtcal --rtc sim:/tmp/demo.json shutdown");
  return {app, [sigma_s](Context& ctx) { return run_shutdown(ctx, *sigma_s); }};
}

}  // namespace rtcal

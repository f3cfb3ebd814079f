// rtcal measure: measure the RTC's error against a reference time and append
// one measurement record to the measurement log. Changes no clock, no RTC and
// not adjtime. Each reference is one way to learn the true time of the RTC's
// seconds edge (src/measure/reference.h); the rest (reading the RTC at its edge,
// the record, the log) is shared in src/hwclock/rtc_measure.h.
//
// Structure for more sources: add the option to MeasureArgs, a branch to
// reference_for() (or, for an interactive source, its own function returning
// a Reference), and say which options exclude which in add_measure_command.
#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>

#include "rtc/clock_watch.h"
#include "base/number_text.h"
#include "src/cli/command.h"
#include "src/cli/i18n.h"
#include "src/hwclock/rtc_measure.h"
#include "src/hwclock/time_config.h"
#include "src/measure/boot_record.h"
#include "src/measure/guided_tty.h"

namespace rtcal {
namespace {

struct MeasureArgs {
  NtpRequest ntp;                       // --ntp SERVER... [--samples] [--timeout]
  std::optional<double> system_error_s;  // --system-error S
  std::optional<double> sigma_s;       // --sigma S: --system-error's 1-sigma; with --ntp, a floor
  bool boot = false;                    // --boot: the RTC's error at this boot's edge
  bool configured_ntp = false;          // --configured-ntp: the servers of chrony/ntpd/timesyncd
  std::optional<double> boot_freq_ppm;  // --boot-freq-ppm
};

// --configured-ntp: the servers this machine's NTP daemon is configured with.
Status take_configured_servers(MeasureArgs& args) {
  if (!args.configured_ntp) return Status::success();
  const ConfiguredServers found = configured_ntp_servers(sysconf_root());
  if (found.servers.empty()) {
    return usage_error("--configured-ntp", "no NTP server in the chrony, ntpd or timesyncd configuration",
                       "name the servers with --ntp SERVER...");
  }
  args.ntp.servers = found.servers;
  return Status::success();
}

Status check(const MeasureArgs& args) {
  if (args.ntp.servers.empty() && !args.system_error_s) {
    return usage_error("measure", _("no reference time given"),
                       _("give --ntp SERVER... or --system-error S (see rtcal measure --help)"));
  }
  if (args.boot_freq_ppm && !args.boot) {
    return usage_error("--boot-freq-ppm", "only goes with --boot", "add --boot or leave it out");
  }
  if (args.sigma_s && !(*args.sigma_s > 0.0 && *args.sigma_s <= 3600.0)) {
    return usage_error("--sigma", i18n::format(_("must be > 0 and at most 3600 s, got {1}"), fixed(*args.sigma_s, 6)),
                       _("give your reference's 1-sigma uncertainty, e.g. --sigma 0.05"));
  }
  if (args.boot_freq_ppm && !(*args.boot_freq_ppm >= 0.0 && *args.boot_freq_ppm <= 1000.0)) {
    return usage_error("--boot-freq-ppm", "must be from 0 to 1000 ppm", "e.g. 2 for an NTP-disciplined clock");
  }
  if (!args.ntp.servers.empty()) return validate(args.ntp);
  if (!(std::fabs(*args.system_error_s) < 1e9)) {
    return usage_error("--system-error", _("is not a plausible number of seconds"), _("e.g. --system-error 0.25"));
  }
  return Status::success();
}

Result<Reference> reference_for(Context& ctx, SystemClock& clock, const MeasureArgs& args) {
  if (!args.ntp.servers.empty()) {
    auto ref = ntp_reference(ctx, clock, args.ntp);
    // --sigma with --ntp: what is known to be worse than NTP's error bound
    // (a noisy path; an RTC read under emulation, lab.autocal) sets a floor.
    if (ref && args.sigma_s) ref->sigma_s = std::max(ref->sigma_s, *args.sigma_s);
    return ref;
  }
  return system_reference(*args.system_error_s, args.sigma_s.value_or(kSystemErrorSigmaS));
}

// --boot: the boot record of this boot, or a refusal naming the fix.
Result<FoundBoot> this_boot(Context& ctx, SystemClock& clock) {
  auto id = clock.boot_id();
  if (!id) return id.error();
  auto found = find_boot_record(ctx.options().log_path, *id);
  if (!found) return found.error();
  if (!found.value()) {
    return refused(ctx.options().log_path, "holds no boot record for this boot (" + *id + ")",
                   "rtcal apply logs one at boot (rtcal-apply.service); measure without --boot until the next boot");
  }
  return **found;
}

// The record: the RTC at its edge now, or (--boot) at this boot's edge.
Result<state::LogRecord> record_for(Context& ctx, const HwDevices& dev, state::RtcScale scale, const Reference& ref,
                                    const MeasureArgs& args) {
  if (!args.boot) return measure_rtc(dev, scale, ref);
  auto boot = this_boot(ctx, *dev.clock);
  if (!boot) return boot.error();
  auto synced = dev.clock->kernel_synchronized();
  const double freq_ppm = args.boot_freq_ppm.value_or(synced && *synced ? kBootFreqSyncedPpm : kBootFreqUnsyncedPpm);
  auto record = boot_measurement(*dev.clock, *boot, ref.offset_s, ref.sigma_s, freq_ppm);
  if (!record) return record.error();
  record->extra["reference"] = ref.source;
  for (const auto& [key, value] : ref.extra.items()) record->extra[key] = value;
  return record;
}

ExitCode run_measure(Context& ctx, MeasureArgs args) {
  if (Status taken = take_configured_servers(args); !taken) return report(ctx, taken.error());
  if (args.ntp.servers.empty() && !args.system_error_s && interactive_terminal()) return run_guided_measure(ctx);
  if (Status ok = check(args); !ok) return report(ctx, ok.error());
  auto dev = hw_devices(ctx);
  if (!dev) return report(ctx, dev.error());
  auto scale = rtc_scale_for(ctx);
  if (!scale) return report(ctx, scale.error());

  // A step of the system clock between the reference and the RTC's edge
  // would go into the record whole: watch for one and discard the lot.
  if (args.boot) {  // refuse before asking any server
    if (auto boot = this_boot(ctx, *dev->clock); !boot) return report(ctx, boot.error());
  }
  ClockWatch watch(*dev->clock);
  auto ref = reference_for(ctx, *dev->clock, args);
  if (!ref) return report(ctx, ref.error());
  auto record = record_for(ctx, dev.value(), scale.value(), ref.value(), args);
  if (!record) return report(ctx, record.error());
  if (record->extra.contains("rtc_reading_note")) {
    ctx.err() << "rtcal: warning: " << record->extra["rtc_reading_note"].get<std::string>() << '\n';
  }
  if (Status steady = watch.check("the measurement"); !steady) return report(ctx, steady.error());

  if (ctx.options().json) {
    ctx.out() << state::format_record(record.value());
  } else {
    ctx.out() << _("reference: ") << ' ' << ref->summary << '\n' << measurement_text(record.value()) << '\n';
  }
  if (Status saved = save_measurement(ctx, record.value()); !saved) return report(ctx, saved.error());
  return ExitCode::ok;
}

}  // namespace

Command add_measure_command(CLI::App& root) {
  auto args = std::make_shared<MeasureArgs>();
  CLI::App* app = root.add_subcommand(
      "measure",
      _("Measure the RTC's error (RTC minus true time, + = fast) at its seconds edge against a\n"
        "reference and append it to the measurement log. Changes no clock, no RTC, not adjtime."));
  app->option_defaults()->group(_("Options"));
  auto* ntp = app->add_option("--ntp", args->ntp.servers,
                              "True time from NTP: HOST, HOST:PORT, [IPV6]:PORT; the first good one wins")
                  ->type_name("SERVER...");
  app->add_option("--samples", args->ntp.samples, "With --ntp: requests per server, 1-16 (default 4)")
      ->type_name("N");
  app->add_option("--timeout", args->ntp.timeout_s, "With --ntp: seconds to wait per reply (default 1)")
      ->type_name("S");
  auto* system = app->add_option("--system-error", args->system_error_s,
                                 "You found the system clock S seconds AHEAD of true time (negative: behind)")
                     ->type_name("S");
  app->add_option("--sigma", args->sigma_s,
                  "With --system-error: its 1-sigma uncertainty (default 0.05 s); with --ntp: at least this 1-sigma")
      ->type_name("S");
  ntp->excludes(system);
  auto* configured = app->add_flag("--configured-ntp", args->configured_ntp,
                                   "True time from the NTP servers configured for chronyd, ntpd or timesyncd");
  configured->excludes(ntp)->excludes(system);
  app->add_flag("--boot", args->boot,
                "The RTC's error at THIS BOOT's edge (from apply's boot record), not now: any time later in the boot");
  app->add_option("--boot-freq-ppm", args->boot_freq_ppm,
                  "With --boot: CLOCK_BOOTTIME's frequency uncertainty, ppm (default 2 synchronised, else 100)")
      ->type_name("PPM");
  app->footer(
      "The record: time = true time of the RTC's edge, rtc_error = RTC reading (on its\n"
      "UTC/LOCAL scale) minus that time, sigma = sqrt(reference² + 0.001²) with 0.001 s for\n"
      "the edge timing; NTP's reference is its error bound (delay/2 + root delay/2 + root\n"
      "dispersion + precision). --dry-run prints the record and writes nothing; --json prints it.\n"
      "In a terminal (stdin and stdout TTYs) with no reference option it guides you: a\n"
      "configured NTP server (chrony, ntpd or timesyncd config), a time beep or speaking clock,\n"
      "or a clock read by eye; a practice round against rtcal's own beeps measures your\n"
      "reaction time, which is removed; it ends with the result in words.\n"
      "With --boot the RTC is not read: the record is the RTC's error at this boot's edge,\n"
      "found from the boot record rtcal apply logged (its reading, CLOCK_BOOTTIME, boot id):\n"
      "true time then = reference now - boottime elapsed; sigma adds elapsed x --boot-freq-ppm;\n"
      "source \"boot\". Refused (exit 4) when the log has no boot record for this boot.\n"
      "Exit status: 0 recorded, 1 no good NTP reply or RTC unreadable, 2 usage error,\n"
      "4 refused (--boot without a boot record).\n"
      "Examples:\n"
      "  rtcal measure                     guided, in a terminal\n"
      "  rtcal measure --ntp pool.ntp.org\n"
      "  rtcal measure --ntp 192.0.2.1 192.0.2.2:11123 --samples 8\n"
      "  rtcal measure --system-error 0.25 --sigma 0.02   system clock 0.25 s ahead, by your reference\n"
      "  rtcal measure --boot --ntp pool.ntp.org   after the network is up\n"
      "  rtcal measure --boot --configured-ntp     the same, servers from chrony/ntpd/timesyncd (rtcal-measure.service)\n"
      "  rtcal --dry-run --json measure --ntp 127.0.0.1:11123");
  return {app, [args](Context& ctx) { return run_measure(ctx, *args); }};
}

}  // namespace rtcal

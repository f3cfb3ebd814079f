// rtcal show: read the RTC at its seconds edge and print its time raw and
// drift-corrected (from adjtime) and how far the system clock is from it
// (hwclock --show / --get, with the offset measured to the edge).
#include <cmath>
#include <memory>

#include "calibration/drift.h"
#include "src/cli/command.h"
#include "src/cli/output.h"
#include "src/dates/date_parse.h"
#include "src/hwclock/adjtime_values.h"
#include "src/hwclock/rtc_read.h"

namespace rtcal {
namespace {

struct ShowOptions {
  bool fast = false;
  bool corrected = false;  // drop-in --get: print the corrected time
};

SysTime at_s(int64_t unix_s) { return SysTime(std::chrono::seconds(unix_s)); }

// hwclock prints the RTC's value at the moment it started, not at the edge.
void print_hwclock_line(Context& ctx, SysTime value_at_edge, SysTime edge, SysTime start) {
  ctx.out() << hwclock_time_text(value_at_edge - (edge - start)) << '\n';
}

void print_text(Context& ctx, const RtcDevice& rtc, const RtcReading& r, state::RtcScale scale,
                double drift_s) {
  auto& out = ctx.out();
  const SysTime raw = at_s(r.rtc_unix_s);
  const SysTime corrected = raw + Nanos(std::llround(drift_s * 1e9));
  const double system_minus_rtc = -r.rtc_minus_system_s();
  out << "RTC reads:       " << hwclock_time_text(raw) << "  (" << rtc_fields_text(r.edge.rtc, scale)
      << (r.at_edge ? ", at the seconds edge)\n" : ", whole seconds, not edge-timed)\n");
  out << "drift-corrected: " << hwclock_time_text(corrected) << "  (" << signed_seconds(drift_s)
      << " from adjtime)\n";
  out << "system clock:    " << hwclock_time_text(r.edge.system_at_edge) << "  (system - RTC = "
      << signed_seconds(system_minus_rtc) << (r.at_edge ? "" : ", ±1 s") << ")\n";
  out << "device:          " << rtc.name() << " (" << rtc.driver() << ")\n";
}

ExitCode run_show(Context& ctx, const ShowOptions& opts) {
  auto dev = hw_devices(ctx);
  if (!dev) return report(ctx, dev.error());
  const SysTime start = dev->clock->now();
  auto loaded = load_adjtime_for(ctx);
  if (!loaded) return report(ctx, loaded.error());
  using F = state::AdjtimeField;
  auto adjtime = adjtime_values(ctx, loaded.value(), {F::drift_factor, F::last_adjust, F::not_adjusted, F::scale});
  if (!adjtime) return report(ctx, adjtime.error());
  auto scale = ctx.scale(adjtime.value());
  if (!scale) return report(ctx, scale.error());
  auto reading = read_rtc(dev.value(), scale.value(), opts.fast);
  if (!reading) return report(ctx, reading.error());
  warn_reading(ctx, reading.value());
  say_hwclock_drift(ctx, drift_state_of(adjtime.value()), reading->rtc_unix_s);

  const auto& r = reading.value();
  const double drift = calibration::drift_s(drift_state_of(adjtime.value()), static_cast<double>(r.rtc_unix_s));
  if (ctx.options().hwclock_output) {
    const SysTime value = at_s(r.rtc_unix_s) + (opts.corrected ? Nanos(std::llround(drift * 1e9)) : Nanos(0));
    print_hwclock_line(ctx, value, r.edge.system_at_edge, start);
    return ExitCode::ok;
  }
  if (ctx.options().json) {
    nlohmann::ordered_json j;
    j["rtc_time"] = r.rtc_unix_s;
    j["corrected_time"] = static_cast<double>(r.rtc_unix_s) + drift;
    j["drift"] = drift;
    j["system_time"] = to_unix_s(r.edge.system_at_edge);
    j["system_minus_rtc"] = -r.rtc_minus_system_s();
    j["at_edge"] = r.at_edge;
    j["rtc_fields"] = format_rtc_time(r.edge.rtc);
    j["device"] = dev->rtc->name();
    j["driver"] = dev->rtc->driver();
    j["scale"] = std::string(state::scale_name(scale.value()));
    print_json(ctx, j);
    return ExitCode::ok;
  }
  print_text(ctx, *dev->rtc, r, scale.value(), drift);
  return ExitCode::ok;
}

}  // namespace

Command add_show_command(CLI::App& root) {
  auto opts = std::make_shared<ShowOptions>();
  CLI::App* app = root.add_subcommand(
      "show",
      "Read the RTC at its seconds edge: its time raw and drift-corrected (adjtime), and the\n"
      "system clock's offset from it to the millisecond (hwclock --show / --get). Changes nothing.");
  app->add_flag("--fast", opts->fast, "Read whole seconds at once, without waiting for the edge");
  app->add_flag("--corrected", opts->corrected, "Drop-in (hwclock --get): print the corrected time")
      ->group("");
  app->footer(
      "Examples:\n"
      "  rtcal show\n"
      "  rtcal show --json          keys: rtc_time (unix s at the edge, raw), corrected_time, drift,\n"
      "                             system_time, system_minus_rtc (s), at_edge, rtc_fields, device,\n"
      "                             driver, scale\n"
      "  rtcal show --fast          no edge wait: whole seconds, offset only to ±1 s\n"
      "  rtcal --rtc sim:/tmp/demo.json show");
  return {app, [opts](Context& ctx) { return run_show(ctx, *opts); }};
}

}  // namespace rtcal

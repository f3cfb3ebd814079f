// `rtcal sim init|advance|power-off|sync|show`: create, move and look at a simulated world
// (rtc/sim.h), the test and demo device that every command can use with
// --rtc sim:FILE. Nothing here touches a real clock.
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "rtc/sim.h"
#include "rtc/sim_state.h"
#include "src/cli/command.h"
#include "src/dates/duration.h"

namespace rtcal {
namespace {

struct InitArgs {
  std::string file;
  std::optional<double> at_unix_s;
  SimSetup setup;
  std::string clock_mode = "virtual";
  bool invalid = false;
  bool kernel_synced = false;
  bool force = false;
};

constexpr const char* kSimHelp =
    "A simulated RTC and system clock in one JSON file: a test and demo device.\n"
    "Use it with any command as --rtc sim:FILE. In 'virtual' mode time passes only\n"
    "when a command sleeps or waits for an RTC edge, or by 'rtcal sim advance', so\n"
    "every run is repeatable; in 'real' mode it follows this machine's clock (read only).\n"
    "Sign convention: RTC error = RTC minus true time (+ = fast); rate + = gains.";

constexpr const char* kSimFooter =
    "Examples:\n"
    "  rtcal sim init /tmp/demo.json --offset -10 --rate-ppm 100   RTC 10 s slow, gains 8.64 s/day\n"
    "  rtcal sim advance /tmp/demo.json 4d                         four days pass\n"
    "  rtcal sim power-off /tmp/demo.json 16h                      off overnight, then boot\n"
    "  rtcal sim show /tmp/demo.json                               RTC error now +24.56 s (fast)\n"
    "  rtcal --rtc sim:/tmp/demo.json status                       any command on the sim\n"
    "  rtcal sim init /tmp/cmos.json --first-tick 0.5 --invalid    an MC146818 with a dead battery";

// "2026-11-23 10:56:10.250000 UTC"
std::string sim_utc_text(SysTime t) {
  const int64_t ns = t.time_since_epoch().count();
  const int64_t s = ns >= 0 ? ns / 1'000'000'000 : (ns - 999'999'999) / 1'000'000'000;
  char frac[32];
  std::snprintf(frac, sizeof frac, ".%06lld", static_cast<long long>((ns - s * 1'000'000'000) / 1000));
  return format_rtc_time(utc_fields_of_unix_s(s)) + frac + " UTC";
}

std::string signed_s(double seconds, int digits) {
  char text[64];
  std::snprintf(text, sizeof text, "%+.*f s", digits, seconds);
  return text;
}

std::string error_word(double error_s) { return error_s > 0 ? "fast" : error_s < 0 ? "slow" : "exact"; }

nlohmann::ordered_json snapshot_json(const std::string& file, const SimSnapshot& s) {
  nlohmann::ordered_json j;
  j["file"] = file;
  j["clock"] = s.real_clock ? "real" : "virtual";
  j["true_time_unix_s"] = to_unix_s(s.true_time);
  j["system_time_unix_s"] = to_unix_s(s.system_time);
  j["system_error_s"] = seconds_of(s.system_time - s.true_time);
  j["rtc_valid"] = s.rtc_valid;
  if (s.rtc_valid) {
    j["rtc_reading"] = format_rtc_time(utc_fields_of_unix_s(s.rtc_reading_s));
    j["rtc_reading_unix_s"] = s.rtc_reading_s;
    j["rtc_error_s"] = seconds_of(s.rtc_value - s.true_time.time_since_epoch());
  } else {
    j["rtc_reading"] = nullptr;
    j["rtc_reading_unix_s"] = nullptr;
    j["rtc_error_s"] = nullptr;
  }
  j["rtc_rate_ppm"] = s.rate_ppm;
  j["rtc_gain_s_per_day"] = s.rate_ppm * 86400.0 / 1e6;
  if (s.trim_step_ppb != 0) {
    j["rtc_base_rate_ppm"] = s.base_rate_ppm;
    j["trim_offset_ppb"] = s.trim_offset_ppb;
  }
  j["rtc_off_rate_ppm"] = s.off_rate_ppm;
  j["boot_id"] = s.boot_id;
  j["boottime_s"] = s.boottime_s;
  j["rtc_first_tick_s"] = s.first_tick_s;
  j["edge_latency_s"] = s.edge_latency_s;
  j["kernel_tz_minutes_west"] = s.kernel_tz_minutes_west;
  j["kernel_tz_warp_pending"] = s.kernel_tz_warp_pending;
  return j;
}

void print_snapshot(Context& ctx, const std::string& file, const SimSnapshot& s) {
  if (ctx.options().json) {
    ctx.out() << snapshot_json(file, s).dump(2) << '\n';
    return;
  }
  auto& out = ctx.out();
  out << "sim file:      " << file
      << (s.real_clock ? " (real clock: time follows this machine's clock)\n"
                       : " (virtual clock: time moves only by sleeps, edge waits and 'rtcal sim advance')\n");
  out << "true time:     " << sim_utc_text(s.true_time) << '\n';
  const double system_error_s = seconds_of(s.system_time - s.true_time);
  out << "system clock:  " << sim_utc_text(s.system_time) << " (" << signed_s(system_error_s, 6)
      << (system_error_s > 0 ? ", ahead)\n" : system_error_s < 0 ? ", behind)\n" : ", right)\n");
  if (s.rtc_valid) {
    const double rtc_error_s = seconds_of(s.rtc_value - s.true_time.time_since_epoch());
    out << "RTC reads:     " << format_rtc_time(utc_fields_of_unix_s(s.rtc_reading_s)) << " (fields as UTC)\n";
    out << "RTC error:     " << signed_s(rtc_error_s, 6) << " (" << error_word(rtc_error_s) << ")\n";
  } else {
    out << "RTC reads:     nothing: no valid time (battery dead or never set)\n";
  }
  char rate[96];
  std::snprintf(rate, sizeof rate, "%+.3f ppm (%s %.3f s/day)", s.rate_ppm, s.rate_ppm < 0 ? "loses" : "gains",
                std::fabs(s.rate_ppm) * 1e-6 * 86400.0);
  out << "RTC rate:      " << rate << '\n';
  if (s.trim_step_ppb != 0) {
    char trim[128];
    std::snprintf(trim, sizeof trim, "%+ld ppb (step %ld ppb; base rate %+.3f ppm)", s.trim_offset_ppb, s.trim_step_ppb,
                  s.base_rate_ppm);
    out << "RTC trim:      " << trim << '\n';
  }
  if (s.off_rate_ppm != s.rate_ppm) {
    std::snprintf(rate, sizeof rate, "%+.3f ppm while powered off", s.off_rate_ppm);
    out << "off rate:      " << rate << '\n';
  }
  char boot[96];
  std::snprintf(boot, sizeof boot, "%s, %.3f s ago", s.boot_id.c_str(), s.boottime_s);
  out << "boot:          " << boot << '\n';
  char tick[64];
  std::snprintf(tick, sizeof tick, "%.3f s after a set", s.first_tick_s);
  out << "first tick:    " << tick << '\n';
}

SysTime this_machine_now() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);  // read only
  return SysTime(Nanos(int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec));
}

Status check_init(const InitArgs& a) {
  if (!(a.setup.first_tick_s > 0.0 && a.setup.first_tick_s <= 1.0)) {
    return usage_error("--first-tick", "must be more than 0 and at most 1 s", "e.g. 0.5 (MC146818) or 1.0");
  }
  if (a.setup.off_rate_ppm && !(std::fabs(*a.setup.off_rate_ppm) <= 100'000.0)) {
    return usage_error("--off-rate-ppm", "must be within +-100000 ppm", "e.g. 20 for an RTC gaining 1.728 s/day on battery");
  }
  if (!(std::fabs(a.setup.rate_ppm) <= 100'000.0)) {
    return usage_error("--rate-ppm", "must be within +-100000 ppm", "e.g. 100 for an RTC gaining 8.64 s/day");
  }
  constexpr double kMaxS = static_cast<double>(sim::kMaxTimeNs / sim::kNsPerS);  // 2106-02-07
  if (!std::isfinite(a.setup.system_error_s) || std::fabs(a.setup.system_error_s) > 1e9) {
    return usage_error("--system-error", "must be within +-1000000000 s", "e.g. 0.25 for a clock 250 ms ahead");
  }
  if (!(a.setup.edge_latency_s >= 0.0 && a.setup.edge_latency_s <= 0.1)) {
    return usage_error("--edge-latency", "must be between 0 and 0.1 s", "e.g. 0.00002 (20 us)");
  }
  if (!(a.setup.set_latency_s >= 0.0 && a.setup.set_latency_s <= 0.1)) {
    return usage_error("--set-latency", "must be between 0 and 0.1 s", "e.g. 0.005 (a set landing 5 ms late)");
  }
  if (!(a.setup.sleep_latency_s >= 0.0 && a.setup.sleep_latency_s <= 0.1)) {
    return usage_error("--sleep-latency", "must be between 0 and 0.1 s", "e.g. 0.008 (every sleep waking 8 ms late)");
  }
  if (a.at_unix_s && !(*a.at_unix_s >= 0.0 && *a.at_unix_s < kMaxS - 1)) {
    return usage_error("--at", "must be unix seconds from 0 (1970) to below 4294967295 (2106)", "e.g. --at 1795427168");
  }
  const auto& t = a.setup;
  if (t.trim_step_ppb < 0 || t.trim_step_ppb > 1'000'000 || t.trim_range_ppb < 0 || t.trim_range_ppb > 1'000'000 ||
      (t.trim_step_ppb == 0) != (t.trim_range_ppb == 0) || (t.trim_sign != 1 && t.trim_sign != -1)) {
    return usage_error("--trim-step-ppb/--trim-range-ppb/--trim-sign",
                       "a trim register needs a step and a range from 1 to 1000000 ppb and a sign of +1 or -1",
                       "e.g. --trim-step-ppb 4340 --trim-range-ppb 277760 (a PCF8523)");
  }
  const double at_s = a.at_unix_s.value_or(to_unix_s(this_machine_now()));
  if (!(at_s + a.setup.rtc_offset_s >= 0.0 && at_s + a.setup.rtc_offset_s < kMaxS - 1)) {
    return usage_error("--offset", "puts the RTC outside 1970..2106", "e.g. -10 for an RTC 10 s slow");
  }
  return Status::success();
}

ExitCode run_init(Context& ctx, InitArgs a) {
  if (Status s = check_init(a); !s) return report(ctx, s.error());
  std::error_code ec;
  if (!a.force && std::filesystem::exists(a.file, ec)) {
    return report(ctx, refused("sim:" + a.file, "already exists", "add --force to overwrite it"));
  }
  a.setup.true_time = a.at_unix_s ? from_unix_s(*a.at_unix_s) : this_machine_now();
  a.setup.real_clock = a.clock_mode == "real";
  a.setup.rtc_valid = !a.invalid;
  auto lock = lock_sim_file(a.file);
  if (!lock) return report(ctx, lock.error());
  a.setup.kernel_synced = a.kernel_synced;
  auto world = SimWorld::create(a.file, a.setup);
  if (!world) return report(ctx, world.error());
  if (!ctx.options().dry_run) {
    if (Status s = (*world)->save(); !s) return report(ctx, s.error());
  }
  if (!ctx.options().json) ctx.out() << (ctx.options().dry_run ? "would create " : "created ") << a.file << '\n';
  print_snapshot(ctx, a.file, (*world)->snapshot());
  return ExitCode::ok;
}

// Let DURATION of true time pass: running (advance) or powered off and then
// booted (power-off, see SimWorld::power_off).
ExitCode run_pass(Context& ctx, const std::string& file, const std::string& duration_text, bool power_off) {
  Result<Nanos> duration = parse_duration(duration_text, "DURATION");
  if (!duration) return report(ctx, duration.error());
  auto lock = lock_sim_file(file);
  if (!lock) return report(ctx, lock.error());
  auto world = SimWorld::open(file);
  if (!world) return report(ctx, world.error());
  const Nanos true_now = (*world)->snapshot().true_time.time_since_epoch();
  if (*duration >= Nanos(sim::kMaxTimeNs) - true_now) {
    return report(ctx, usage_error("DURATION", "'" + duration_text + "' would take true time past 2106-02-07",
                                   "let less time pass; a sim file holds 1970..2106"));
  }
  if (power_off) (*world)->power_off(*duration);
  else (*world)->advance(*duration);
  if (!ctx.options().dry_run) {
    if (Status s = (*world)->save(); !s) return report(ctx, s.error());
  }
  if (!ctx.options().json) {
    char text[64];
    std::snprintf(text, sizeof text, " (%.3f s)", seconds_of(*duration));
    const bool dry = ctx.options().dry_run;
    ctx.out() << (power_off ? (dry ? "would power off for " : "powered off for ") : (dry ? "would advance " : "advanced "))
              << duration_text << text << (power_off ? ", then booted (system clock from the RTC)\n" : "\n");
  }
  print_snapshot(ctx, file, (*world)->snapshot());
  return ExitCode::ok;
}

// The system clock to true time, kernel synchronised (as NTP would).
ExitCode run_sync(Context& ctx, const std::string& file) {
  auto lock = lock_sim_file(file);
  if (!lock) return report(ctx, lock.error());
  auto world = SimWorld::open(file);
  if (!world) return report(ctx, world.error());
  (*world)->sync_system_clock();
  if (!ctx.options().dry_run) {
    if (Status s = (*world)->save(); !s) return report(ctx, s.error());
  }
  if (!ctx.options().json) {
    ctx.out() << (ctx.options().dry_run ? "would set " : "set ") << "the system clock to true time (NTP-synchronised)\n";
  }
  print_snapshot(ctx, file, (*world)->snapshot());
  return ExitCode::ok;
}

ExitCode run_show(Context& ctx, const std::string& file) {
  auto world = SimWorld::open(file);
  if (!world) return report(ctx, world.error());
  print_snapshot(ctx, file, (*world)->snapshot());
  return ExitCode::ok;
}

CLI::App* add_init(CLI::App& sim, InitArgs& a) {
  auto* init = sim.add_subcommand("init", "Create a simulated world in FILE");
  init->option_defaults()->group("Options");  // not the root's "Global options"
  init->add_option("FILE", a.file, "The sim file to create")->required();
  init->add_option("--at", a.at_unix_s, "True time at the start, unix seconds (default: now)")->type_name("UNIX_S");
  init->add_option("--offset", a.setup.rtc_offset_s, "RTC error at the start: RTC minus true, s (+ = fast)")
      ->type_name("S");
  init->add_option("--rate-ppm", a.setup.rate_ppm, "RTC rate, ppm (+ = gains; 100 ppm = 8.64 s/day)")
      ->type_name("PPM");
  init->add_option("--off-rate-ppm", a.setup.off_rate_ppm,
                   "RTC rate while powered off (on battery), ppm (default: --rate-ppm)")
      ->type_name("PPM");
  init->add_option("--system-error", a.setup.system_error_s, "System clock minus true time, s")->type_name("S");
  init->add_option("--first-tick", a.setup.first_tick_s,
                   "Time from a set to the RTC's first increment, s (0.5 MC146818, 1.0 most others)")
      ->type_name("S");
  init->add_option("--edge-latency", a.setup.edge_latency_s,
                   "Time from an RTC edge to a waiter waking up, s (default 0.00002)")
      ->type_name("S");
  init->add_option("--set-latency", a.setup.set_latency_s,
                   "Time from asking the RTC to be set to the set taking effect, s (default 0; a busy host)")
      ->type_name("S");
  init->add_option("--sleep-latency", a.setup.sleep_latency_s,
                   "How late every sleep of a command wakes up, s (default 0; a busy host)")
      ->type_name("S");
  init->add_option("--clock", a.clock_mode, "virtual (time moves only when told) or real (follows this machine)")
      ->check(CLI::IsMember({"virtual", "real"}));
  init->add_flag("--invalid", a.invalid, "The RTC holds no valid time (dead battery) until set");
  init->add_flag("--kernel-synced", a.kernel_synced,
                 "The simulated kernel is NTP-synchronised (11-minute mode; apply warns)");
  init->add_option("--trim-step-ppb", a.setup.trim_step_ppb, "A trim register (rtcal trim) with this step, ppb")
      ->type_name("PPB");
  init->add_option("--trim-range-ppb", a.setup.trim_range_ppb, "The trim register holds -R..+R ppb")->type_name("PPB");
  init->add_option("--trim-sign", a.setup.trim_sign,
                   "+1: a positive offset slows the RTC (Linux's convention); -1: the chip does the opposite")
      ->type_name("+1|-1");
  init->add_flag("--kernel-rtc-writes", a.setup.kernel_rtc_writes,
                 "While NTP-synchronised (--kernel-synced, sim sync) the kernel writes the system time\n"
                 "into the RTC every 11 minutes of 'sim advance' (Linux's CONFIG_RTC_SYSTOHC)");
  init->add_flag("--trim-clamp", a.setup.trim_clamp, "Clamp an offset beyond the range (default: ERANGE)");
  init->add_flag("--force", a.force, "Overwrite FILE if it exists");
  return init;
}

}  // namespace

Command add_sim_command(CLI::App& root) {
  auto* sim = root.add_subcommand("sim", "Simulated RTC and system clock for tests and demos");
  sim->footer(std::string(kSimHelp) + "\n\n" + kSimFooter);
  sim->require_subcommand(1);

  auto init_args = std::make_shared<InitArgs>();
  auto* init = add_init(*sim, *init_args);

  auto advance_file = std::make_shared<std::string>();
  auto advance_by = std::make_shared<std::string>();
  auto* advance = sim->add_subcommand("advance", "Let time pass: DURATION like 90, 90s, 15m, 3h, 4d, 1.5d");
  advance->add_option("FILE", *advance_file, "The sim file")->required();
  advance->add_option("DURATION", *advance_by, "How much true time passes (> 0)")->required();

  auto off_file = std::make_shared<std::string>();
  auto off_for = std::make_shared<std::string>();
  auto* power_off = sim->add_subcommand(
      "power-off", "Power off for DURATION (the RTC runs at its off-rate), then boot: system clock from the RTC");
  power_off->add_option("FILE", *off_file, "The sim file")->required();
  power_off->add_option("DURATION", *off_for, "How long the machine is off (> 0)")->required();

  auto sync_file = std::make_shared<std::string>();
  auto* sync = sim->add_subcommand("sync", "Set the system clock to true time and mark it NTP-synchronised");
  sync->add_option("FILE", *sync_file, "The sim file")->required();

  auto show_file = std::make_shared<std::string>();
  auto* show = sim->add_subcommand("show", "Show true time, system clock, RTC reading and RTC error");
  show->add_option("FILE", *show_file, "The sim file")->required();

  return Command{sim, [=](Context& ctx) {
                   if (init->parsed()) return run_init(ctx, *init_args);
                   if (advance->parsed()) return run_pass(ctx, *advance_file, *advance_by, false);
                   if (power_off->parsed()) return run_pass(ctx, *off_file, *off_for, true);
                   if (sync->parsed()) return run_sync(ctx, *sync_file);
                   return run_show(ctx, *show_file);
                 }};
}

}  // namespace rtcal

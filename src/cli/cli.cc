// The root of the command line: global options shared by every subcommand,
// help text with examples, version, and the mapping of errors to exit codes.
#include "src/cli/cli.h"

#include <cstdlib>
#include <ctime>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "src/cli/build_info.h"
#include "src/cli/command.h"
#include "src/cli/context.h"
#include "src/cli/dropin.h"
#include "src/cli/i18n.h"
#include "src/hwclock/tz_check.h"

namespace rtcal {
namespace {

constexpr const char* kDescription = N_(
    "rtcal keeps the hardware real-time clock (RTC) right: it reads and sets it to the\n"
    "millisecond, keeps /etc/adjtime as util-linux hwclock does, records how far the RTC\n"
    "drifts against a reference, and corrects it at every boot.\n"
    "\n"
    "Sign convention: RTC error = RTC reading minus true time (+ = the RTC is fast).\n"
    "The adjtime correction factor is what to ADD to the RTC per day: an RTC that gains\n"
    "9.6 s/day has the correction factor -9.600000 s/day.");

constexpr const char* kFooter = N_(
    "Examples:\n"
    "  rtcal status                              what /etc/adjtime says, explained\n"
    "  rtcal predict --date '2027-01-01 00:00'   what the RTC will read then\n"
    "  rtcal factor --error 12.4 --days 31       HOWTO calculator: RTC 12.4 s fast after 31 days\n"
    "  rtcal sim init /tmp/demo.json --offset 10 --rate-ppm 100\n"
    "  rtcal --rtc sim:/tmp/demo.json status     try any command on a simulated RTC\n"
    "\n"
    "Exit status: 0 ok, 1 runtime failure, 2 usage error, 3 malformed state file,\n"
    "4 refused as unsafe. Run 'rtcal COMMAND --help' for each command's options.");

void add_global_options(CLI::App& app, GlobalOptions& g) {
  app.option_defaults()->group(_("Global options"));
  app.add_option("--adjfile", g.adjfile, _("The adjtime file (default /etc/adjtime)"))
      ->type_name("PATH");
  app.add_flag("--noadjfile", g.noadjfile,
               _("Do not read or write the adjtime file (needs --utc or --localtime)"));
  auto* utc = app.add_flag("-u,--utc", g.utc, _("The RTC keeps UTC (overrides adjtime line 3)"));
  auto* local = app.add_flag("-l,--localtime", g.localtime, _("The RTC keeps local time"));
  utc->excludes(local);
  app.add_option("--log", g.log_path,
                 _("The measurement log (default /var/lib/rtcal/measurements.jsonl)"))
      ->type_name("PATH");
  app.add_option("-f,--rtc", g.rtc_spec,
                 _("The RTC: /dev/rtcN, or sim:FILE for the simulated RTC and system clock"))
      ->type_name("DEV");
  app.add_flag("--directisa", g.directisa, _("Use CMOS ports 0x70/0x71 directly (x86, root)"));
  app.add_flag("--json", g.json, _("Print machine-readable JSON"));
  app.add_flag("-n,--dry-run,--test", g.dry_run, _("Show what would change; change nothing"));
  app.add_flag("-v,--verbose", g.verbose, _("Explain each step on stderr"));
  // Set by drop-in mode (src/cli/dropin.h): print only what hwclock prints.
  app.add_flag("--hwclock-output", g.hwclock_output, "")->group("");
  app.add_option("--hwclock-name", g.hwclock_name, "")->group("");
  // Subcommands inherit option_defaults: their own options are not global.
  app.option_defaults()->group(_("Options"));
}

// CLI11's own words in --help ("Usage", "OPTIONS", ...), in the user's language.
void localise_help(CLI::App& app) {
  static const char* const kLabels[][2] = {
      {"Usage", N_("Usage")},   {"OPTIONS", N_("OPTIONS")},   {"SUBCOMMAND", N_("SUBCOMMAND")},
      {"REQUIRED", N_("REQUIRED")}, {"Positionals", N_("Positionals")}, {"Needs", N_("Needs")},
      {"Excludes", N_("Excludes")}};
  for (const auto& label : kLabels) app.get_formatter()->label(label[0], _(label[1]));
}

// The factories' subcommands, at any depth: their descriptions (xgettext
// takes add_subcommand's second argument as a message, so the src/cmd_*.cc
// files need no markers), and CLI11's group names, which are English.
void localise_subcommands(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands({})) {
    sub->description(_(sub->get_description().c_str()));
    if (sub->get_group() == "Subcommands") sub->group(_("Subcommands"));
    CLI::Option* help = sub->get_help_ptr();
    if (help != nullptr && help->get_group() == "Options") help->group(_("Options"));
    localise_subcommands(*sub);
  }
}

std::string version_text() {
  std::string text = "rtcal " RTCAL_VERSION;
#if defined(__clang__)
  text += " (clang " __clang_version__ ")";
#elif defined(__GNUC__)
  text += " (g++ " __VERSION__ ")";
#endif
  return text;
}

}  // namespace

ExitCode report(Context& ctx, const Error& error) {
  ctx.err() << "rtcal: " << error.message() << '\n';
  return exit_code_of(error.kind);
}

namespace {

// The deepest subcommand the parse got into ("trim", "sim init"), or "".
std::string parsed_command_path(const CLI::App& app) {
  std::string path;
  const CLI::App* at = &app;
  for (int depth = 0; depth < 4; ++depth) {
    const CLI::App* next = nullptr;
    for (const CLI::App* sub : at->get_subcommands()) next = sub;
    if (next == nullptr) break;
    path += (path.empty() ? "" : " ") + next->get_name();
    at = next;
  }
  return path;
}

// A command-line error as the user should read it: CLI11's "Could not
// convert: --set = abc" says neither what was wanted nor where to look, so it
// names the option and the value; every message points at the help of the
// subcommand being parsed.
std::string usage_error_text(const CLI::ParseError& e, const CLI::App& app) {
  const std::string command = parsed_command_path(app);
  const std::string help = command.empty() ? "rtcal --help" : "rtcal " + command + " --help";
  std::string what = e.what();
  const std::string prefix = "Could not convert: ";
  const std::size_t equals = what.find(" = ");
  if (dynamic_cast<const CLI::ConversionError*>(&e) != nullptr && what.rfind(prefix, 0) == 0 && equals != std::string::npos) {
    const std::string option = what.substr(prefix.size(), equals - prefix.size());
    const std::string value = what.substr(equals + 3);
    return i18n::format(_("{1}: '{2}' is not a value this option takes (a number where it wants one; see {3})"), option, value,
                  help);
  }
  return what + " " + i18n::format(_("(see {1})"), help);
}

std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

// `rtc_unreachable`, when given, is set when no RTC could be reached (hwclock
// then stops at once: no "Test mode" line).
int run_rtcal(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
              bool* rtc_unreachable = nullptr);

// rtcal started as `hwclock` or `clock`: translate, run, map the exit code.
int run_dropin(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  const std::string_view argv0 = argv[0];
  const std::string name(argv0.substr(argv0.rfind('/') == std::string_view::npos ? 0 : argv0.rfind('/') + 1));
  const std::vector<std::string> args(argv + 1, argv + argc);
  const DropinEnv env{env_or_empty("RTCAL_RTC"), env_or_empty("RTCAL_ADJFILE"), env_or_empty("RTCAL_LOG")};
  auto plan = translate_hwclock_args(args, env, name);
  if (!plan) {
    err << "rtcal: " << plan.error().message() << " (as " << name << ")\n";
    return 1;
  }
  if (plan->action == DropinPlan::Action::help) {
    out << dropin_help(name);
    return 0;
  }
  if (plan->action == DropinPlan::Action::version) {
    out << name << " from " << version_text() << " (drop-in for util-linux hwclock 2.38.1)\n";
    return 0;
  }
  for (const auto& warning : plan->warnings) err << name << ": " << warning << '\n';
  bool unreachable = false;
  auto run = [&](const std::vector<std::string>& command_line) {
    std::vector<const char*> rtcal_argv = {"rtcal"};
    for (const auto& a : command_line) rtcal_argv.push_back(a.c_str());
    return run_rtcal(static_cast<int>(rtcal_argv.size()), rtcal_argv.data(), out, err, &unreachable);
  };
  const int code = run(plan->rtcal_args);
  int result = dropin_exit_code(code, plan->function);
  if (!plan->then_args.empty()) result = dropin_exit_code_then(code, run(plan->then_args));
  // hwclock exits at once when it finds no clock: no "Test mode" line then.
  if (plan->test_mode && !unreachable) out << "Test mode: nothing was changed.\n";
  return result;
}

}  // namespace

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  if (argc > 0 && is_dropin_name(argv[0])) return run_dropin(argc, argv, out, err);
  return run_rtcal(argc, argv, out, err);
}

namespace {

int run_rtcal(int argc, const char* const* argv, std::ostream& out, std::ostream& err, bool* rtc_unreachable) {
  CLI::App app{_(kDescription), "rtcal"};
  localise_help(app);
  app.footer(_(kFooter));
  app.fallthrough();
  app.require_subcommand(0, 1);
  app.set_version_flag("--version", version_details(), _("Print the version and build details"));
  app.get_help_ptr()->description(_("Print this help message and exit"))->group(_("Options"));
  app.get_version_ptr()->group(_("Options"));

  GlobalOptions globals;
  add_global_options(app, globals);
  std::vector<Command> commands;
  for (CommandFactory factory : command_factories()) commands.push_back(factory(app));
  localise_subcommands(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::CallForVersion& e) {
    out << e.what() << '\n';
    return 0;
  } catch (const CLI::ParseError& e) {
    err << "rtcal: " << usage_error_text(e, app) << '\n';
    return as_int(ExitCode::usage);
  }

  for (const Command& command : commands) {
    if (!command.app->parsed()) continue;
    Context ctx(globals, out, err);
    const char* tzdir = std::getenv("TZDIR");
    if (Status zone = check_time_zone(std::getenv("TZ"), tzdir ? tzdir : "/usr/share/zoneinfo"); !zone) {
      // hwclock (through the C library) takes an unknown zone for UTC; a
      // boot must still set the clock. Elsewhere it is an error to fix.
      if (!globals.hwclock_output && command.app->get_name() != "apply") return as_int(report(ctx, zone.error()));
      ctx.err() << "rtcal: " << i18n::format(_("warning: {1}; using UTC, as hwclock does"), zone.error().message()) << '\n';
      setenv("TZ", "UTC0", 1);
      tzset();
    }
    // `rtcal sim ...` locks the file it names itself.
    if (Status locked = command.app->get_name() == "sim" ? Status::success() : ctx.lock_sim(); !locked) {
      return as_int(report(ctx, locked.error()));
    }
    ctx.hwclock_verbose_intro();
    ExitCode code = command.run(ctx);
    if (Status saved = ctx.finish(); !saved && code == ExitCode::ok) code = report(ctx, saved.error());
    if (rtc_unreachable != nullptr) *rtc_unreachable = ctx.rtc_unreachable();
    return as_int(code);
  }
  out << app.help();
  return as_int(ExitCode::ok);
}

}  // namespace

}  // namespace rtcal

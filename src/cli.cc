// The root of the command line: global options shared by every subcommand,
// help text with examples, version, and the mapping of errors to exit codes.
#include "src/cli.h"

#include <iostream>

#include <CLI/CLI.hpp>

#include "src/command.h"
#include "src/context.h"

namespace rtcal {
namespace {

constexpr const char* kDescription =
    "rtcal keeps the hardware real-time clock (RTC) right: it reads and sets it to the\n"
    "millisecond, keeps /etc/adjtime as util-linux hwclock does, records how far the RTC\n"
    "drifts against a reference, and corrects it at every boot.\n"
    "\n"
    "Sign convention: RTC error = RTC reading minus true time (+ = the RTC is fast).\n"
    "The adjtime correction factor is what to ADD to the RTC per day: an RTC that gains\n"
    "9.6 s/day has the correction factor -9.600000 s/day.";

constexpr const char* kFooter =
    "Examples:\n"
    "  rtcal status                              what /etc/adjtime says, explained\n"
    "  rtcal predict --date '2027-01-01 00:00'   what the RTC will read then\n"
    "  rtcal factor --error 12.4 --days 31       HOWTO calculator: RTC 12.4 s fast after 31 days\n"
    "  rtcal sim init /tmp/demo.json --offset 10 --rate-ppm 100\n"
    "  rtcal --rtc sim:/tmp/demo.json status     try any command on a simulated RTC\n"
    "\n"
    "Exit status: 0 ok, 1 runtime failure, 2 usage error, 3 malformed state file,\n"
    "4 refused as unsafe. Run 'rtcal COMMAND --help' for each command's options.";

void add_global_options(CLI::App& app, GlobalOptions& g) {
  app.option_defaults()->group("Global options");
  app.add_option("--adjfile", g.adjfile, "The adjtime file (default /etc/adjtime)")
      ->type_name("PATH");
  app.add_flag("--noadjfile", g.noadjfile,
               "Do not read or write the adjtime file (needs --utc or --localtime)");
  auto* utc = app.add_flag("-u,--utc", g.utc, "The RTC keeps UTC (overrides adjtime line 3)");
  auto* local = app.add_flag("-l,--localtime", g.localtime, "The RTC keeps local time");
  utc->excludes(local);
  app.add_option("--log", g.log_path,
                 "The measurement log (default /var/lib/rtcal/measurements.jsonl)")
      ->type_name("PATH");
  app.add_option("-f,--rtc", g.rtc_spec,
                 "The RTC: /dev/rtcN, or sim:FILE for the simulated RTC and system clock")
      ->type_name("DEV");
  app.add_flag("--directisa", g.directisa, "Use CMOS ports 0x70/0x71 directly (x86, root)");
  app.add_flag("--json", g.json, "Print machine-readable JSON");
  app.add_flag("-n,--dry-run,--test", g.dry_run, "Show what would change; change nothing");
  app.add_flag("-v,--verbose", g.verbose, "Explain each step on stderr");
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
  return error.code;
}

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{kDescription, "rtcal"};
  app.footer(kFooter);
  app.fallthrough();
  app.require_subcommand(0, 1);
  app.set_version_flag("--version", version_text(), "Print the version and build details");

  GlobalOptions globals;
  add_global_options(app, globals);
  std::vector<Command> commands;
  for (CommandFactory factory : command_factories()) commands.push_back(factory(app));

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
    err << "rtcal: " << e.what() << " (see rtcal --help)\n";
    return as_int(ExitCode::usage);
  }

  for (const Command& command : commands) {
    if (!command.app->parsed()) continue;
    Context ctx(globals, out, err);
    ExitCode code = command.run(ctx);
    if (Status saved = ctx.finish(); !saved && code == ExitCode::ok) code = report(ctx, saved.error());
    return as_int(code);
  }
  out << app.help();
  return as_int(ExitCode::ok);
}

}  // namespace rtcal

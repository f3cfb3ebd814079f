// How a subcommand plugs into the CLI: a factory adds its CLI11 subcommand
// (options, help, examples) and returns the function that runs it. The list of
// factories is in src/cli/commands.cc; main() parses, then runs the chosen one.
#pragma once

#include <functional>
#include <vector>

#include <CLI/CLI.hpp>

#include "src/cli/context.h"
#include "src/cli/exit_codes.h"

namespace rtcal {

struct Command {
  CLI::App* app = nullptr;
  std::function<ExitCode(Context&)> run;
};

using CommandFactory = Command (*)(CLI::App& root);

// Every subcommand, in the order --help lists them.
const std::vector<CommandFactory>& command_factories();

// Print an Error as "rtcal: <object>: <cause> (<fix>)" and return its code.
ExitCode report(Context& ctx, const Error& error);

}  // namespace rtcal

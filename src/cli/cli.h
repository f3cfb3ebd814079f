// The command line: global options, the subcommands, parsing, and turning the
// outcome into an exit code. main() is one call to run_cli(); tests call it
// with their own streams.
#pragma once

#include <iosfwd>

namespace rtcal {

// Run rtcal with these arguments (argv[0] included); returns the exit code.
int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace rtcal

// The guided measurement on a real terminal: a Prompter over stdin/stdout
// (poll(2) with a timeout for each line), and the whole guided `rtcal
// measure` flow: choose a reference (configured NTP server, a time beep, a
// clock read by eye), practice, measure, say the result in words.
#pragma once

#include "src/cli/context.h"
#include "src/cli/exit_codes.h"

namespace rtcal {

// True when stdin and stdout are both terminals.
bool interactive_terminal();

// Run the guided measurement (the caller checked interactive_terminal()).
ExitCode run_guided_measure(Context& ctx);

}  // namespace rtcal

// Where true time comes from when the RTC's error is measured: an NTP server
// (`measure --ntp`, `set --from-ntp`) or the user's own finding about the
// system clock (`measure --system-error`). Each becomes a Reference: how far
// the command's system clock is from true time, and how sure that is. The
// guided measurement (a beep or a typed time) will be one more source here.
//
// The simulated world (--rtc sim:FILE): the NTP client always measures this
// machine's real clock (read only). The NTP server's time is taken as true,
// and the offset is moved onto the simulated system clock by adding
// (real clock - simulated clock) read at the same moment, so that
// simulated clock + offset_s = the server's time. The sim's own notion of
// true time plays no part: a sim whose system clock is right (in "real" mode,
// system_error 0) against a server faked +123.456 s gets offset_s = +123.456.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rtc/system_clock.h"
#include "src/cli/context.h"
#include "src/ntp/client.h"

namespace rtcal {

// How uncertain the system time taken at an RTC's seconds edge is (1 sigma):
// the wake-up latency after the update interrupt or the polled edge, and the
// scheduling before the clock is read. 1 ms covers /dev/rtc UIE on an idle or
// moderately busy machine (the lab measures tens of µs); the sim's 20 µs is
// well inside it.
inline constexpr double kEdgeSigmaS = 0.001;

// Default 1-sigma of `measure --system-error`: a careful comparison by eye
// with a radio clock or a phone's network time.
inline constexpr double kSystemErrorSigmaS = 0.05;

struct Reference {
  double offset_s = 0.0;  // true time minus the command's system clock: ADD it to that clock
  double sigma_s = 0.0;   // 1-sigma uncertainty of offset_s
  std::string source;     // the log record's source: "ntp", "system"
  nlohmann::ordered_json extra = nlohmann::ordered_json::object();  // extra log fields
  std::string summary;    // one line for the user: where the offset came from
};

// What to ask for an NTP reference.
struct NtpRequest {
  std::vector<std::string> servers;
  int samples = 4;
  double timeout_s = 1.0;
};

// Usage errors for bad servers or options (nothing is asked).
Status validate(const NtpRequest& request);

// Ask the servers (the first good one wins) and express the answer against
// `clock` (see the top of this file for the simulated clock). Ignored replies
// are warned about on stderr; no good reply is an Error (exit 1).
Result<Reference> ntp_reference(Context& ctx, SystemClock& clock, const NtpRequest& request);

// The user found the system clock `system_error_s` ahead of true time.
Reference system_reference(double system_error_s, double sigma_s);

}  // namespace rtcal

// A strict SNTP client (RFC 4330 as updated by RFC 5905, RFC 9109 and the
// NTP data-minimisation draft): asks one or more servers for the time and
// returns the offset of this machine's clock, or an Error naming the server,
// the RFC rule its reply broke and a fix. It only READS the local clock
// (CLOCK_REALTIME); nothing here can change a clock.
//
// Per request: a fresh UDP socket on a random ephemeral port (RFC 9109), a
// request whose only non-zero field besides LI/VN/mode is a random 64-bit
// transmit nonce, T1 read just before sending, T4 from the kernel's receive
// timestamp (SO_TIMESTAMPNS; clock_gettime if absent). Every datagram is run
// through check_reply(); bad ones are ignored and reported, and the try goes
// on waiting until its timeout. The sample with the smallest delay wins.
//
// Reused by `rtcal ntp`, `rtcal set --from-ntp` and `rtcal measure --ntp`.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock_types.h"
#include "base/result.h"
#include "src/ntp/checks.h"

namespace rtcal::ntp {

inline constexpr uint16_t kDefaultPort = 123;
inline constexpr int kMaxSamples = 16;

// "host", "host:port", "[v6]:port", "[v6]" or a bare IPv6 address ("::1").
struct ServerSpec {
  std::string host;
  uint16_t port = kDefaultPort;
};

// A usage error naming `text` when it is not one of the forms above.
Result<ServerSpec> parse_server(std::string_view text);

struct QueryOptions {
  int samples = 4;                                   // requests per server, 1-16
  Nanos try_timeout = std::chrono::seconds(1);       // wait per request
  Nanos deadline = std::chrono::seconds(5);          // for the whole call
  Nanos spacing = std::chrono::milliseconds(25);     // after a good reply (listening for duplicates)
  int max_silent_tries = 2;  // give a server up after this many tries in a row without a good reply
};

// Usage errors for out-of-range options (samples 1-16, timeouts > 0).
Status validate(const QueryOptions& options);

// One good exchange.
struct NtpSample {
  double offset_s = 0;  // server minus local
  double delay_s = 0;
};

// The outcome of asking one server: the sample with the smallest delay.
struct NtpMeasurement {
  std::string server;       // as given on the command line
  std::string address;      // numeric, "127.0.0.1:123" or "[::1]:123"
  Nanos offset{0};          // server minus local: ADD it to the local clock
  double offset_s = 0;      // the same in seconds
  double delay_s = 0;       // round-trip delay δ
  double error_bound_s = 0; // δ/2 + root delay/2 + root dispersion + 2^precision (packet.h)
  double root_delay_s = 0;
  double root_dispersion_s = 0;
  int stratum = 0;
  std::string refid;        // "LOCL", "192.0.2.1"
  int leap = 0;             // LI 0-2 (3 is refused)
  int version = 0;
  int precision = 0;        // log2 s
  SysTime server_time;      // T3: the server's transmit time (era-resolved)
  SysTime local_time;       // T4: our receive time of the same sample
  std::vector<NtpSample> samples;  // every good sample, in the order taken
};

// Everything that happened with one server.
struct ServerReport {
  std::string server;                          // as given
  std::string address;                         // numeric, once resolved
  std::optional<NtpMeasurement> measurement;   // set when at least one sample was good
  std::optional<Error> failure;                // set when none was (names the rule)
  std::vector<Error> ignored;                  // each reply that was ignored, and why
};

// Ask the servers in order. Without `all` the first one that gives a good
// sample wins and the rest are not asked; with `all` every one is asked.
// All share options.deadline. Returns one report per server asked.
std::vector<ServerReport> query_servers(const std::vector<std::string>& servers,
                                        const QueryOptions& options, bool all);

// The first good measurement, or the last server's failure. The ignored
// replies of every server asked are appended to *ignored when given.
Result<NtpMeasurement> measure_offset(const std::vector<std::string>& servers,
                                      const QueryOptions& options,
                                      std::vector<Error>* ignored = nullptr);

}  // namespace rtcal::ntp

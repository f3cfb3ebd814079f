// Every test a server's reply must pass before rtcal believes its time, one
// named function per rule of RFC 5905 / RFC 4330 (REFERENCE.md §5), and
// check_reply() that runs them in order and names the first one that fails.
// Pure: the client passes in what it saw on the socket.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "src/ntp/packet.h"

namespace rtcal::ntp {

// The rules, in the order check_reply() applies them. Each value's comment
// names the RFC text it enforces.
enum class Rule {
  ok,
  source_address,           // RFC 4330 §5 / RFC 5905 §9.1: from the address and port we sent to
  length,                   // RFC 5905 §7.3: a header is 48 bytes
  mode_server,              // RFC 4330 §5: the mode of a reply is 4 (server)
  version_range,            // RFC 4330 §5: VN 1-4
  origin_matches,           // RFC 5905 §8 (TEST2 "bogus"): origin echoes our transmit nonce
  duplicate,                // RFC 5905 §8 (TEST1 "duplicate"): the same reply seen twice
  kiss_deny,                // RFC 5905 §7.4 KoD DENY/RSTR: stop asking this server
  kiss_rate,                // RFC 5905 §7.4 KoD RATE: back off
  kiss_other,               // RFC 5905 §7.4: stratum 0 carries no time (other or no code)
  transmit_nonzero,         // RFC 4330 §5: a zero transmit timestamp is no answer
  stratum_synchronised,     // RFC 5905 §7.3: stratum 1-15; 16 = unsynchronised
  leap_not_alarm,           // RFC 5905 §7.3 / RFC 4330 §5: LI 3 = clock not synchronised
  receive_before_transmit,  // RFC 5905 §8: the server received (T2) before it sent (T3)
  root_plausible,           // RFC 5905 §7.3 MAXDISP: root delay and dispersion < 16 s
  delay_nonnegative,        // RFC 5905 §8: round-trip delay δ >= 0
  root_distance,            // RFC 5905 §11.2 MAXDIST: root distance <= 1 s
};

// What a rule requires, its RFC section, and what a user can do when it fails.
struct RuleText {
  const char* name;         // "origin_matches": stable, for --json and tests
  const char* rfc;          // "RFC 5905 §8 TEST2"
  const char* requirement;  // "the originate timestamp must echo our request"
  const char* fix;          // what to do about it
};
const RuleText& describe(Rule rule);

// --- the rules one by one (true = passes) ----------------------------------
bool check_source_address(const std::string& sent_to, const std::string& came_from);
bool check_length(std::size_t bytes);
bool check_mode_server(const Packet& reply);
bool check_version_range(const Packet& reply);
bool check_origin_matches(const Packet& reply, uint64_t nonce);
bool check_transmit_nonzero(const Packet& reply);
bool check_stratum_synchronised(const Packet& reply);  // 1-15 (0 is a kiss, see below)
bool check_leap_not_alarm(const Packet& reply);
bool check_receive_before_transmit(SysTime t2, SysTime t3);
bool check_root_plausible(const Packet& reply);
bool check_delay_nonnegative(Nanos delay);
bool check_root_distance(const Packet& reply, double delay_s);

// The kiss code of a stratum-0 reply: DENY/RSTR, RATE, or another code.
Rule kiss_rule(const Packet& reply);

// Everything the client saw of one datagram.
struct Received {
  std::string sent_to;     // "127.0.0.1:123", as the request's destination
  std::string came_from;   // the datagram's source, same format
  std::size_t bytes = 0;
  std::optional<Packet> packet;  // decoded when bytes >= 48
  uint64_t nonce = 0;      // our request's transmit timestamp
  SysTime t1;              // our send time
  SysTime t4;              // our receive time
};

// The verdict on a reply: the first rule it fails (Rule::ok if none) with the
// numbers that failed it, and the sample it gives when it passes.
struct Verdict {
  Rule rule = Rule::ok;
  std::string detail;      // "origin 0x... is not our nonce 0x..."
  OffsetDelay sample;      // valid when rule == ok
  SysTime t2, t3;          // the server's times (era-resolved near t4)
};
Verdict check_reply(const Received& r);

}  // namespace rtcal::ntp

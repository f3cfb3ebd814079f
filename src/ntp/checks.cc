// The reply rules of RFC 5905 / RFC 4330, one function each, and the order
// they are applied in. Pure.
#include "src/ntp/checks.h"

#include <cinttypes>
#include <cstdio>

namespace rtcal::ntp {
namespace {

std::string hex64(uint64_t v) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%016" PRIx64, v);
  return text;
}

std::string seconds_text(double s) {
  char text[40];
  std::snprintf(text, sizeof text, "%.6f s", s);
  return text;
}

Verdict fail(Rule rule, std::string detail) {
  Verdict v;
  v.rule = rule;
  v.detail = std::move(detail);
  return v;
}

// The checks that need only the header, before any arithmetic.
std::optional<Verdict> check_header(const Received& r, const Packet& p) {
  if (!check_mode_server(p))
    return fail(Rule::mode_server, "mode " + std::to_string(p.mode) + ", not 4 (server)");
  if (!check_version_range(p))
    return fail(Rule::version_range, "version " + std::to_string(p.version) + ", not 1-4");
  if (!check_origin_matches(p, r.nonce))
    return fail(Rule::origin_matches,
                "origin " + hex64(p.origin.raw) + " is not our request's " + hex64(r.nonce));
  if (p.stratum == 0) {
    const std::string code = format_refid(0, p.reference_id);
    return fail(kiss_rule(p), "stratum 0, kiss code '" + code + "'");
  }
  if (!check_transmit_nonzero(p)) return fail(Rule::transmit_nonzero, "transmit timestamp is 0");
  if (!check_stratum_synchronised(p))
    return fail(Rule::stratum_synchronised, "stratum " + std::to_string(p.stratum));
  if (!check_leap_not_alarm(p)) return fail(Rule::leap_not_alarm, "leap indicator 3");
  return std::nullopt;
}

}  // namespace

const RuleText& describe(Rule rule) {
  static const RuleText texts[] = {
      {"ok", "", "", ""},
      {"source_address", "RFC 4330 §5", "a reply must come from the address and port the request went to",
       "a stray or spoofed packet; if it repeats, check NAT or the server's address"},
      {"length", "RFC 5905 §7.3", "a reply must be at least 48 bytes",
       "this is not an NTP server; check the host and port"},
      {"mode_server", "RFC 4330 §5", "a reply must have mode 4 (server)",
       "this is not an NTP server's answer (an echo or a client?); check the host and port"},
      {"version_range", "RFC 4330 §5", "a reply must have version 1-4",
       "the server speaks an unknown NTP version; use another server"},
      {"origin_matches", "RFC 5905 §8 TEST2 (bogus)",
       "a reply's originate timestamp must echo our request's transmit nonce",
       "a stale, replayed or spoofed reply; if it repeats, use another server"},
      {"duplicate", "RFC 5905 §8 TEST1 (duplicate)", "each request is answered once",
       "ignored; the first copy was used"},
      {"kiss_deny", "RFC 5905 §7.4 (Kiss-o'-Death DENY/RSTR)", "the server refuses us",
       "stop asking this server: remove it from your list"},
      {"kiss_rate", "RFC 5905 §7.4 (Kiss-o'-Death RATE)", "the server asks us to slow down",
       "wait at least a minute before asking it again, or use another server"},
      {"kiss_other", "RFC 5905 §7.4 (stratum 0)", "a stratum-0 reply carries no time",
       "the server is not synchronised yet; try again later or use another server"},
      {"transmit_nonzero", "RFC 4330 §5", "a reply's transmit timestamp must not be 0",
       "the server is broken; use another server"},
      {"stratum_synchronised", "RFC 5905 §7.3", "stratum must be 1-15 (16 = unsynchronised)",
       "the server has no time source; try again later or use another server"},
      {"leap_not_alarm", "RFC 5905 §7.3", "leap indicator 3 means the server is not synchronised",
       "the server has no time source; try again later or use another server"},
      {"receive_before_transmit", "RFC 5905 §8", "the server must receive (T2) before it transmits (T3)",
       "the server's timestamps are broken; use another server"},
      {"root_plausible", "RFC 5905 §7.3 (MAXDISP 16 s)", "root delay and root dispersion must be under 16 s",
       "the server's header is nonsense; use another server"},
      {"delay_nonnegative", "RFC 5905 §8", "the round-trip delay must not be negative",
       "the server's timestamps are inconsistent; use another server"},
      {"root_distance", "RFC 5905 §11.2 (MAXDIST 1 s)",
       "root distance (root delay/2 + root dispersion + delay/2) must be at most 1 s",
       "the server is too far from a good time source; use a closer server"},
  };
  return texts[static_cast<int>(rule)];
}

bool check_source_address(const std::string& sent_to, const std::string& came_from) {
  return sent_to == came_from;
}
bool check_length(std::size_t bytes) { return bytes >= kPacketBytes; }
bool check_mode_server(const Packet& reply) { return reply.mode == kModeServer; }
bool check_version_range(const Packet& reply) { return reply.version >= 1 && reply.version <= 4; }
bool check_origin_matches(const Packet& reply, uint64_t nonce) { return reply.origin.raw == nonce; }
bool check_transmit_nonzero(const Packet& reply) { return !reply.transmit.is_zero(); }
bool check_stratum_synchronised(const Packet& reply) {
  return reply.stratum >= 1 && reply.stratum <= 15;
}
bool check_leap_not_alarm(const Packet& reply) { return reply.leap != kLeapUnsynchronised; }
bool check_receive_before_transmit(SysTime t2, SysTime t3) { return t2 <= t3; }
bool check_root_plausible(const Packet& reply) {
  return short_to_s(reply.root_delay) < kMaxRootValue_s &&
         short_to_s(reply.root_dispersion) < kMaxRootValue_s;
}
bool check_delay_nonnegative(Nanos delay) { return delay >= Nanos(0); }
bool check_root_distance(const Packet& reply, double delay_s) {
  return root_distance_s(reply, delay_s) <= kMaxRootDistance_s;
}

Rule kiss_rule(const Packet& reply) {
  const std::string code = format_refid(0, reply.reference_id);
  if (code == "DENY" || code == "RSTR") return Rule::kiss_deny;
  if (code == "RATE") return Rule::kiss_rate;
  return Rule::kiss_other;
}

Verdict check_reply(const Received& r) {
  if (!check_source_address(r.sent_to, r.came_from))
    return fail(Rule::source_address, "from " + r.came_from + ", not " + r.sent_to);
  if (!check_length(r.bytes) || !r.packet)
    return fail(Rule::length, std::to_string(r.bytes) + " bytes, not at least 48");
  const Packet& p = *r.packet;
  if (auto bad = check_header(r, p)) return *bad;

  Verdict v;
  v.t2 = from_ntp(p.receive, r.t4);
  v.t3 = from_ntp(p.transmit, r.t4);
  if (!check_receive_before_transmit(v.t2, v.t3))
    return fail(Rule::receive_before_transmit,
                "T3 is " + seconds_text(to_seconds(v.t2 - v.t3)) + " before T2");
  if (!check_root_plausible(p))
    return fail(Rule::root_plausible, "root delay " + seconds_text(short_to_s(p.root_delay)) +
                                          ", root dispersion " +
                                          seconds_text(short_to_s(p.root_dispersion)));
  v.sample = offset_and_delay(r.t1, v.t2, v.t3, r.t4);
  if (!check_delay_nonnegative(v.sample.delay))
    return fail(Rule::delay_nonnegative, "delay " + seconds_text(to_seconds(v.sample.delay)));
  const double delay_s = to_seconds(v.sample.delay);
  if (!check_root_distance(p, delay_s))
    return fail(Rule::root_distance,
                "root distance " + seconds_text(root_distance_s(p, delay_s)));
  return v;
}

}  // namespace rtcal::ntp

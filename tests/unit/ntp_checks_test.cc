// src/ntp/checks: every reply rule, each broken on its own in an otherwise
// good reply, must be the rule check_reply() names; and server specs.
#include "src/ntp/checks.h"

#include <doctest/doctest.h>

#include "src/ntp/client.h"

using namespace rtcal;
using namespace rtcal::ntp;

namespace {

constexpr uint64_t kNonce = 0x1122334455667788ULL;
const SysTime kT1 = SysTime(Nanos(1'795'427'168'000'000'000));

// A good exchange: server 2.5 s ahead, 1 ms each way, 0.1 ms inside the server.
Received good_exchange() {
  Packet p;
  p.leap = 0;
  p.version = 4;
  p.mode = kModeServer;
  p.stratum = 2;
  p.precision = -20;
  p.root_delay = 0x00000100;       // ~3.9 ms
  p.root_dispersion = 0x00000200;  // ~7.8 ms
  p.reference_id = 0xc0000201;
  p.origin.raw = kNonce;
  const SysTime t2 = kT1 + Nanos(2'500'000'000) + Nanos(1'000'000);
  const SysTime t3 = t2 + Nanos(100'000);
  p.receive = to_ntp(t2);
  p.transmit = to_ntp(t3);
  Received r;
  r.sent_to = r.came_from = "127.0.0.1:123";
  r.bytes = kPacketBytes;
  r.packet = p;
  r.nonce = kNonce;
  r.t1 = kT1;
  r.t4 = t3 - Nanos(2'500'000'000) + Nanos(1'000'000);
  return r;
}

Rule rule_of(const Received& r) { return check_reply(r).rule; }

}  // namespace

TEST_CASE("ntp: a good reply passes and gives the right sample") {
  const Verdict v = check_reply(good_exchange());
  REQUIRE(v.rule == Rule::ok);
  CHECK(std::abs((v.sample.offset - Nanos(2'500'000'000)).count()) <= 1);
  CHECK(std::abs((v.sample.delay - Nanos(2'000'000)).count()) <= 1);
}

TEST_CASE("ntp: rule source_address (RFC 4330 §5)") {
  Received r = good_exchange();
  r.came_from = "127.0.0.1:124";
  CHECK(rule_of(r) == Rule::source_address);
  CHECK(check_reply(r).detail == "from 127.0.0.1:124, not 127.0.0.1:123");
  CHECK_FALSE(check_source_address("[::1]:123", "127.0.0.1:123"));
}

TEST_CASE("ntp: rule length (48 bytes)") {
  Received r = good_exchange();
  r.bytes = 47;
  r.packet.reset();
  CHECK(rule_of(r) == Rule::length);
  CHECK(check_length(48));
  CHECK_FALSE(check_length(47));
}

TEST_CASE("ntp: rule mode_server") {
  for (int mode : {0, 1, 2, 3, 5, 6, 7}) {
    Received r = good_exchange();
    r.packet->mode = mode;
    CHECK(rule_of(r) == Rule::mode_server);
  }
}

TEST_CASE("ntp: rule version_range (1-4)") {
  for (int version : {0, 5, 6, 7}) {
    Received r = good_exchange();
    r.packet->version = version;
    CHECK(rule_of(r) == Rule::version_range);
  }
  for (int version : {1, 2, 3, 4}) {
    Received r = good_exchange();
    r.packet->version = version;
    CHECK(rule_of(r) == Rule::ok);
  }
}

TEST_CASE("ntp: rule origin_matches (TEST2 bogus)") {
  Received r = good_exchange();
  r.packet->origin.raw = kNonce + 1;
  CHECK(rule_of(r) == Rule::origin_matches);
  CHECK(check_reply(r).detail ==
        "origin 0x1122334455667789 is not our request's 0x1122334455667788");
}

TEST_CASE("ntp: rule transmit_nonzero") {
  Received r = good_exchange();
  r.packet->transmit.raw = 0;
  CHECK(rule_of(r) == Rule::transmit_nonzero);
}

TEST_CASE("ntp: kiss codes DENY, RSTR, RATE and stratum 0 without a known code") {
  const auto kiss = [](uint32_t code) {
    Received r = good_exchange();
    r.packet->stratum = 0;
    r.packet->reference_id = code;
    return rule_of(r);
  };
  CHECK(kiss(0x44454e59) == Rule::kiss_deny);   // DENY
  CHECK(kiss(0x52535452) == Rule::kiss_deny);   // RSTR
  CHECK(kiss(0x52415445) == Rule::kiss_rate);   // RATE
  CHECK(kiss(0) == Rule::kiss_other);           // no code
  CHECK(kiss(0x494e4954) == Rule::kiss_other);  // INIT
}

TEST_CASE("ntp: a kiss must still echo our nonce to count") {
  Received r = good_exchange();
  r.packet->stratum = 0;
  r.packet->reference_id = 0x44454e59;
  r.packet->origin.raw = 0;
  CHECK(rule_of(r) == Rule::origin_matches);
}

TEST_CASE("ntp: rule stratum_synchronised (1-15)") {
  for (int stratum : {16, 17, 255}) {
    Received r = good_exchange();
    r.packet->stratum = stratum;
    CHECK(rule_of(r) == Rule::stratum_synchronised);
  }
  Received r = good_exchange();
  r.packet->stratum = 15;
  CHECK(rule_of(r) == Rule::ok);
}

TEST_CASE("ntp: rule leap_not_alarm (LI 3)") {
  Received r = good_exchange();
  r.packet->leap = 3;
  CHECK(rule_of(r) == Rule::leap_not_alarm);
  r.packet->leap = 1;  // a leap second warning is fine
  CHECK(rule_of(r) == Rule::ok);
}

TEST_CASE("ntp: rule receive_before_transmit (T2 <= T3)") {
  Received r = good_exchange();
  std::swap(r.packet->receive, r.packet->transmit);
  CHECK(rule_of(r) == Rule::receive_before_transmit);
}

TEST_CASE("ntp: rule root_plausible (MAXDISP 16 s)") {
  Received r = good_exchange();
  r.packet->root_delay = 16u << 16;
  CHECK(rule_of(r) == Rule::root_plausible);
  r = good_exchange();
  r.packet->root_dispersion = 0xffffffffU;
  CHECK(rule_of(r) == Rule::root_plausible);
}

TEST_CASE("ntp: rule delay_nonnegative") {
  Received r = good_exchange();
  // The server claims to have spent 3 ms inside, longer than the 2.1 ms round trip.
  r.packet->transmit = to_ntp(from_ntp(r.packet->receive, r.t4) + Nanos(3'000'000));
  CHECK(rule_of(r) == Rule::delay_nonnegative);
  CHECK(check_delay_nonnegative(Nanos(0)));
  CHECK_FALSE(check_delay_nonnegative(Nanos(-1)));
}

TEST_CASE("ntp: rule root_distance (MAXDIST 1 s)") {
  Received r = good_exchange();
  r.packet->root_dispersion = 0x00010000;  // 1 s, plus delay/2 and root delay/2
  CHECK(rule_of(r) == Rule::root_distance);
  r.packet->root_dispersion = 0x0000f000;  // 0.9375 s: still within 1 s
  CHECK(rule_of(r) == Rule::ok);
}

TEST_CASE("ntp: every rule has a name, an RFC reference and a fix") {
  for (int i = 1; i <= static_cast<int>(Rule::root_distance); ++i) {
    const RuleText& t = describe(static_cast<Rule>(i));
    CHECK(std::string(t.rfc).starts_with("RFC "));
    CHECK(std::string(t.fix).size() > 5);
  }
}

TEST_CASE("ntp: server specs") {
  const auto spec = [](const char* text) { return parse_server(text); };
  CHECK(spec("pool.ntp.org")->host == "pool.ntp.org");
  CHECK(spec("pool.ntp.org")->port == 123);
  CHECK(spec("127.0.0.1:11123")->port == 11123);
  CHECK(spec("[::1]:11123")->host == "::1");
  CHECK(spec("[::1]:11123")->port == 11123);
  CHECK(spec("[::1]")->port == 123);
  CHECK(spec("::1")->host == "::1");
  CHECK(spec("2001:db8::1")->port == 123);
  CHECK_FALSE(spec("host:").ok());
  CHECK_FALSE(spec("host:0").ok());
  CHECK_FALSE(spec("host:65536").ok());
  CHECK_FALSE(spec("host:12x").ok());
  CHECK_FALSE(spec("[::1").ok());
  CHECK_FALSE(spec("[::1]x").ok());
  CHECK_FALSE(spec(":123").ok());
  CHECK(spec("host:x").error().kind == ErrorKind::usage);
}

TEST_CASE("ntp: query options are bounded") {
  QueryOptions o;
  CHECK(validate(o).ok());
  o.samples = 17;
  CHECK(validate(o).error().kind == ErrorKind::usage);
  o.samples = 0;
  CHECK_FALSE(validate(o).ok());
  o.samples = 16;
  o.try_timeout = Nanos(0);
  CHECK_FALSE(validate(o).ok());
}

// src/ntp/packet: the wire format byte by byte, NTP timestamps and the era
// rule on both sides of 2036-02-07, and the offset/delay arithmetic.
#include "src/ntp/packet.h"

#include <random>

#include <doctest/doctest.h>

using namespace rtcal;
using namespace rtcal::ntp;

namespace {
SysTime unix_ns(int64_t ns) { return SysTime(Nanos(ns)); }
SysTime unix_s(int64_t s) { return unix_ns(s * 1'000'000'000); }
// The first second of NTP era 1: 2036-02-07 06:28:16 UTC.
constexpr int64_t kEra1Unix_s = (int64_t{1} << 32) - kNtpToUnix_s;
}  // namespace

TEST_CASE("ntp: a request is LI 0, VN 4, mode 3, zeros and the nonce") {
  const auto b = encode(make_request(0x0123456789abcdefULL));
  CHECK(b[0] == 0x23);
  for (std::size_t i = 1; i < 40; ++i) CHECK(b[i] == 0);
  const uint8_t nonce[8] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
  for (std::size_t i = 0; i < 8; ++i) CHECK(b[40 + i] == nonce[i]);
}

TEST_CASE("ntp: decode reads every field big-endian") {
  std::array<uint8_t, 52> b{};  // 4 extra bytes are ignored
  b[0] = 0x64;                  // LI 1, VN 4, mode 4
  b[1] = 2;
  b[2] = 6;
  b[3] = 0xec;  // precision -20
  b[4] = 0x00; b[5] = 0x01; b[6] = 0x80; b[7] = 0x00;      // root delay 1.5 s
  b[8] = 0x00; b[9] = 0x00; b[10] = 0x40; b[11] = 0x00;    // root dispersion 0.25 s
  b[12] = 192; b[13] = 0; b[14] = 2; b[15] = 1;            // refid 192.0.2.1
  for (int i = 0; i < 8; ++i) {
    b[16 + i] = static_cast<uint8_t>(0x10 + i);
    b[24 + i] = static_cast<uint8_t>(0x20 + i);
    b[32 + i] = static_cast<uint8_t>(0x30 + i);
    b[40 + i] = static_cast<uint8_t>(0x40 + i);
  }
  const auto p = decode(b);
  REQUIRE(p.has_value());
  CHECK(p->leap == 1);
  CHECK(p->version == 4);
  CHECK(p->mode == 4);
  CHECK(p->stratum == 2);
  CHECK(p->poll == 6);
  CHECK(p->precision == -20);
  CHECK(short_to_s(p->root_delay) == 1.5);
  CHECK(short_to_s(p->root_dispersion) == 0.25);
  CHECK(format_refid(p->stratum, p->reference_id) == "192.0.2.1");
  CHECK(p->reference.raw == 0x1011121314151617ULL);
  CHECK(p->origin.raw == 0x2021222324252627ULL);
  CHECK(p->receive.raw == 0x3031323334353637ULL);
  CHECK(p->transmit.raw == 0x4041424344454647ULL);
  const auto again = encode(*p);
  for (std::size_t i = 0; i < 48; ++i) CHECK(again[i] == b[i]);
}

TEST_CASE("ntp: decode refuses a datagram shorter than 48 bytes") {
  std::array<uint8_t, 47> b{};
  CHECK_FALSE(decode(b).has_value());
}

TEST_CASE("ntp: encode and decode round trip over random packets") {
  const unsigned seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  for (int i = 0; i < 1000; ++i) {
    Packet p;
    p.leap = static_cast<int>(rng() % 4);
    p.version = static_cast<int>(rng() % 8);
    p.mode = static_cast<int>(rng() % 8);
    p.stratum = static_cast<int>(rng() % 256);
    p.poll = static_cast<int>(rng() % 256) - 128;
    p.precision = static_cast<int>(rng() % 256) - 128;
    p.root_delay = static_cast<uint32_t>(rng());
    p.root_dispersion = static_cast<uint32_t>(rng());
    p.reference_id = static_cast<uint32_t>(rng());
    p.reference.raw = rng();
    p.origin.raw = rng();
    p.receive.raw = rng();
    p.transmit.raw = rng();
    const auto bytes = encode(p);
    const auto back = decode(bytes);
    REQUIRE(back.has_value());
    REQUIRE(*back == p);
  }
}

TEST_CASE("ntp: timestamps of known times") {
  CHECK(to_ntp(unix_s(0)).seconds() == 2208988800U);
  CHECK(to_ntp(unix_s(0)).fraction() == 0);
  CHECK(to_ntp(unix_ns(500'000'000)).fraction() == 0x80000000U);
  CHECK(to_ntp(unix_ns(250'000'000)).fraction() == 0x40000000U);
  CHECK(to_ntp(unix_s(kEra1Unix_s)).raw == 0);  // era 1 starts at NTP 0
  CHECK(to_ntp(unix_s(kEra1Unix_s - 1)).seconds() == 0xffffffffU);
}

TEST_CASE("ntp: era rule across the 2036 rollover, both sides") {
  const SysTime before = unix_s(kEra1Unix_s - 10);
  const SysTime after = unix_s(kEra1Unix_s + 10);
  // Local clock just before the rollover, server just after (seconds field 5).
  CHECK(from_ntp(NtpTimestamp{uint64_t{5} << 32}, before) == unix_s(kEra1Unix_s + 5));
  // Local clock just after, server just before (seconds field 2^32 - 16).
  CHECK(from_ntp(NtpTimestamp{uint64_t{0xfffffff0U} << 32}, after) == unix_s(kEra1Unix_s - 16));
  // A server in era 1 seen from 2026: 2036-03-01 00:00:00 UTC, ten years ahead.
  const int64_t march_2036 = 2087942400;
  CHECK(from_ntp(to_ntp(unix_s(march_2036)), unix_s(1795427168)) == unix_s(march_2036));
  // And a 1990 server time seen from 2040 is still read as 1990 (within 68 years).
  CHECK(from_ntp(to_ntp(unix_s(631152000)), unix_s(2208988800)) == unix_s(631152000));
}

TEST_CASE("ntp: from_ntp(to_ntp(t), near) == t within 1 ns for |t - near| < 68 years") {
  const unsigned seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int64_t> when(-2'000'000'000'000'000'000LL, 4'000'000'000'000'000'000LL);
  std::uniform_int_distribution<int64_t> apart(-2'100'000'000'000'000'000LL, 2'100'000'000'000'000'000LL);
  for (int i = 0; i < 10000; ++i) {
    const SysTime t = unix_ns(when(rng));
    const SysTime near = t + Nanos(apart(rng));
    const Nanos error = from_ntp(to_ntp(t), near) - t;
    REQUIRE(error <= Nanos(1));
    REQUIRE(error >= Nanos(-1));
  }
}

TEST_CASE("ntp: offset and delay of known exchanges") {
  // T1 = 0 s, T2 = 10.5 s, T3 = 10.6 s, T4 = 0.3 s.
  const auto a = offset_and_delay(unix_s(0), unix_ns(10'500'000'000), unix_ns(10'600'000'000),
                                  unix_ns(300'000'000));
  CHECK(a.offset == Nanos(10'400'000'000));
  CHECK(a.delay == Nanos(200'000'000));
  // Server 123.456 s ahead, 30 ms up and 10 ms down, 1 ms in the server:
  // the asymmetry shifts θ by (30 - 10)/2 = +10 ms, as the formula says.
  const SysTime t1 = unix_s(1'795'427'168);
  const SysTime t2 = t1 + Nanos(123'456'000'000) + Nanos(30'000'000);
  const SysTime t3 = t2 + Nanos(1'000'000);
  const SysTime t4 = t3 - Nanos(123'456'000'000) + Nanos(10'000'000);
  const auto b = offset_and_delay(t1, t2, t3, t4);
  CHECK(b.offset == Nanos(123'466'000'000));
  CHECK(b.delay == Nanos(40'000'000));
  // Nanoseconds survive offsets of decades (no double in the arithmetic).
  const auto c = offset_and_delay(unix_s(0), unix_ns(1'000'000'000'000'000'001),
                                  unix_ns(1'000'000'000'000'000'003), unix_ns(4));
  CHECK(c.offset == Nanos(1'000'000'000'000'000'000));
  CHECK(c.delay == Nanos(2));
}

TEST_CASE("ntp: error bound and root distance follow the documented formula") {
  Packet p;
  p.root_delay = 0x00008000;       // 0.5 s
  p.root_dispersion = 0x00004000;  // 0.25 s
  p.precision = -10;
  CHECK(root_distance_s(p, 0.2) == doctest::Approx(0.1 + 0.25 + 0.25));
  CHECK(error_bound_s(p, 0.2) == doctest::Approx(0.6 + 1.0 / 1024));
}

TEST_CASE("ntp: reference ids and leap words") {
  CHECK(format_refid(1, 0x47505300) == "GPS");
  CHECK(format_refid(1, 0x4c4f434c) == "LOCL");
  CHECK(format_refid(0, 0x44454e59) == "DENY");
  CHECK(format_refid(1, 0x7f7f0101) == "127.127.1.1");
  CHECK(format_refid(3, 0x4c4f434c) == "76.79.67.76");
  CHECK(format_refid(0, 0) == "0.0.0.0");
  CHECK(leap_meaning(0) == "no warning");
  CHECK(leap_meaning(3) == "unsynchronised (alarm)");
}

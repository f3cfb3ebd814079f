// The SNTP wire format, timestamps with the era rule, and the offset/delay
// arithmetic. Pure: no clock, no socket.
#include "src/ntp/packet.h"

#include <cctype>
#include <cmath>
#include <cstdio>

namespace rtcal::ntp {
namespace {

constexpr int64_t kNanosPerSecond = 1'000'000'000;
constexpr uint64_t kTwoTo32 = uint64_t{1} << 32;

void put32(uint8_t* at, uint32_t v) {
  at[0] = static_cast<uint8_t>(v >> 24);
  at[1] = static_cast<uint8_t>(v >> 16);
  at[2] = static_cast<uint8_t>(v >> 8);
  at[3] = static_cast<uint8_t>(v);
}

void put64(uint8_t* at, uint64_t v) {
  put32(at, static_cast<uint32_t>(v >> 32));
  put32(at + 4, static_cast<uint32_t>(v));
}

uint32_t get32(const uint8_t* at) {
  return (uint32_t{at[0]} << 24) | (uint32_t{at[1]} << 16) | (uint32_t{at[2]} << 8) |
         uint32_t{at[3]};
}

uint64_t get64(const uint8_t* at) { return (uint64_t{get32(at)} << 32) | get32(at + 4); }

// A signed byte as the wire holds it (two's complement).
int signed_byte(uint8_t b) { return b < 128 ? b : b - 256; }

// A signed count of 2^-32 s in nanoseconds, rounded to nearest.
int64_t fixed32_to_ns(int64_t units) {
  const int64_t whole_s = units >> 32;  // floor (arithmetic shift, C++20)
  const uint64_t frac = static_cast<uint64_t>(units) & 0xffffffffULL;
  const uint64_t frac_ns = (frac * kNanosPerSecond + (kTwoTo32 >> 1)) >> 32;
  return whole_s * kNanosPerSecond + static_cast<int64_t>(frac_ns);
}

}  // namespace

Packet make_request(uint64_t nonce) {
  Packet p;
  p.leap = 0;
  p.version = 4;
  p.mode = kModeClient;
  p.transmit.raw = nonce;
  return p;
}

std::array<uint8_t, kPacketBytes> encode(const Packet& p) {
  std::array<uint8_t, kPacketBytes> b{};
  b[0] = static_cast<uint8_t>(((p.leap & 3) << 6) | ((p.version & 7) << 3) | (p.mode & 7));
  b[1] = static_cast<uint8_t>(p.stratum);
  b[2] = static_cast<uint8_t>(p.poll);
  b[3] = static_cast<uint8_t>(p.precision);
  put32(&b[4], p.root_delay);
  put32(&b[8], p.root_dispersion);
  put32(&b[12], p.reference_id);
  put64(&b[16], p.reference.raw);
  put64(&b[24], p.origin.raw);
  put64(&b[32], p.receive.raw);
  put64(&b[40], p.transmit.raw);
  return b;
}

std::optional<Packet> decode(std::span<const uint8_t> bytes) {
  if (bytes.size() < kPacketBytes) return std::nullopt;
  const uint8_t* b = bytes.data();
  Packet p;
  p.leap = b[0] >> 6;
  p.version = (b[0] >> 3) & 7;
  p.mode = b[0] & 7;
  p.stratum = b[1];
  p.poll = signed_byte(b[2]);
  p.precision = signed_byte(b[3]);
  p.root_delay = get32(b + 4);
  p.root_dispersion = get32(b + 8);
  p.reference_id = get32(b + 12);
  p.reference.raw = get64(b + 16);
  p.origin.raw = get64(b + 24);
  p.receive.raw = get64(b + 32);
  p.transmit.raw = get64(b + 40);
  return p;
}

double short_to_s(uint32_t value) { return static_cast<double>(value) / 65536.0; }

NtpTimestamp to_ntp(SysTime t) {
  const int64_t ns = t.time_since_epoch().count();
  const int64_t unix_s = floor_div(ns, kNanosPerSecond);
  const auto frac_ns = static_cast<uint64_t>(ns - unix_s * kNanosPerSecond);
  const auto seconds = static_cast<uint32_t>(static_cast<uint64_t>(unix_s + kNtpToUnix_s));
  const uint64_t fraction = ((frac_ns << 32) + kNanosPerSecond / 2) / kNanosPerSecond;
  return NtpTimestamp{(uint64_t{seconds} << 32) + fraction};
}

SysTime from_ntp(NtpTimestamp ts, SysTime near) {
  // The whole NTP seconds of `near`, not wrapped to an era. The signed 32-bit
  // difference to the wire's seconds is the one closest to zero, which is
  // exactly "the era that puts ts closest to near".
  const int64_t near_s =
      floor_div(near.time_since_epoch().count(), kNanosPerSecond) + kNtpToUnix_s;
  const auto step = static_cast<int32_t>(ts.seconds() - static_cast<uint32_t>(near_s));
  const int64_t ntp_s = near_s + step;
  const int64_t frac_ns = fixed32_to_ns(int64_t{ts.fraction()});
  return SysTime(Nanos((ntp_s - kNtpToUnix_s) * kNanosPerSecond + frac_ns));
}

OffsetDelay offset_and_delay(SysTime t1, SysTime t2, SysTime t3, SysTime t4) {
  const Nanos out = t2 - t1;   // request path + offset
  const Nanos back = t3 - t4;  // offset - reply path
  OffsetDelay r;
  r.offset = (out + back) / 2;
  r.delay = (t4 - t1) - (t3 - t2);
  return r;
}

double to_seconds(Nanos d) { return static_cast<double>(d.count()) / 1e9; }

double root_distance_s(const Packet& reply, double delay_s) {
  return delay_s / 2 + short_to_s(reply.root_delay) / 2 + short_to_s(reply.root_dispersion);
}

double error_bound_s(const Packet& reply, double delay_s) {
  return root_distance_s(reply, delay_s) + std::ldexp(1.0, reply.precision);
}

std::string format_refid(int stratum, uint32_t reference_id) {
  const uint8_t bytes[4] = {static_cast<uint8_t>(reference_id >> 24),
                            static_cast<uint8_t>(reference_id >> 16),
                            static_cast<uint8_t>(reference_id >> 8),
                            static_cast<uint8_t>(reference_id)};
  if (stratum <= 1) {
    std::string text;
    bool printable = bytes[0] != 0;
    for (uint8_t c : bytes) {
      if (c == 0) break;
      if (c < 0x20 || c > 0x7e) printable = false;
      text += static_cast<char>(c);
    }
    if (printable) return text;
  }
  char dotted[16];
  std::snprintf(dotted, sizeof dotted, "%u.%u.%u.%u", bytes[0], bytes[1], bytes[2], bytes[3]);
  return dotted;
}

std::string leap_meaning(int leap) {
  switch (leap) {
    case 0: return "no warning";
    case 1: return "last minute of the day has 61 s";
    case 2: return "last minute of the day has 59 s";
    default: return "unsynchronised (alarm)";
  }
}

}  // namespace rtcal::ntp

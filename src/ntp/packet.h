// The SNTP wire format and every rule a server's reply must pass, with no I/O:
// the 48-byte packet built and parsed byte by byte (big-endian), NTP
// timestamps to and from SysTime with the era rule, the offset/delay
// arithmetic, and one named check per RFC 5905 / RFC 4330 rule.
//
// Sign convention: offset = server minus local (+ = the local clock is slow;
// ADD the offset to the local clock to correct it).
//
// Error bound (documented here, used by the client and printed by `rtcal ntp`):
//   root_distance = delay/2 + root_delay/2 + root_dispersion     (RFC 5905 §11.2 λ,
//                   without the jitter term, which one SNTP exchange cannot know)
//   error_bound   = root_distance + 2^precision                  (server clock resolution)
// delay/2 bounds the path asymmetry of this exchange; root_delay/2 +
// root_dispersion is the server's own uncertainty towards its reference.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "base/clock_types.h"

namespace rtcal::ntp {

inline constexpr std::size_t kPacketBytes = 48;
// Seconds from 1900-01-01 (NTP era 0) to 1970-01-01 (the unix epoch).
inline constexpr int64_t kNtpToUnix_s = 2208988800LL;
// RFC 5905 §7.3 MAXDISP: a root delay or dispersion beyond this is nonsense.
inline constexpr double kMaxRootValue_s = 16.0;
// RFC 5905 §7.3 MAXDIST: a sample farther than this from the root is unusable.
inline constexpr double kMaxRootDistance_s = 1.0;

inline constexpr int kModeClient = 3;
inline constexpr int kModeServer = 4;
inline constexpr int kLeapUnsynchronised = 3;

// A 64-bit NTP timestamp: 32 bits of seconds since an era start (1900, 2036,
// ...) and 32 bits of binary fraction.
struct NtpTimestamp {
  uint64_t raw = 0;
  uint32_t seconds() const { return static_cast<uint32_t>(raw >> 32); }
  uint32_t fraction() const { return static_cast<uint32_t>(raw); }
  bool is_zero() const { return raw == 0; }
  friend bool operator==(const NtpTimestamp&, const NtpTimestamp&) = default;
};

// The header fields of RFC 5905 §7.3 (no extension fields, no MAC).
struct Packet {
  int leap = 0;          // LI, 0-3
  int version = 4;       // VN, 1-7 on the wire
  int mode = kModeClient;
  int stratum = 0;
  int poll = 0;          // log2 s, signed
  int precision = 0;     // log2 s, signed
  uint32_t root_delay = 0;       // NTP short format (16.16 s)
  uint32_t root_dispersion = 0;  // NTP short format (16.16 s)
  uint32_t reference_id = 0;
  NtpTimestamp reference, origin, receive, transmit;
  friend bool operator==(const Packet&, const Packet&) = default;
};

// The request of the data-minimisation draft: LI 0, VN 4, mode 3, every field
// zero except the transmit timestamp, which carries a random nonce.
Packet make_request(uint64_t nonce);

// The 48 bytes of a packet, big-endian.
std::array<uint8_t, kPacketBytes> encode(const Packet& p);

// The header of a datagram; nullopt when it is shorter than 48 bytes.
// Bytes past 48 (extension fields, MAC) are ignored.
std::optional<Packet> decode(std::span<const uint8_t> bytes);

// NTP short format (16.16) in seconds.
double short_to_s(uint32_t value);

// The NTP timestamp of a system time (the era is dropped, as on the wire).
NtpTimestamp to_ntp(SysTime t);

// The system time a timestamp names, taking the era that puts it closest to
// `near` (RFC 5905 §6): right within ±68 years of `near`, so a server in era 1
// (after 2036-02-07 06:28:16 UTC) is read correctly.
SysTime from_ntp(NtpTimestamp ts, SysTime near);

// θ and δ of one exchange, to the nanosecond.
//   T1 = our send time, T2 = server receive, T3 = server transmit, T4 = our receive
//   offset = ((T2 - T1) + (T3 - T4)) / 2     delay = (T4 - T1) - (T3 - T2)
struct OffsetDelay {
  Nanos offset{0};  // server minus local (rounded toward zero to 1 ns)
  Nanos delay{0};
};
OffsetDelay offset_and_delay(SysTime t1, SysTime t2, SysTime t3, SysTime t4);

double to_seconds(Nanos d);

// root_delay/2 + root_dispersion + delay/2 (see the file comment).
double root_distance_s(const Packet& reply, double delay_s);

// root_distance_s + 2^precision (see the file comment).
double error_bound_s(const Packet& reply, double delay_s);

// The reference id as people read it: four ASCII letters for stratum 0-1
// ("LOCL", "GPS", "DENY"), a dotted quad otherwise ("192.0.2.1").
std::string format_refid(int stratum, uint32_t reference_id);

// What LI means: "no warning", "last minute has 61 s", ...
std::string leap_meaning(int leap);

}  // namespace rtcal::ntp

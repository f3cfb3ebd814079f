// libFuzzer target: the NTP reply parser and its checks (src/ntp/packet.h,
// src/ntp/checks.h). The input is a datagram as a server could send it; the
// first 16 bytes (when present) choose our nonce and our send/receive times,
// so the origin check, the era rule and the delay arithmetic all see
// arbitrary values. Nothing may crash, leak or be undefined; a decoded
// packet must encode back to its first 48 bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>

#include "src/ntp/checks.h"
#include "src/ntp/packet.h"

namespace {

uint64_t take_u64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace ntp = rtcal::ntp;
  uint64_t nonce = 0x0123456789abcdefULL;
  int64_t t1_ns = int64_t{1795427168} * 1'000'000'000;
  int64_t rtt_ns = 2'000'000;
  if (size >= 16) {
    nonce = take_u64(data);
    const uint64_t times = take_u64(data + 8);
    // Any send time in 1970..2106 and a round trip of up to ~4.3 s.
    t1_ns = static_cast<int64_t>((times >> 32) * 1'000'000'000ULL + (times & 0xffff));
    rtt_ns = static_cast<int64_t>(times & 0xffffffffULL);
    data += 16;
    size -= 16;
  }
  const std::span<const uint8_t> bytes(data, size);
  ntp::Received r;
  r.sent_to = "127.0.0.1:123";
  r.came_from = "127.0.0.1:123";
  r.bytes = size;
  r.packet = ntp::decode(bytes);
  if (r.packet) {
    const auto encoded = ntp::encode(*r.packet);
    if (std::memcmp(encoded.data(), data, ntp::kPacketBytes) != 0) std::abort();
    (void)ntp::format_refid(r.packet->stratum, r.packet->reference_id);
    (void)ntp::leap_meaning(r.packet->leap);
  }
  r.nonce = nonce;
  r.t1 = rtcal::SysTime(rtcal::Nanos(t1_ns));
  r.t4 = rtcal::SysTime(rtcal::Nanos(t1_ns + rtt_ns));
  const ntp::Verdict v = ntp::check_reply(r);
  (void)ntp::describe(v.rule);
  if (v.rule == ntp::Rule::ok && r.packet) {
    (void)ntp::error_bound_s(*r.packet, ntp::to_seconds(v.sample.delay));
  }
  return 0;
}

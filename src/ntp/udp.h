// The Linux side of the SNTP client: name resolution, one UDP socket per
// request, sending, and receiving with the kernel's receive timestamp and the
// datagram's source. No NTP knowledge lives here.
//
// The socket is deliberately not connect()ed: a connected socket makes the
// kernel drop replies from another address or port silently, and rtcal wants
// to see them, name them and say why they were ignored (RFC 4330 §5). ICMP
// "port unreachable" still comes back through IP_RECVERR, so a server that is
// not running is reported at once instead of after a timeout.
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <vector>

#include "base/clock_types.h"
#include "base/result.h"

namespace rtcal::ntp {

// One resolved address of a server.
struct Endpoint {
  sockaddr_storage addr{};
  socklen_t length = 0;
  std::string text;  // "127.0.0.1:123", "[::1]:123"
};

// Every address of host:port (IPv4 and IPv6, the resolver's order).
// `object` names the server in the error.
Result<std::vector<Endpoint>> resolve(const std::string& host, uint16_t port,
                                      const std::string& object);

// "addr:port" or "[addr]:port" of a socket address.
std::string endpoint_text(const sockaddr* addr, socklen_t length);

// CLOCK_REALTIME (read only) and CLOCK_MONOTONIC.
SysTime realtime_now();
Nanos monotonic_now();

// A random 64-bit number from getrandom(2), never 0.
Result<uint64_t> random_nonce();

// A UDP socket for one request, closed when it goes out of scope.
class UdpSocket {
 public:
  // A socket of the endpoint's family with receive timestamps and ICMP errors on.
  static Result<UdpSocket> open(const Endpoint& to, const std::string& object);
  UdpSocket(UdpSocket&& other) noexcept;
  UdpSocket& operator=(UdpSocket&&) = delete;
  UdpSocket(const UdpSocket&) = delete;
  ~UdpSocket();

  // Send the whole datagram to the endpoint given to open().
  Status send(const uint8_t* data, std::size_t size);

  enum class Wait { datagram, timeout, port_unreachable };
  struct Datagram {
    std::vector<uint8_t> bytes;
    std::string from;       // endpoint_text of the source
    SysTime received;       // the kernel's timestamp, or CLOCK_REALTIME right after
    bool kernel_timestamp = false;
  };
  // Wait until a datagram arrives or CLOCK_MONOTONIC reaches `until`.
  Result<Wait> receive(Nanos until, Datagram& out);

 private:
  UdpSocket(int fd, const Endpoint& to, std::string object);
  Wait read_error_queue();

  int fd_ = -1;
  Endpoint to_;
  std::string object_;
};

}  // namespace rtcal::ntp

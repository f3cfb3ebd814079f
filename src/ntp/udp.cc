// UDP for the SNTP client on Linux: getaddrinfo, SO_TIMESTAMPNS, IP_RECVERR,
// getrandom. Every syscall failure becomes an Error naming the server.
#include "src/ntp/udp.h"

#include <linux/errqueue.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rtcal::ntp {
namespace {

constexpr std::size_t kReceiveBuffer = 2048;

SysTime from_timespec(const timespec& ts) {
  return SysTime(Nanos(int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec));
}

void enable(int fd, int level, int option) {
  const int on = 1;
  // Best effort: without a kernel timestamp we fall back to clock_gettime,
  // without IP_RECVERR a dead port shows as a timeout.
  (void)setsockopt(fd, level, option, &on, sizeof on);
}

}  // namespace

std::string endpoint_text(const sockaddr* addr, socklen_t length) {
  char host[NI_MAXHOST] = "?";
  char port[NI_MAXSERV] = "?";
  getnameinfo(addr, length, host, sizeof host, port, sizeof port, NI_NUMERICHOST | NI_NUMERICSERV);
  if (addr->sa_family == AF_INET6) return std::string("[") + host + "]:" + port;
  return std::string(host) + ":" + port;
}

Result<std::vector<Endpoint>> resolve(const std::string& host, uint16_t port,
                                      const std::string& object) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* list = nullptr;
  const std::string service = std::to_string(port);
  if (int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &list); rc != 0) {
    return failure(object, std::string("cannot resolve '") + host + "': " + gai_strerror(rc),
                   "check the server name, or give an IP address");
  }
  std::vector<Endpoint> endpoints;
  for (addrinfo* a = list; a != nullptr; a = a->ai_next) {
    if (a->ai_family != AF_INET && a->ai_family != AF_INET6) continue;
    Endpoint e;
    std::memcpy(&e.addr, a->ai_addr, a->ai_addrlen);
    e.length = a->ai_addrlen;
    e.text = endpoint_text(a->ai_addr, a->ai_addrlen);
    endpoints.push_back(e);
  }
  freeaddrinfo(list);
  if (endpoints.empty())
    return failure(object, "'" + host + "' has no IPv4 or IPv6 address", "give an IP address");
  return endpoints;
}

SysTime realtime_now() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return from_timespec(ts);
}

Nanos monotonic_now() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return Nanos(int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec);
}

Result<uint64_t> random_nonce() {
  uint64_t value = 0;
  while (value == 0) {
    if (getrandom(&value, sizeof value, 0) != static_cast<ssize_t>(sizeof value)) {
      return failure("getrandom", "cannot read random bytes: " + errno_text(errno),
                     "this needs Linux 3.17 or later");
    }
  }
  return value;
}

UdpSocket::UdpSocket(int fd, const Endpoint& to, std::string object)
    : fd_(fd), to_(to), object_(std::move(object)) {}

UdpSocket::UdpSocket(UdpSocket&& other) noexcept
    : fd_(other.fd_), to_(other.to_), object_(std::move(other.object_)) {
  other.fd_ = -1;
}

UdpSocket::~UdpSocket() {
  if (fd_ >= 0) close(fd_);
}

Result<UdpSocket> UdpSocket::open(const Endpoint& to, const std::string& object) {
  const int family = to.addr.ss_family;
  const int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return failure(object, "cannot open a UDP socket: " + errno_text(errno),
                   "check that this machine has IPv4/IPv6 networking");
  }
  enable(fd, SOL_SOCKET, SO_TIMESTAMPNS);
  if (family == AF_INET6) {
    enable(fd, IPPROTO_IPV6, IPV6_RECVERR);
  } else {
    enable(fd, IPPROTO_IP, IP_RECVERR);
  }
  return UdpSocket(fd, to, object);
}

Status UdpSocket::send(const uint8_t* data, std::size_t size) {
  const ssize_t sent = sendto(fd_, data, size, 0, reinterpret_cast<const sockaddr*>(&to_.addr),
                              to_.length);
  if (sent != static_cast<ssize_t>(size)) {
    return failure(object_, "cannot send to " + to_.text + ": " + errno_text(errno),
                   "check the address and that the network is up");
  }
  return Status::success();
}

// A recvmsg header for one datagram into `iov`, its sender into `peer` and
// its ancillary data (timestamps, ICMP errors) into `control`.
static msghdr receive_header(sockaddr_storage& peer, iovec& iov, void* control, size_t control_size) {
  msghdr msg{};
  msg.msg_name = &peer;
  msg.msg_namelen = sizeof peer;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = control_size;
  return msg;
}

// Reads one ICMP error; a "port unreachable" for our server is reported, any
// other error is only drained (a path error will show as a timeout).
UdpSocket::Wait UdpSocket::read_error_queue() {
  uint8_t data[kReceiveBuffer];
  alignas(cmsghdr) uint8_t control[512];
  sockaddr_storage dest{};
  iovec iov{data, sizeof data};
  msghdr msg = receive_header(dest, iov, control, sizeof control);
  if (recvmsg(fd_, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) return Wait::timeout;
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    const bool v4 = c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR;
    const bool v6 = c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR;
    if (!v4 && !v6) continue;
    sock_extended_err err{};
    std::memcpy(&err, CMSG_DATA(c), sizeof err);
    const bool to_server = endpoint_text(reinterpret_cast<sockaddr*>(&dest), msg.msg_namelen) ==
                           to_.text;
    if (err.ee_errno == ECONNREFUSED && to_server) return Wait::port_unreachable;
  }
  return Wait::timeout;
}

Result<UdpSocket::Wait> UdpSocket::receive(Nanos until, Datagram& out) {
  for (;;) {
    const Nanos left = until - monotonic_now();
    if (left <= Nanos(0)) return Wait::timeout;
    timespec wait{static_cast<time_t>(left.count() / 1'000'000'000),
                  static_cast<long>(left.count() % 1'000'000'000)};
    pollfd p{fd_, POLLIN, 0};
    const int ready = ppoll(&p, 1, &wait, nullptr);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return failure(object_, "cannot wait for a reply: " + errno_text(errno), "try again; if it persists, check the system's resources");
    if (ready == 0) return Wait::timeout;
    if (p.revents & POLLERR) {
      if (read_error_queue() == Wait::port_unreachable) return Wait::port_unreachable;
      continue;
    }

    uint8_t data[kReceiveBuffer];
    alignas(cmsghdr) uint8_t control[256];
    sockaddr_storage from{};
    iovec iov{data, sizeof data};
    msghdr msg = receive_header(from, iov, control, sizeof control);
    const ssize_t n = recvmsg(fd_, &msg, MSG_DONTWAIT);
    const SysTime fallback = realtime_now();
    if (n < 0 && (errno == EAGAIN || errno == EINTR || errno == ECONNREFUSED)) continue;
    if (n < 0) return failure(object_, "cannot read a reply: " + errno_text(errno), "try again; if it persists, check the network");

    out.bytes.assign(data, data + n);
    out.from = endpoint_text(reinterpret_cast<sockaddr*>(&from), msg.msg_namelen);
    out.received = fallback;
    out.kernel_timestamp = false;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
        timespec ts{};
        std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
        out.received = from_timespec(ts);
        out.kernel_timestamp = true;
      }
    }
    return Wait::datagram;
  }
}

}  // namespace rtcal::ntp

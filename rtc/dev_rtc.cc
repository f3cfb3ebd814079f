// /dev/rtc as an RtcDevice (see dev_rtc.h): opening with a bounded retry on
// EBUSY, the ioctls, and the two ways of finding the seconds edge.
#include "rtc/dev_rtc.h"

#include <fcntl.h>
#include <linux/rtc.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

namespace rtcal {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr int kBusyAttempts = 50;                  // 50 x 20 ms, as busybox hwclock
constexpr milliseconds kBusyPause{20};
constexpr milliseconds kPollPause{1};              // between RTC_RD_TIME polls
constexpr milliseconds kInterruptBudget{1500};     // an update interrupt comes within 1 s
constexpr milliseconds kPollFallback{1100};        // polling after silent interrupts: one edge and slack
constexpr int kEnoioctlcmd = 515;                 // the kernel's ENOIOCTLCMD, should it leak out

RtcTime from_kernel(const rtc_time& tm) {
  return RtcTime{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec};
}

rtc_time to_kernel(const RtcTime& t) {
  rtc_time tm{};
  tm.tm_year = t.year - 1900;
  tm.tm_mon = t.month - 1;
  tm.tm_mday = t.day;
  tm.tm_hour = t.hour;
  tm.tm_min = t.minute;
  tm.tm_sec = t.second;
  const int64_t days = days_from_civil(t.year, static_cast<unsigned>(t.month), static_cast<unsigned>(t.day));
  tm.tm_wday = static_cast<int>(((days + 4) % 7 + 7) % 7);  // 1970-01-01 was a Thursday
  tm.tm_yday = static_cast<int>(days - days_from_civil(t.year, 1, 1));
  return tm;
}

class DevRtc final : public RtcDevice {
 public:
  DevRtc(std::string path, int fd, DevRtcOptions options)
      : path_(std::move(path)), fd_(fd), use_interrupts_(options.use_update_interrupts),
        driver_(rtc_driver_name(path_, options.sysfs_class_dir)) {}
  ~DevRtc() override { close(fd_); }
  DevRtc(const DevRtc&) = delete;
  DevRtc& operator=(const DevRtc&) = delete;

  std::string name() const override { return path_; }
  std::string driver() const override { return driver_.empty() ? "unknown" : driver_; }
  Nanos first_tick_after_set() const override { return first_tick_for_driver(driver_); }

  Result<RtcTime> read() override {
    rtc_time tm{};
    if (ioctl(fd_, RTC_RD_TIME, &tm) != 0) {
      const int err = errno;
      if (err == EINVAL) return no_valid_time_error(path_, " (RTC_RD_TIME: Invalid argument)");
      return failure(path_, "cannot read the time: " + errno_text(err), "check the kernel log (dmesg)");
    }
    const RtcTime t = from_kernel(tm);
    if (!rtc_time_is_valid(t)) return no_valid_time_error(path_, ": it reads " + format_rtc_time(t));
    return t;
  }

  Status set(const RtcTime& t) override {
    if (!rtc_time_is_valid(t)) {
      return usage_error(path_, "cannot store the impossible time " + format_rtc_time(t),
                         "give a real date and time");
    }
    const rtc_time tm = to_kernel(t);
    if (ioctl(fd_, RTC_SET_TIME, &tm) == 0) return Status::success();
    const int err = errno;
    if (err == EACCES || err == EPERM) {
      return failure(path_, "cannot set the time: " + errno_text(err), "run as root (CAP_SYS_TIME)");
    }
    if (err == EINVAL || err == ERANGE) {
      return failure(path_, "the RTC refused " + format_rtc_time(t) + ": " + errno_text(err),
                     "this RTC cannot hold that date; give one in its range");
    }
    return failure(path_, "cannot set the time: " + errno_text(err), "check the kernel log (dmesg)");
  }

  Result<uint64_t> get_param(uint64_t param) override {
    rtc_param p{};
    p.param = param;
    if (ioctl(fd_, RTC_PARAM_GET, &p) != 0) return param_error("RTC_PARAM_GET", errno);
    return static_cast<uint64_t>(p.uvalue);
  }

  Status set_param(uint64_t param, uint64_t value) override {
    rtc_param p{};
    p.param = param;
    p.uvalue = value;
    if (ioctl(fd_, RTC_PARAM_SET, &p) != 0) return param_error("RTC_PARAM_SET", errno);
    return Status::success();
  }

  // Update interrupts first; when they are unsupported or none came, poll,
  // with at least kPollFallback of its own (else a timeout of about a second,
  // spent waiting for the interrupt, would leave the fallback no time at all).
  Status wait_for_edge(Nanos timeout) override {
    auto deadline = Clock::now() + timeout;
    if (use_interrupts_) {
      const Nanos budget = std::min<Nanos>(timeout, kInterruptBudget);
      auto edge = wait_interrupt(budget);
      if (!edge) return edge.error();
      if (*edge) return Status::success();
      use_interrupts_ = false;  // unsupported or silent: poll from now on
      deadline = std::max(deadline, Clock::now() + kPollFallback);
    }
    return poll_edge(deadline, std::chrono::duration_cast<Nanos>(deadline - Clock::now()));
  }

 private:
  Error param_error(const char* request, int err) const;
  // True at an edge; false when update interrupts are unsupported or none
  // came within `budget` (the caller then polls).
  Result<bool> wait_interrupt(Nanos budget) {
    if (ioctl(fd_, RTC_UIE_ON, 0) != 0) {
      const int err = errno;
      if (err == ENOTTY || err == EINVAL || err == kEnoioctlcmd) return false;
      return failure(path_, "cannot enable update interrupts: " + errno_text(err), "check the kernel log (dmesg)");
    }
    // An interrupt that is already pending belongs to an earlier edge: drop it.
    if (readable(Nanos::zero())) consume_interrupt();
    const bool edge = readable(budget);
    if (edge) consume_interrupt();
    ioctl(fd_, RTC_UIE_OFF, 0);
    return edge;
  }

  bool readable(Nanos timeout) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
      const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
      pollfd p{fd_, POLLIN, 0};
      const int n = poll(&p, 1, static_cast<int>(std::max<int64_t>(left.count(), 0)));
      if (n > 0) return true;
      if (n == 0 || errno != EINTR) return false;
    }
  }

  void consume_interrupt() {
    unsigned long word = 0;  // the kernel writes an unsigned long: count << 8 | flags
    [[maybe_unused]] const ssize_t n = ::read(fd_, &word, sizeof word);
  }

  Status poll_edge(Clock::time_point deadline, Nanos timeout) {
    auto first = read();
    if (!first) return first.error();
    while (Clock::now() < deadline) {
      std::this_thread::sleep_for(kPollPause);
      auto now = read();
      if (!now) return now.error();
      if (now->second != first->second) return Status::success();
    }
    return failure(path_,
                   "no seconds edge within " +
                       std::to_string(std::chrono::duration_cast<milliseconds>(timeout).count()) + " ms",
                   "the RTC may be stopped; set it, and check the kernel log (dmesg)");
  }

  std::string path_;
  int fd_;
  bool use_interrupts_;
  std::string driver_;
};

// One open(2), retried while the device is busy (bounded).
int open_with_busy_retry(const std::string& path, int& err) {
  for (int attempt = 0; attempt < kBusyAttempts; ++attempt) {
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) return fd;
    err = errno;
    if (err != EBUSY) return -1;
    std::this_thread::sleep_for(kBusyPause);
  }
  return -1;
}

std::string read_first_line(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  return line;
}

}  // namespace

const std::vector<std::string>& dev_rtc_probe_order() {
  static const std::vector<std::string> order = {"/dev/rtc0", "/dev/rtc", "/dev/misc/rtc"};
  return order;
}

Result<std::unique_ptr<RtcDevice>> open_dev_rtc(const std::string& path, DevRtcOptions options) {
  if (!path.empty()) {
    int err = 0;
    const int fd = open_with_busy_retry(path, err);
    if (fd < 0) return dev_rtc_open_error(path, err);
    return std::unique_ptr<RtcDevice>(std::make_unique<DevRtc>(path, fd, std::move(options)));
  }
  std::string tried;
  for (const std::string& candidate : dev_rtc_probe_order()) {
    int err = 0;
    const int fd = open_with_busy_retry(candidate, err);
    if (fd >= 0) return std::unique_ptr<RtcDevice>(std::make_unique<DevRtc>(candidate, fd, options));
    if (err != ENOENT) return dev_rtc_open_error(candidate, err);
    tried += (tried.empty() ? "" : ", ") + candidate;
  }
  return failure("/dev/rtc", "no RTC found: tried " + tried + ", none exists",
                 "on a machine without an RTC use --rtc sim:FILE; otherwise load the RTC driver");
}

Error DevRtc::param_error(const char* request, int err) const {
  if (err == ENOTTY || err == EINVAL || err == kEnoioctlcmd) {
    return failure(path_, std::string(request) + ": " + errno_text(err) + " (the driver " + driver() +
                       " has no such parameter, or none at all)", "RTC parameters need Linux 5.16 or later and a driver that has them");
  }
  return failure(path_, std::string(request) + ": " + errno_text(err),
                 err == EACCES || err == EPERM ? "run as root" : "check the kernel log (dmesg)");
}

std::string rtc_driver_name(const std::string& device_path, const std::string& sysfs_class_dir) {
  std::error_code ec;
  const auto real = std::filesystem::canonical(device_path, ec);
  if (ec) return "";
  // "rtc_cmos 00:05": the driver, then (since Linux 5.x) the parent device.
  const std::string line = read_first_line(std::filesystem::path(sysfs_class_dir) / real.filename() / "name");
  return line.substr(0, line.find(' '));
}

Nanos first_tick_for_driver(const std::string& driver) {
  return driver == "rtc_cmos" ? Nanos(milliseconds(500)) : Nanos(std::chrono::seconds(1));
}

Error dev_rtc_open_error(const std::string& path, int err) {
  const std::string cause = "cannot open: " + errno_text(err);
  switch (err) {
    case ENOENT:
      return failure(path, cause + " (no RTC found: there is no such device)",
                     "list the RTCs with: ls /dev/rtc*; on a machine without an RTC use --rtc sim:FILE");
    case EACCES:
    case EPERM:
      return failure(path, cause, "run as root");
    case EBUSY:
      return failure(path, cause + " (another program holds it open; only one may)",
                     "it is usually chronyd with 'rtcfile' in chrony.conf: stop it or drop rtcfile; "
                     "find the holder with: fuser -v " + path);
    case ENODEV:
    case ENXIO:
      return failure(path, cause + " (no RTC driver behind the device node)",
                     "load the RTC driver (e.g. modprobe rtc_cmos) or use --directisa on x86");
    default:
      return failure(path, cause, "check the kernel log (dmesg)");
  }
}

}  // namespace rtcal

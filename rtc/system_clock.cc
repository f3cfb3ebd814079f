// The machine's real system clock. Setting it needs CAP_SYS_TIME; the test
// suite also sets RTCAL_FORBID_REAL_CLOCK=1, which makes every change an
// error here, whatever a test's arguments say.
#include "rtc/system_clock.h"

#include <sys/timex.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sys/time.h>
#include <sys/timex.h>
#include <string_view>
#include <thread>

namespace rtcal {
namespace {

Nanos read_clock(clockid_t id) {
  timespec ts{};
  clock_gettime(id, &ts);
  return Nanos(int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec);
}

Status forbidden_check() {
  const char* forbid = std::getenv("RTCAL_FORBID_REAL_CLOCK");
  if (forbid != nullptr && std::string_view(forbid) == "1") {
    return failure("system clock", "changing the real system clock is forbidden here (RTCAL_FORBID_REAL_CLOCK=1)",
                   "use --rtc sim:FILE, which simulates the system clock too");
  }
  return Status::success();
}

Status set_realtime(SysTime t) {
  const auto ns = t.time_since_epoch().count();
  timespec ts{};
  ts.tv_sec = static_cast<time_t>(ns / 1'000'000'000);
  ts.tv_nsec = static_cast<long>(ns % 1'000'000'000);
  if (ts.tv_nsec < 0) {
    ts.tv_nsec += 1'000'000'000;
    ts.tv_sec -= 1;
  }
  if (clock_settime(CLOCK_REALTIME, &ts) != 0) {
    const int saved = errno;
    return failure("system clock", std::string("cannot set: ") + std::strerror(saved),
                   saved == EPERM ? "run as root (CAP_SYS_TIME)" : "check the kernel log");
  }
  return Status::success();
}

// Step CLOCK_REALTIME by `delta` inside the kernel (ADJ_SETOFFSET, Linux
// 2.6.39+), so no time is lost between reading and setting the clock: in the
// QEMU lab a preempted read-then-set was seen to lose ~57 ms. False when the
// kernel refuses it; the caller then falls back to read-then-set.
bool step_in_kernel(Nanos delta) {
  int64_t seconds = delta.count() / kNsPerS;
  int64_t nanos = delta.count() % kNsPerS;
  if (nanos < 0) {  // the kernel wants tv_usec (here ns) in [0, 1 s)
    nanos += kNsPerS;
    seconds -= 1;
  }
  timex tx{};
  tx.modes = ADJ_SETOFFSET | ADJ_NANO;
  tx.time.tv_sec = static_cast<time_t>(seconds);
  tx.time.tv_usec = static_cast<suseconds_t>(nanos);  // nanoseconds with ADJ_NANO
  return clock_adjtime(CLOCK_REALTIME, &tx) != -1;
}

class RealSystemClock final : public SystemClock {
 public:
  std::string name() const override { return "system clock"; }
  SysTime now() override { return SysTime(read_clock(CLOCK_REALTIME)); }
  Nanos monotonic() override { return read_clock(CLOCK_MONOTONIC); }
  void sleep_for(Nanos duration) override { std::this_thread::sleep_for(duration); }

  Status set(SysTime t) override {
    if (Status s = forbidden_check(); !s) return s;
    return set_realtime(t);
  }

  Status step(Nanos delta) override {
    if (Status s = forbidden_check(); !s) return s;
    if (step_in_kernel(delta)) return Status::success();
    // Kernels without ADJ_SETOFFSET: read and set back to back; the time
    // between the two (microseconds, unless the process is preempted) is lost.
    return set_realtime(now() + delta);
  }

  Status set_kernel_timezone(int minutes_west) override {
    if (Status s = forbidden_check(); !s) return s;
    const struct timezone tz = {minutes_west, 0};
    if (settimeofday(nullptr, &tz) != 0) {
      const int saved = errno;
      return failure("kernel timezone", std::string("cannot set: ") + std::strerror(saved),
                     saved == EPERM ? "run as root (CAP_SYS_TIME)" : "check the kernel log");
    }
    return Status::success();
  }

  Result<bool> kernel_synchronized() override {
    struct timex tx{};  // modes 0: read only
    const int state = adjtimex(&tx);
    if (state < 0) {
      return failure("adjtimex", std::string("cannot read the kernel clock status: ") + std::strerror(errno),
                     "check the kernel");
    }
    return (tx.status & STA_UNSYNC) == 0;
  }

  Result<double> boottime_s() override { return static_cast<double>(read_clock(CLOCK_BOOTTIME).count()) * 1e-9; }

  Result<std::string> boot_id() override {
    constexpr const char* kPath = "/proc/sys/kernel/random/boot_id";
    std::ifstream in(kPath);
    std::string id;
    if (!std::getline(in, id) || id.empty()) {
      return failure(kPath, "cannot read this boot's id", "mount /proc (the boot record needs it)");
    }
    return id;
  }
};

}  // namespace

Status SystemClock::set_kernel_timezone(int /*minutes_west*/) {
  return failure(name(), "cannot set the kernel's time zone", "use the real system clock or --rtc sim:FILE");
}

Result<bool> SystemClock::kernel_synchronized() {
  return failure(name(), "cannot tell whether the kernel is NTP-synchronised", "use the real system clock");
}

Result<bool> SystemClock::kernel_writes_rtc() { return kernel_synchronized(); }

Result<double> SystemClock::boottime_s() {
  return failure(name(), "cannot tell the time since boot (CLOCK_BOOTTIME)", "use the real system clock");
}

Result<std::string> SystemClock::boot_id() {
  return failure(name(), "cannot tell this boot's id", "use the real system clock");
}

std::unique_ptr<SystemClock> make_real_system_clock() { return std::make_unique<RealSystemClock>(); }

}  // namespace rtcal

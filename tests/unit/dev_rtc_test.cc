// rtc/dev_rtc away from real hardware: the errors a user sees when there is
// no RTC, no permission or a busy device; the driver name from sysfs; and
// that a device without the RTC ioctls fails cleanly and boundedly.
#include "rtc/dev_rtc.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include <doctest/doctest.h>

using namespace rtcal;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {
struct TempDir {
  fs::path path;
  TempDir() {
    char name[] = "/tmp/rtcal-dev-rtc-XXXXXX";
    path = mkdtemp(name);
  }
  ~TempDir() { fs::remove_all(path); }
};
}  // namespace

TEST_CASE("dev_rtc: a missing device names the fix") {
  auto rtc = open_dev_rtc("/nonexistent/rtc7");
  REQUIRE_FALSE(rtc.ok());
  CHECK(rtc.error().message() ==
        "/nonexistent/rtc7: cannot open: No such file or directory (no RTC found: there is no such device) "
        "(list the RTCs with: ls /dev/rtc*; on a machine without an RTC use --rtc sim:FILE)");
}

TEST_CASE("dev_rtc: probing a machine without an RTC") {
  bool any = false;
  for (const auto& name : dev_rtc_probe_order()) any = any || fs::exists(name);
  if (any) return;  // this machine has one: nothing to check here
  auto rtc = open_dev_rtc("");
  REQUIRE_FALSE(rtc.ok());
  CHECK(rtc.error().message() ==
        "/dev/rtc: no RTC found: tried /dev/rtc0, /dev/rtc, /dev/misc/rtc, none exists "
        "(on a machine without an RTC use --rtc sim:FILE; otherwise load the RTC driver)");
}

TEST_CASE("dev_rtc: open errors say what to do") {
  CHECK(dev_rtc_open_error("/dev/rtc0", EACCES).message() ==
        "/dev/rtc0: cannot open: Permission denied (run as root)");
  const std::string busy = dev_rtc_open_error("/dev/rtc0", EBUSY).message();
  CHECK(busy.find("another program holds it open") != std::string::npos);
  CHECK(busy.find("chronyd with 'rtcfile'") != std::string::npos);
  CHECK(dev_rtc_open_error("/dev/rtc0", ENODEV).message().find("no RTC driver") != std::string::npos);
}

TEST_CASE("dev_rtc: the driver name comes from sysfs after resolving links") {
  TempDir dir;
  fs::create_directories(dir.path / "dev");
  fs::create_directories(dir.path / "sys" / "rtc0");
  std::ofstream(dir.path / "dev" / "rtc0") << "";
  fs::create_symlink("rtc0", dir.path / "dev" / "rtc");
  std::ofstream(dir.path / "sys" / "rtc0" / "name") << "rtc_cmos 00:05\n";
  const std::string sys = (dir.path / "sys").string();
  CHECK(rtc_driver_name((dir.path / "dev" / "rtc").string(), sys) == "rtc_cmos");
  CHECK(rtc_driver_name((dir.path / "dev" / "rtc0").string(), sys) == "rtc_cmos");
  CHECK(rtc_driver_name((dir.path / "dev" / "rtc9").string(), sys) == "");
}

TEST_CASE("dev_rtc: the first tick after a set depends on the driver") {
  CHECK(first_tick_for_driver("rtc_cmos") == 500ms);
  CHECK(first_tick_for_driver("rtc-pcf8563") == 1s);
  CHECK(first_tick_for_driver("") == 1s);
}

TEST_CASE("dev_rtc: a device without the RTC ioctls fails cleanly, and waits are bounded") {
  TempDir dir;
  const fs::path fake = dir.path / "rtc0";
  std::ofstream(fake) << "";
  DevRtcOptions options;
  options.sysfs_class_dir = (dir.path / "sys").string();
  auto rtc = open_dev_rtc(fake.string(), options);
  REQUIRE(rtc.ok());
  CHECK((*rtc)->driver() == "unknown");
  CHECK((*rtc)->first_tick_after_set() == 1s);
  auto t = (*rtc)->read();
  REQUIRE_FALSE(t.ok());
  CHECK(t.error().message().find("cannot read the time: Inappropriate ioctl for device") != std::string::npos);
  // RTC_UIE_ON fails with ENOTTY: the driver falls back to polling, whose
  // first read fails the same way, at once.
  const auto start = std::chrono::steady_clock::now();
  CHECK_FALSE((*rtc)->wait_for_edge(2s).ok());
  CHECK(std::chrono::steady_clock::now() - start < 1s);
  auto s = (*rtc)->set({2026, 2, 30, 0, 0, 0});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message().find("cannot store the impossible time 2026-02-30 00:00:00") != std::string::npos);
}

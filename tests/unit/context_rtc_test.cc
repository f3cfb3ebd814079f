// Context::rtc(): which RTC a command gets from --rtc / --directisa. (No test
// here opens the CMOS ports: this machine must never touch them.)
#include <sstream>

#include <doctest/doctest.h>

#include "src/cli/context.h"

using namespace rtcal;

TEST_CASE("context: --directisa with --rtc DEVICE is a usage error") {
  GlobalOptions options;
  options.directisa = true;
  options.rtc_spec = "/dev/rtc1";
  std::ostringstream out, err;
  Context ctx(options, out, err);
  auto rtc = ctx.rtc();
  REQUIRE_FALSE(rtc.ok());
  CHECK(rtc.error().kind == ErrorKind::usage);
  CHECK(rtc.error().message() == "--directisa: cannot be combined with --rtc /dev/rtc1 (give one of them)");
}

TEST_CASE("context: --rtc DEVICE opens that device") {
  GlobalOptions options;
  options.rtc_spec = "/nonexistent/rtc3";
  std::ostringstream out, err;
  Context ctx(options, out, err);
  auto rtc = ctx.rtc();
  REQUIRE_FALSE(rtc.ok());
  CHECK(rtc.error().kind == ErrorKind::failure);
  CHECK(rtc.error().message().find("/nonexistent/rtc3: cannot open: No such file or directory") == 0);
}

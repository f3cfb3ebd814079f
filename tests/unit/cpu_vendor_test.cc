// The CPU vendor from /proc/cpuinfo text (rtc/cpu_vendor), which decides how
// register A of the CMOS clock is written and what rtc_cmos does on a set.
#include "rtc/cpu_vendor.h"

#include <doctest/doctest.h>

using namespace rtcal;

TEST_CASE("cpu_vendor: vendor_id names Intel, AMD, Hygon; anything else is other; none is unknown") {
  CHECK(cpu_vendor_of_cpuinfo("processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\n") == CpuVendor::intel);
  CHECK(cpu_vendor_of_cpuinfo("processor\t: 0\nvendor_id\t: AuthenticAMD\nvendor_id\t: GenuineIntel\n") ==
        CpuVendor::amd);
  CHECK(cpu_vendor_of_cpuinfo("vendor_id : HygonGenuine\r\n") == CpuVendor::hygon);
  CHECK(cpu_vendor_of_cpuinfo("vendor_id\t: CentaurHauls\n") == CpuVendor::other);
  CHECK(cpu_vendor_of_cpuinfo("processor : 0\nCPU implementer : 0x41\n") == CpuVendor::unknown);
  CHECK(cpu_vendor_of_cpuinfo("") == CpuVendor::unknown);
  CHECK(amd_register_a(CpuVendor::amd));
  CHECK(amd_register_a(CpuVendor::hygon));
  CHECK_FALSE(amd_register_a(CpuVendor::intel));
  CHECK_FALSE(amd_register_a(CpuVendor::unknown));
  CHECK(this_cpu_vendor("/nonexistent/cpuinfo") == CpuVendor::unknown);
  CHECK(cpu_vendor_name(CpuVendor::hygon) == "Hygon");
  CHECK(set_restarts_divider("rtc_cmos", CpuVendor::intel));
  CHECK(set_restarts_divider("cmos (direct port I/O)", CpuVendor::intel));
  CHECK_FALSE(set_restarts_divider("rtc_cmos", CpuVendor::amd));
  CHECK_FALSE(set_restarts_divider("rtc_cmos", CpuVendor::unknown));
  CHECK_FALSE(set_restarts_divider("rtc-pcf8563", CpuVendor::intel));
}

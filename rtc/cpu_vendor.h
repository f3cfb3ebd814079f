// Which CPU vendor this machine has, from /proc/cpuinfo's vendor_id, and
// what that means for the MC146818 CMOS clock: on AMD and Hygon CPUs Linux's
// rtc_cmos (rtc-mc146818-lib.c, apply_amd_register_a_behavior) never resets
// the divider when it sets the time, since register A's DV0 bit selects the
// second register bank there. A set through /dev/rtc then keeps the RTC's
// old sub-second phase; a direct CMOS set must not write DV0.
#pragma once

#include <string>
#include <string_view>

namespace rtcal {

enum class CpuVendor { intel, amd, hygon, other, unknown };

// The vendor named by the first vendor_id line of /proc/cpuinfo's text
// ("GenuineIntel", "AuthenticAMD", "HygonGenuine"); unknown without one.
CpuVendor cpu_vendor_of_cpuinfo(std::string_view cpuinfo_text);

inline constexpr const char* kCpuinfoPath = "/proc/cpuinfo";

// This machine's vendor (reads `path`, /proc/cpuinfo by default: that one
// once per process, the vendor does not change).
CpuVendor this_cpu_vendor(const std::string& path = kCpuinfoPath);

// AMD and Hygon: register A's DV0 is a bank select, not part of the divider.
bool amd_register_a(CpuVendor vendor);

// Whether a set through `driver` ("rtc_cmos", or rtcal's own "cmos (direct
// port I/O)") is known to restart the MC146818's divider on this vendor's
// machines: Intel only (on AMD/Hygon rtc_cmos leaves it running; rtcal's own
// reset without DV0 is checked on the device each time instead).
bool set_restarts_divider(const std::string& driver, CpuVendor vendor);

// "AMD", "Hygon", "Intel", "other", "unknown".
std::string cpu_vendor_name(CpuVendor vendor);

}  // namespace rtcal

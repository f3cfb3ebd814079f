// The CPU vendor from /proc/cpuinfo (see cpu_vendor.h).
#include "rtc/cpu_vendor.h"

#include <fstream>
#include <sstream>

namespace rtcal {

CpuVendor cpu_vendor_of_cpuinfo(std::string_view text) {
  constexpr std::string_view kKey = "vendor_id";
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(at, end - at);
    at = end + 1;
    if (line.substr(0, kKey.size()) != kKey) continue;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\r')) value.remove_suffix(1);
    if (value == "GenuineIntel") return CpuVendor::intel;
    if (value == "AuthenticAMD") return CpuVendor::amd;
    if (value == "HygonGenuine") return CpuVendor::hygon;
    return CpuVendor::other;
  }
  return CpuVendor::unknown;
}

namespace {

CpuVendor read_cpu_vendor(const std::string& path) {
  std::ifstream in(path);
  if (!in) return CpuVendor::unknown;
  std::ostringstream text;
  text << in.rdbuf();
  return cpu_vendor_of_cpuinfo(text.str());
}

}  // namespace

CpuVendor this_cpu_vendor(const std::string& path) {
  // /proc/cpuinfo is generated per CPU on every read (milliseconds on a big
  // machine) and a set asks several times: read once per process.
  if (path == kCpuinfoPath) {
    static const CpuVendor vendor = read_cpu_vendor(path);
    return vendor;
  }
  return read_cpu_vendor(path);
}

bool amd_register_a(CpuVendor vendor) { return vendor == CpuVendor::amd || vendor == CpuVendor::hygon; }

bool set_restarts_divider(const std::string& driver, CpuVendor vendor) {
  return vendor == CpuVendor::intel && (driver == "rtc_cmos" || driver == "cmos (direct port I/O)");
}

std::string cpu_vendor_name(CpuVendor vendor) {
  switch (vendor) {
    case CpuVendor::intel: return "Intel";
    case CpuVendor::amd: return "AMD";
    case CpuVendor::hygon: return "Hygon";
    case CpuVendor::other: return "other";
    case CpuVendor::unknown: break;
  }
  return "unknown";
}

}  // namespace rtcal

// The TZ check (see tz_check.h).
#include "src/hwclock/tz_check.h"

#include <unistd.h>

#include <cctype>
#include <string_view>

namespace rtcal {
namespace {

// glibc's POSIX rule: a name of 3+ letters (or <...>) followed by an offset.
bool is_posix_rule(std::string_view tz) {
  size_t i = 0;
  if (!tz.empty() && tz[0] == '<') {
    i = tz.find('>');
    if (i == std::string_view::npos) return false;
    ++i;
  } else {
    while (i < tz.size() && std::isalpha(static_cast<unsigned char>(tz[i]))) ++i;
    if (i < 3) return false;
  }
  if (i < tz.size() && (tz[i] == '+' || tz[i] == '-')) ++i;
  return i < tz.size() && std::isdigit(static_cast<unsigned char>(tz[i]));
}

}  // namespace

Status check_time_zone(const char* tz, const std::string& zoneinfo_dir) {
  if (tz == nullptr) return Status::success();
  std::string_view name = tz;
  if (!name.empty() && name[0] == ':') name.remove_prefix(1);
  if (name.empty() || name == "UTC" || name == "GMT" || name == "UCT") return Status::success();
  const std::string file = name[0] == '/' ? std::string(name) : zoneinfo_dir + "/" + std::string(name);
  if (name.find("..") == std::string_view::npos && access(file.c_str(), R_OK) == 0) return Status::success();
  if (tz[0] != ':' && is_posix_rule(name)) return Status::success();
  return usage_error("TZ=" + std::string(tz),
                     "unknown time zone: no " + file + " and not a POSIX rule (the C library would quietly use UTC)",
                     "give a zone from " + zoneinfo_dir + ", e.g. TZ=Europe/Berlin, or unset TZ");
}

}  // namespace rtcal

// What `rtcal --version` says about the build: the compiler, the build type,
// the git commit, whether CMOS port I/O is compiled in, the sanitizers and
// the build date. The values are fixed when CMake configures the build
// (cmake/build_info.cc.in); the date honours SOURCE_DATE_EPOCH, so two
// builds of the same commit print the same text.
#pragma once

#include <string>

namespace rtcal {

// The facts of this build, each a short text ("none" when absent).
struct BuildInfo {
  const char* version;      // "0.1.0"
  const char* compiler;     // "GNU 12.2.0"
  const char* build_type;   // "RelWithDebInfo"
  const char* git_commit;   // "9217716" (+ "-dirty"), or "unknown" outside git
  const char* cmos_ports;   // "yes" (x86: --directisa works) or "no"
  const char* sanitizers;   // "-fsanitize=address,undefined" or "none"
  const char* linkage;      // "dynamic" or "static"
  const char* build_date;   // "2026-11-23" (UTC), from SOURCE_DATE_EPOCH or the commit date
};

// This build's facts (defined in the generated build_info.cc).
const BuildInfo& build_info();

// The text of `rtcal --version`: "rtcal X.Y.Z" on the first line, then one
// "key: value" line per fact.
std::string version_details();

}  // namespace rtcal

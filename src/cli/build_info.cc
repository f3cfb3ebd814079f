// The text of `rtcal --version`, from the facts CMake fixed at configure time
// (src/cli/build_info.h).
#include "src/cli/build_info.h"

namespace rtcal {

std::string version_details() {
  const BuildInfo& b = build_info();
  std::string text = std::string("rtcal ") + b.version + "\n";
  text += std::string("compiler: ") + b.compiler + "\n";
  text += std::string("build type: ") + b.build_type + "\n";
  text += std::string("git commit: ") + b.git_commit + "\n";
  text += std::string("CMOS port I/O (--directisa): ") + b.cmos_ports + "\n";
  text += std::string("sanitizers: ") + b.sanitizers + "\n";
  text += std::string("linkage: ") + b.linkage + "\n";
  text += std::string("build date: ") + b.build_date;
  return text;
}

}  // namespace rtcal

// The real CMOS ports on x86: ioperm(0x70, 2) and inb/outb. Port access needs
// root (CAP_SYS_RAWIO) and is refused under kernel lockdown. The kernel's own
// rtc_cmos driver uses the same ports without telling us, which is why this
// path is opt-in (--directisa).
#include "rtc/cmos_x86.h"

#include <sys/io.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

#include "rtc/cpu_vendor.h"

namespace rtcal {
namespace {

constexpr unsigned short kIndexPort = 0x70;
constexpr unsigned short kDataPort = 0x71;
constexpr std::string_view kObject = "CMOS ports 0x70/0x71";

// The kernel's lockdown mode, e.g. "none [integrity] confidentiality".
std::string lockdown_state() {
  std::ifstream file("/sys/kernel/security/lockdown");
  std::string line;
  std::getline(file, line);
  return line;
}

class X86CmosPorts final : public CmosPorts {
 public:
  ~X86CmosPorts() override { ioperm(kIndexPort, 2, 0); }

  uint8_t read(uint8_t reg) override {
    outb(reg, kIndexPort);
    return inb(kDataPort);
  }

  void write(uint8_t reg, uint8_t value) override {
    outb(reg, kIndexPort);
    outb(value, kDataPort);
  }
};

Error ioperm_error(int err) {
  std::string cause = std::string("cannot get access: ") + std::strerror(err);
  const std::string lockdown = lockdown_state();
  if (err == EPERM && !lockdown.empty() && lockdown.find("[none]") == std::string::npos) {
    return failure(std::string(kObject), cause + " (kernel lockdown: " + lockdown + ")",
                   "port I/O is blocked under kernel lockdown; use /dev/rtc instead of --directisa");
  }
  if (err == EPERM) {
    return failure(std::string(kObject), cause,
                   "run as root (CAP_SYS_RAWIO); under kernel lockdown port I/O is refused, use /dev/rtc");
  }
  return failure(std::string(kObject), cause, "use /dev/rtc instead of --directisa");
}

}  // namespace

Result<std::unique_ptr<CmosPorts>> open_cmos_ports() {
  if (ioperm(kIndexPort, 2, 1) != 0) return ioperm_error(errno);
  return std::unique_ptr<CmosPorts>(std::make_unique<X86CmosPorts>());
}

Result<std::unique_ptr<RtcDevice>> open_cmos_rtc() {
  auto ports = open_cmos_ports();
  if (!ports) return ports.error();
  CmosTiming timing;
  timing.amd_register_a = amd_register_a(this_cpu_vendor());
  return make_cmos_rtc(std::move(ports.value()), timing);
}

}  // namespace rtcal

// rtcal_lab_tool: drives rtcal's RTC drivers (rtc/dev_rtc, rtc/cmos) inside
// the QEMU lab guest, one action per call, printing results as key=value
// lines for the guest scenario scripts (tests/lab/scenarios/*.sh) to check.
// Not installed; the rtcal CLI proper lives in src/.
//
//   rtcal_lab_tool read DEV             read once:         read rtc=... unix=N driver=...
//   rtcal_lab_tool edges DEV N          N seconds edges:   edge i rtc=... unix=N sys=S offset_ms=X
//   rtcal_lab_tool set DEV "Y-M-D h:m:s"
//   rtcal_lab_tool sync DEV [PHASE_MS]  set the RTC from the system clock, edge aligned
//                                       (or written at PHASE_MS past a system second)
//   rtcal_lab_tool precise-read DEV     rtc/precise read_at_edge: precise rtc_minus_system_ms=X
//   rtcal_lab_tool precise-set DEV [OFFSET_S]   rtc/precise set_on_edge to the system clock (UTC)
//                                       plus OFFSET_S seconds (default 0; the lab.autocal
//                                       scenario stages an RTC error with it)
//   rtcal_lab_tool cmos-regs            dump the CMOS clock registers (direct I/O)
//   rtcal_lab_tool cmos-mode bcd|binary 12h|24h   switch register B, keeping the time
//   rtcal_lab_tool cmos-kill            stop the divider and write invalid fields (a dead battery)
//   rtcal_lab_tool cmos-stop            stop the divider, keeping valid fields (a stopped clock)
//   rtcal_lab_tool step-system OFFSET_S  step the system clock by OFFSET_S (in the kernel,
//                                       ADJ_SETOFFSET): stepped_s=X
//   rtcal_lab_tool mark-synced          tell the kernel its clock is NTP-synchronised as an NTP
//                                       daemon does (adjtimex: STA_UNSYNC cleared, maxerror and
//                                       esterror 1 ms): synced status=0x... maxerror_us=N
// DEV is /dev/rtcN (add --poll to wait for edges without update interrupts)
// or "cmos" (direct port I/O). Exit status 1 with "error: MESSAGE" on failure.
#include <sys/timex.h>
#include <time.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "rtc/cmos.h"
#include "rtc/cmos_registers.h"
#include "rtc/cmos_x86.h"
#include "rtc/dev_rtc.h"
#include "rtc/precise.h"
#include "rtc/system_clock.h"

using namespace rtcal;

namespace {

constexpr Nanos kEdgeTimeout = std::chrono::seconds(3);

int fail(const Error& e) {
  std::printf("error: %s\n", e.message().c_str());
  return 1;
}

int64_t realtime_ns() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

// Lets a CmosRtc and the tool's raw register access share one ioperm grant.
class BorrowedPorts final : public CmosPorts {
 public:
  explicit BorrowedPorts(CmosPorts& ports) : ports_(ports) {}
  uint8_t read(uint8_t reg) override { return ports_.read(reg); }
  void write(uint8_t reg, uint8_t value) override { ports_.write(reg, value); }

 private:
  CmosPorts& ports_;
};

Result<std::unique_ptr<RtcDevice>> open_device(const std::string& dev, bool poll) {
  if (dev == "cmos") return open_cmos_rtc();
  DevRtcOptions options;
  options.use_update_interrupts = !poll;
  return open_dev_rtc(dev, options);
}

void print_time(const char* prefix, const RtcTime& t) {
  std::printf("%s rtc=\"%s\" unix=%lld", prefix, format_rtc_time(t).c_str(),
              static_cast<long long>(rtc_time_as_utc_unix_s(t)));
}

int cmd_read(RtcDevice& rtc) {
  auto t = rtc.read();
  if (!t) return fail(t.error());
  print_time("read", *t);
  std::printf(" driver=\"%s\" name=%s\n", rtc.driver().c_str(), rtc.name().c_str());
  return 0;
}

int cmd_edges(RtcDevice& rtc, int count) {
  for (int i = 0; i < count; ++i) {
    if (Status s = rtc.wait_for_edge(kEdgeTimeout); !s) return fail(s.error());
    const int64_t sys_ns = realtime_ns();
    auto t = rtc.read();
    if (!t) return fail(t.error());
    const double offset_ms = static_cast<double>(rtc_time_as_utc_unix_s(*t) * 1'000'000'000 - sys_ns) / 1e6;
    std::printf("edge %d", i);
    print_time("", *t);
    std::printf(" sys=%.6f offset_ms=%.3f\n", static_cast<double>(sys_ns) / 1e9, offset_ms);
    std::fflush(stdout);
  }
  return 0;
}

int cmd_set(RtcDevice& rtc, const std::string& text) {
  RtcTime t;
  if (std::sscanf(text.c_str(), "%d-%d-%d %d:%d:%d", &t.year, &t.month, &t.day, &t.hour, &t.minute,
                  &t.second) != 6) {
    return fail(usage_error(text, "not a time", "write YYYY-MM-DD HH:MM:SS"));
  }
  if (Status s = rtc.set(t); !s) return fail(s.error());
  print_time("set", t);
  std::printf("\n");
  return 0;
}

// Write value V when the system clock reads V + 1 s - first_tick, so that the
// RTC's edges fall on the system clock's whole seconds; or, given PHASE_MS,
// at V + PHASE_MS (to misalign it on purpose). Under emulation a write can
// land late (a busy host, TCG translating the path the first time): a write
// that took more than kSyncSlack is repeated at the next second (bounded).
int cmd_sync(RtcDevice& rtc, const std::string& phase_ms) {
  constexpr int64_t kSyncSlackNs = 5'000'000;
  constexpr int kAttempts = 3;
  const int64_t first_tick_ns = rtc.first_tick_after_set().count();
  const int64_t phase_ns = phase_ms.empty() ? 1'000'000'000 - first_tick_ns : std::stoll(phase_ms) * 1'000'000;
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    const int64_t value_s = realtime_ns() / 1'000'000'000 + 2;
    const int64_t target_ns = value_s * 1'000'000'000 + phase_ns;
    // Sleep to 20 ms before, then spin: a wake-up under emulation is late.
    const int64_t wake_ns = target_ns - 20'000'000;
    timespec ts{static_cast<time_t>(wake_ns / 1'000'000'000), static_cast<long>(wake_ns % 1'000'000'000)};
    clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &ts, nullptr);
    while (realtime_ns() < target_ns) {
    }
    const int64_t late_ns = realtime_ns() - target_ns;
    if (Status s = rtc.set(utc_fields_of_unix_s(value_s)); !s) return fail(s.error());
    const int64_t done_ns = realtime_ns() - target_ns;
    print_time("sync", utc_fields_of_unix_s(value_s));
    std::printf(" first_tick_ms=%lld late_us=%lld done_us=%lld attempt=%d\n",
                static_cast<long long>(first_tick_ns / 1'000'000), static_cast<long long>(late_ns / 1000),
                static_cast<long long>(done_ns / 1000), attempt);
    if (done_ns <= kSyncSlackNs) return 0;
  }
  std::printf("sync: every write took longer than %lld us; the last one stands\n",
              static_cast<long long>(kSyncSlackNs / 1000));
  return 0;
}

// rtcal's own precise read (rtc/precise.h) over a real driver.
int cmd_precise_read(RtcDevice& rtc) {
  auto clock = make_real_system_clock();
  auto reading = read_at_edge(rtc, *clock);
  if (!reading) return fail(reading.error());
  print_time("precise", reading->rtc);
  std::printf(" rtc_minus_system_ms=%.3f edges_waited=%d\n",
              static_cast<double>(rtc_minus_system(*reading).count()) / 1e6, reading->edges_waited);
  return 0;
}

// rtcal's own precise set (rtc/precise.h): the RTC to the system clock plus
// `offset_s`, UTC.
int cmd_precise_set(RtcDevice& rtc, const std::string& offset_text) {
  double offset_s = 0.0;
  if (!offset_text.empty() && std::sscanf(offset_text.c_str(), "%lf", &offset_s) != 1) {
    return fail(usage_error(offset_text, "not a number of seconds", "give OFFSET_S like -12.345"));
  }
  auto clock = make_real_system_clock();
  const auto offset = Nanos(static_cast<long long>(std::llround(offset_s * 1e9)));
  auto result = set_on_edge(rtc, *clock, target_with_offset(offset));
  if (!result) return fail(result.error());
  print_time("precise-set", result->written);
  std::printf(" lateness_us=%lld delay_ms=%lld\n", static_cast<long long>(result->lateness.count() / 1000),
              static_cast<long long>(result->delay.count() / 1'000'000));
  return 0;
}

int cmd_cmos_regs(CmosPorts& ports) {
  const std::pair<const char*, uint8_t> regs[] = {
      {"sec", cmos::kSeconds}, {"min", cmos::kMinutes}, {"hour", cmos::kHours}, {"wday", cmos::kWeekday},
      {"day", cmos::kDay},     {"mon", cmos::kMonth},   {"year", cmos::kYear},  {"century", cmos::kCentury},
      {"A", cmos::kRegA},      {"B", cmos::kRegB},      {"D", cmos::kRegD}};
  std::printf("regs");
  for (const auto& [label, reg] : regs) std::printf(" %s=0x%02x", label, ports.read(reg));
  std::printf("\n");
  return 0;
}

// Switch the encoding: halt updates (SET), flip DM / 24h, then write the same
// time (and the century register) in the new encoding through the driver.
int cmd_cmos_mode(CmosPorts& ports, const std::string& format, const std::string& hours) {
  if ((format != "bcd" && format != "binary") || (hours != "12h" && hours != "24h")) {
    return fail(usage_error("cmos-mode", "expected bcd|binary 12h|24h", "see the tool's header"));
  }
  auto rtc = make_cmos_rtc(std::make_unique<BorrowedPorts>(ports));
  auto t = rtc->read();
  if (!t) return fail(t.error());
  const uint8_t old_b = ports.read(cmos::kRegB);
  const auto century = cmos::plausible_century(ports.read(cmos::kCentury), cmos::mode_of_register_b(old_b));
  uint8_t new_b = old_b & static_cast<uint8_t>(~(cmos::kB_Binary | cmos::kB_24h));
  if (format == "binary") new_b |= cmos::kB_Binary;
  if (hours == "24h") new_b |= cmos::kB_24h;
  ports.write(cmos::kRegB, new_b | cmos::kB_SET);
  if (century) {
    const bool binary = format == "binary";
    ports.write(cmos::kCentury, binary ? static_cast<uint8_t>(*century) : cmos::int_to_bcd(*century));
  }
  if (Status s = rtc->set(*t); !s) return fail(s.error());
  std::printf("mode format=%s hours=%s B=0x%02x kept rtc=\"%s\"\n", format.c_str(), hours.c_str(),
              ports.read(cmos::kRegB), format_rtc_time(*t).c_str());
  return 0;
}

// What a dead battery leaves: a stopped divider and impossible fields.
int cmd_cmos_kill(CmosPorts& ports) {
  ports.write(cmos::kRegA, static_cast<uint8_t>((ports.read(cmos::kRegA) & 0x0F) | cmos::kA_DividerReset));
  ports.write(cmos::kSeconds, 0x7A);
  ports.write(cmos::kMinutes, 0x7A);
  ports.write(cmos::kHours, 0x3F);
  ports.write(cmos::kDay, 0x00);
  ports.write(cmos::kMonth, 0x00);
  std::printf("killed\n");
  return cmd_cmos_regs(ports);
}

// Hold the divider in reset (110: no DV0, which is a bank select on AMD): the
// fields stay valid but the seconds no longer advance.
int cmd_cmos_stop(CmosPorts& ports) {
  ports.write(cmos::kRegA, static_cast<uint8_t>((ports.read(cmos::kRegA) & 0x0F) | cmos::kA_DividerResetKeepBank0));
  std::printf("stopped\n");
  return cmd_cmos_regs(ports);
}

int run_cmos_command(const std::vector<std::string>& args) {
  auto ports = open_cmos_ports();
  if (!ports) return fail(ports.error());
  if (args[0] == "cmos-regs") return cmd_cmos_regs(**ports);
  if (args[0] == "cmos-kill") return cmd_cmos_kill(**ports);
  if (args[0] == "cmos-stop") return cmd_cmos_stop(**ports);
  if (args.size() == 3) return cmd_cmos_mode(**ports, args[1], args[2]);
  return fail(usage_error(args[0], "wrong arguments", "see the tool's header"));
}

// What chronyd or ntpd does once synchronised (without it, the kernel's
// 11-minute mode never runs): the status without STA_UNSYNC, small error
// bounds (the kernel sets STA_UNSYNC again once maxerror, growing 500 us/s,
// passes 16 s). The kernel then schedules its RTC write (sync_hw_clock).
int cmd_mark_synced() {
  timex tx{};
  if (adjtimex(&tx) < 0) return fail(Error{ErrorKind::failure, "adjtimex", std::strerror(errno), "run as root"});
  tx.modes = ADJ_STATUS | ADJ_MAXERROR | ADJ_ESTERROR;
  tx.status &= ~STA_UNSYNC;
  tx.maxerror = 1000;
  tx.esterror = 1000;
  if (adjtimex(&tx) < 0) return fail(Error{ErrorKind::failure, "adjtimex", std::strerror(errno), "run as root"});
  timex now{};
  adjtimex(&now);
  std::printf("synced status=0x%x maxerror_us=%ld\n", static_cast<unsigned>(now.status), static_cast<long>(now.maxerror));
  return (now.status & STA_UNSYNC) == 0 ? 0 : 1;
}

int cmd_step_system(const std::string& offset) {
  double offset_s = 0.0;
  if (std::sscanf(offset.c_str(), "%lf", &offset_s) != 1 || !(std::fabs(offset_s) < 1e9)) {
    return fail(usage_error("step-system", "not a number of seconds: " + offset, "e.g. step-system -0.25"));
  }
  if (Status s = make_real_system_clock()->step(Nanos(std::llround(offset_s * 1e9))); !s) return fail(s.error());
  std::printf("stepped_s=%.9f\n", offset_s);
  return 0;
}

int run(std::vector<std::string> args) {
  bool poll = false;
  std::erase_if(args, [&](const std::string& a) { return a == "--poll" ? (poll = true) : false; });
  if (args.empty()) return fail(usage_error("rtcal_lab_tool", "no command", "see the tool's header"));
  if (args[0].starts_with("cmos-")) return run_cmos_command(args);
  if (args[0] == "mark-synced") return cmd_mark_synced();
  if (args[0] == "step-system" && args.size() == 2) return cmd_step_system(args[1]);
  if (args.size() < 2) return fail(usage_error(args[0], "no device", "give /dev/rtcN or cmos"));
  auto rtc = open_device(args[1], poll);
  if (!rtc) return fail(rtc.error());
  if (args[0] == "read") return cmd_read(**rtc);
  if (args[0] == "edges") return cmd_edges(**rtc, args.size() > 2 ? std::stoi(args[2]) : 3);
  if (args[0] == "set" && args.size() == 3) return cmd_set(**rtc, args[2]);
  if (args[0] == "precise-read") return cmd_precise_read(**rtc);
  if (args[0] == "precise-set") return cmd_precise_set(**rtc, args.size() > 2 ? args[2] : "");
  if (args[0] == "sync") return cmd_sync(**rtc, args.size() > 2 ? args[2] : "");
  return fail(usage_error(args[0], "unknown command or wrong arguments", "see the tool's header"));
}

}  // namespace

int main(int argc, char** argv) { return run(std::vector<std::string>(argv + 1, argv + argc)); }

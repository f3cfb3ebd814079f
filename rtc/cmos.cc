// The MC146818 CMOS clock driver over abstract ports (see cmos.h). Register
// meanings and encodings live in rtc/cmos_registers.*; this file owns the
// access sequences and their bounds.
#include "rtc/cmos.h"

#include <chrono>
#include <cstdio>
#include <thread>

#include "base/number_text.h"
#include "rtc/cmos_registers.h"

namespace rtcal {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::string_view kName = "cmos";

std::string millis(Nanos duration) {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(duration).count()) + " ms";
}

class CmosRtc final : public RtcDevice {
 public:
  CmosRtc(std::unique_ptr<CmosPorts> ports, CmosTiming timing)
      : ports_(std::move(ports)), timing_(timing) {}

  std::string name() const override { return std::string(kName); }
  std::string driver() const override { return "cmos (direct port I/O)"; }
  Nanos first_tick_after_set() const override { return std::chrono::milliseconds(500); }

  Result<RtcTime> read() override {
    for (int attempt = 0; attempt < timing_.read_attempts; ++attempt) {
      if (Status s = check_battery(); !s) return s.error();
      if (!running()) {
        sleep();
        continue;
      }
      if (Status s = wait_uip_clear(); !s) return s.error();
      cmos::RawFields raw = read_fields();
      if (ports_->read(cmos::kSeconds) != raw.seconds) continue;  // an update came between
      return cmos::decode(raw, mode(), name());
    }
    if (!running()) return stopped_error();
    return failure(name(), "the seconds kept changing during " + std::to_string(timing_.read_attempts) +
                               " reads", "retry; if it persists the CMOS clock is faulty");
  }

  Status wait_for_edge(Nanos timeout) override {
    const auto deadline = Clock::now() + timeout;
    if (Status s = check_battery(); !s) return s;
    if (!running()) return stopped_error();
    if (Status s = wait_uip_clear(); !s) return s;
    const uint8_t first = ports_->read(cmos::kSeconds);
    while (Clock::now() < deadline) {
      sleep();
      if ((ports_->read(cmos::kRegA) & cmos::kA_UIP) != 0) continue;  // update under way
      if (ports_->read(cmos::kSeconds) != first) return Status::success();
    }
    return failure(name(), "no seconds edge within " + millis(timeout),
                   "the CMOS clock may be stopped; set it, or use /dev/rtc instead of --directisa");
  }

  Status set(const RtcTime& t) override {
    const uint8_t reg_a = ports_->read(cmos::kRegA);
    const uint8_t reg_b = ports_->read(cmos::kRegB);
    const cmos::Mode mode = cmos::mode_of_register_b(reg_b);
    // Write the century register only where it already holds a century.
    const bool with_century = cmos::plausible_century(ports_->read(cmos::kCentury), mode).has_value();
    auto raw = cmos::encode(t, mode, with_century, name());
    if (!raw) return raw.error();
    const uint8_t reset = timing_.amd_register_a ? cmos::kA_DividerResetKeepBank0 : cmos::kA_DividerReset;
    ports_->write(cmos::kRegB, reg_b | cmos::kB_SET);
    ports_->write(cmos::kRegA, static_cast<uint8_t>((reg_a & 0x0F) | reset));
    write_fields(*raw);
    ports_->write(cmos::kRegB, static_cast<uint8_t>(reg_b & ~cmos::kB_SET));
    // Starting the divider starts the first second: it ends 500 ms from now.
    ports_->write(cmos::kRegA, static_cast<uint8_t>((reg_a & 0x0F) | cmos::kA_DividerRun));
    return Status::success();
  }

 private:
  void sleep() const { std::this_thread::sleep_for(timing_.poll_interval); }

  cmos::Mode mode() { return cmos::mode_of_register_b(ports_->read(cmos::kRegB)); }

  bool running() {
    const uint8_t reg_a = ports_->read(cmos::kRegA);
    const uint8_t reg_b = ports_->read(cmos::kRegB);
    // On AMD/Hygon DV0 is the bank select, not a divider bit.
    const uint8_t divider = timing_.amd_register_a ? cmos::kA_DividerMask & ~cmos::kA_DV0 : cmos::kA_DividerMask;
    return (reg_a & divider) == cmos::kA_DividerRun && (reg_b & cmos::kB_SET) == 0;
  }

  Status check_battery() {
    if ((ports_->read(cmos::kRegD) & cmos::kD_VRT) != 0) return Status::success();
    return failure(name(), "the RTC holds no valid time: its battery is dead (register D VRT bit is 0)",
                   "replace the CMOS battery, then set the RTC");
  }

  Error stopped_error() {
    return failure(name(),
                   "the RTC holds no valid time (battery dead or never set): the clock is stopped "
                   "(register A " + hex_byte(ports_->read(cmos::kRegA)) + ", B " + hex_byte(ports_->read(cmos::kRegB)) + ")",
                   "set it once the system clock is right, e.g. rtcal systohc --directisa");
  }

  // Register A's UIP bit is set from 244 us before an update until it ends.
  Status wait_uip_clear() {
    const auto deadline = Clock::now() + timing_.uip_timeout;
    while ((ports_->read(cmos::kRegA) & cmos::kA_UIP) != 0) {
      if (Clock::now() >= deadline) {
        return failure(name(), "update-in-progress stayed set for " + millis(timing_.uip_timeout),
                       "the CMOS clock is faulty or another program holds it in an update");
      }
      sleep();
    }
    return Status::success();
  }

  cmos::RawFields read_fields() {
    cmos::RawFields raw;
    raw.seconds = ports_->read(cmos::kSeconds);
    raw.minutes = ports_->read(cmos::kMinutes);
    raw.hours = ports_->read(cmos::kHours);
    raw.weekday = ports_->read(cmos::kWeekday);
    raw.day = ports_->read(cmos::kDay);
    raw.month = ports_->read(cmos::kMonth);
    raw.year = ports_->read(cmos::kYear);
    raw.century = ports_->read(cmos::kCentury);
    return raw;
  }

  void write_fields(const cmos::RawFields& raw) {
    ports_->write(cmos::kSeconds, raw.seconds);
    ports_->write(cmos::kMinutes, raw.minutes);
    ports_->write(cmos::kHours, raw.hours);
    ports_->write(cmos::kWeekday, raw.weekday);
    ports_->write(cmos::kDay, raw.day);
    ports_->write(cmos::kMonth, raw.month);
    ports_->write(cmos::kYear, raw.year);
    if (raw.century) ports_->write(cmos::kCentury, *raw.century);
  }

  std::unique_ptr<CmosPorts> ports_;
  CmosTiming timing_;
};

}  // namespace

std::unique_ptr<RtcDevice> make_cmos_rtc(std::unique_ptr<CmosPorts> ports, CmosTiming timing) {
  return std::make_unique<CmosRtc>(std::move(ports), timing);
}

}  // namespace rtcal

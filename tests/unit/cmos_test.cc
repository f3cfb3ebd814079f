// rtcal's CMOS driver (rtc/cmos) against an in-memory MC146818: the read
// checks (VRT, stopped clock, UIP, consistent reads), the set sequence and
// the edge wait, each bounded.
#include "rtc/cmos.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <vector>

#include <doctest/doctest.h>

#include "rtc/cmos_registers.h"

using namespace rtcal;
using namespace std::chrono_literals;

namespace {

// A register file. Optionally the seconds register (BCD) advances after every
// `reads_per_tick` reads of register A or the seconds, and UIP can stick.
struct Chip {
  std::array<uint8_t, 128> regs{};
  std::vector<std::pair<uint8_t, uint8_t>> writes;
  int reads_per_tick = 0;
  std::vector<int> tick_at_reads;  // or at these read counts
  int reads = 0;
  bool uip_stuck = false;

  Chip() {
    regs[cmos::kRegA] = 0x26;
    regs[cmos::kRegB] = 0x02;
    regs[cmos::kRegD] = 0x80;
    load({2026, 11, 23, 10, 56, 10});
  }
  void load(const RtcTime& t) {
    auto raw = cmos::encode(t, cmos::mode_of_register_b(regs[cmos::kRegB]), true, "test").value();
    regs[cmos::kSeconds] = raw.seconds;
    regs[cmos::kMinutes] = raw.minutes;
    regs[cmos::kHours] = raw.hours;
    regs[cmos::kDay] = raw.day;
    regs[cmos::kMonth] = raw.month;
    regs[cmos::kYear] = raw.year;
    regs[cmos::kCentury] = *raw.century;
  }
};

class FakePorts final : public CmosPorts {
 public:
  explicit FakePorts(Chip& chip) : chip_(chip) {}
  uint8_t read(uint8_t reg) override {
    if (reg == cmos::kRegA || reg == cmos::kSeconds) tick();
    if (reg == cmos::kRegA && chip_.uip_stuck) return chip_.regs[reg] | cmos::kA_UIP;
    return chip_.regs[reg];
  }
  void write(uint8_t reg, uint8_t value) override {
    chip_.regs[reg] = value;
    chip_.writes.emplace_back(reg, value);
  }

 private:
  void tick() {
    const int n = ++chip_.reads;
    const bool periodic = chip_.reads_per_tick != 0 && n % chip_.reads_per_tick == 0;
    if (!periodic && std::find(chip_.tick_at_reads.begin(), chip_.tick_at_reads.end(), n) == chip_.tick_at_reads.end()) return;
    const int s = *cmos::bcd_to_int(chip_.regs[cmos::kSeconds]);
    chip_.regs[cmos::kSeconds] = cmos::int_to_bcd((s + 1) % 60);
  }
  Chip& chip_;
};

CmosTiming fast_timing() {
  CmosTiming t;
  t.poll_interval = 10us;
  t.uip_timeout = 5ms;
  return t;
}

std::unique_ptr<RtcDevice> driver(Chip& chip) {
  return make_cmos_rtc(std::make_unique<FakePorts>(chip), fast_timing());
}

}  // namespace

TEST_CASE("cmos: reads BCD 24 h with the century") {
  Chip chip;
  auto t = driver(chip)->read();
  REQUIRE(t.ok());
  CHECK(*t == RtcTime{2026, 11, 23, 10, 56, 10});
}

TEST_CASE("cmos: a cleared VRT bit is a dead battery") {
  Chip chip;
  chip.regs[cmos::kRegD] = 0x00;
  auto t = driver(chip)->read();
  REQUIRE_FALSE(t.ok());
  CHECK(t.error().message() ==
        "cmos: the RTC holds no valid time: its battery is dead (register D VRT bit is 0) "
        "(replace the CMOS battery, then set the RTC)");
}

TEST_CASE("cmos: a stopped divider is reported, and so are impossible fields") {
  Chip chip;
  chip.regs[cmos::kRegA] = 0x76;
  auto stopped = driver(chip)->read();
  REQUIRE_FALSE(stopped.ok());
  CHECK(stopped.error().message().find("the clock is stopped (register A 0x76, B 0x02)") != std::string::npos);
  CHECK_FALSE(driver(chip)->wait_for_edge(100ms).ok());

  Chip garbage;
  garbage.regs[cmos::kMonth] = 0x00;
  auto bad = driver(garbage)->read();
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message().find("holds no valid time (battery dead or never set)") != std::string::npos);
}

TEST_CASE("cmos: a stuck update-in-progress bit ends in an error, quickly") {
  Chip chip;
  chip.uip_stuck = true;
  const auto start = std::chrono::steady_clock::now();
  auto t = driver(chip)->read();
  REQUIRE_FALSE(t.ok());
  CHECK(t.error().message().find("update-in-progress stayed set") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - start < 500ms);
}

TEST_CASE("cmos: a read that straddles an update is repeated") {
  // Each attempt reads A twice (running, UIP), then the seconds before and
  // after the other fields: read 4 is the second read of the seconds.
  Chip chip;
  chip.tick_at_reads = {4};
  auto t = driver(chip)->read();
  REQUIRE(t.ok());
  CHECK(t->second == 11);
  CHECK(chip.reads == 8);

  Chip restless;
  restless.reads_per_tick = 4;  // every attempt straddles an update
  auto r = driver(restless)->read();
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message().find("the seconds kept changing during 10 reads") != std::string::npos);
}

TEST_CASE("cmos: set halts, resets the divider, writes, restores B then starts A") {
  Chip chip;
  auto rtc = driver(chip);
  REQUIRE(rtc->set({2099, 12, 31, 23, 59, 58}).ok());
  REQUIRE(chip.writes.size() >= 4);
  CHECK(chip.writes[0] == std::pair<uint8_t, uint8_t>{cmos::kRegB, 0x82});
  CHECK(chip.writes[1] == std::pair<uint8_t, uint8_t>{cmos::kRegA, 0x76});
  CHECK(chip.writes[chip.writes.size() - 2] == std::pair<uint8_t, uint8_t>{cmos::kRegB, 0x02});
  CHECK(chip.writes.back() == std::pair<uint8_t, uint8_t>{cmos::kRegA, 0x26});
  CHECK(chip.regs[cmos::kCentury] == 0x20);
  CHECK(chip.regs[cmos::kYear] == 0x99);
  CHECK(chip.regs[cmos::kHours] == 0x23);
  CHECK(chip.regs[cmos::kWeekday] == 5);  // 2099-12-31 is a Thursday
  CHECK(rtc->read().value() == RtcTime{2099, 12, 31, 23, 59, 58});
  CHECK(rtc->first_tick_after_set() == 500ms);
}

TEST_CASE("cmos: on AMD/Hygon the set never writes DV0 (the bank select) and reads a DV0-set clock as running") {
  Chip chip;
  chip.regs[cmos::kRegA] = 0x36;  // running, bank 1 selected by the firmware
  CmosTiming amd = fast_timing();
  amd.amd_register_a = true;
  auto rtc = make_cmos_rtc(std::make_unique<FakePorts>(chip), amd);
  REQUIRE(rtc->read().ok());
  REQUIRE(rtc->set({2031, 7, 8, 9, 10, 11}).ok());
  for (const auto& [reg, value] : chip.writes) {
    if (reg == cmos::kRegA) CHECK((value & cmos::kA_DV0) == 0);
  }
  CHECK(chip.writes[1] == std::pair<uint8_t, uint8_t>{cmos::kRegA, 0x66});  // divider reset, bank 0
  CHECK(chip.writes.back() == std::pair<uint8_t, uint8_t>{cmos::kRegA, 0x26});
  CHECK(rtc->read().value() == RtcTime{2031, 7, 8, 9, 10, 11});
}

TEST_CASE("cmos: set revives a stopped clock and keeps binary 12 h mode") {
  Chip chip;
  chip.regs[cmos::kRegA] = 0x76;
  chip.regs[cmos::kRegB] = 0x04;  // binary, 12 h
  chip.regs[cmos::kCentury] = 20;
  auto rtc = driver(chip);
  REQUIRE(rtc->set({2021, 3, 4, 23, 4, 5}).ok());
  CHECK(chip.regs[cmos::kRegA] == 0x26);
  CHECK(chip.regs[cmos::kRegB] == 0x04);
  CHECK(chip.regs[cmos::kHours] == 0x8B);
  CHECK(rtc->read().value() == RtcTime{2021, 3, 4, 23, 4, 5});
}

TEST_CASE("cmos: set refuses a year it cannot hold without a century register") {
  Chip chip;
  chip.regs[cmos::kCentury] = 0x00;
  auto s = driver(chip)->set({2100, 1, 1, 0, 0, 0});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message().find("cannot store the year 2100") != std::string::npos);
  CHECK(chip.writes.empty());
}

TEST_CASE("cmos: wait_for_edge returns when the seconds change, or times out") {
  Chip ticking;
  ticking.reads_per_tick = 50;
  CHECK(driver(ticking)->wait_for_edge(2s).ok());

  Chip frozen;
  const auto start = std::chrono::steady_clock::now();
  auto s = driver(frozen)->wait_for_edge(50ms);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message().find("no seconds edge within 50 ms") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - start < 1s);
}

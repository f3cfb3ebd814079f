// The MC146818 register encodings of rtc/cmos_registers: BCD and binary,
// 12 h and 24 h, the century register and the year window, impossible values.
#include "rtc/cmos_registers.h"

#include <random>

#include <doctest/doctest.h>

using namespace rtcal;
using namespace rtcal::cmos;

namespace {
const Mode kBcd24{false, true};
const Mode kBcd12{false, false};
const Mode kBin24{true, true};
const Mode kBin12{true, false};

RawFields raw(uint8_t sec, uint8_t min, uint8_t hour, uint8_t day, uint8_t month, uint8_t year,
              std::optional<uint8_t> century) {
  RawFields r;
  r.seconds = sec;
  r.minutes = min;
  r.hours = hour;
  r.day = day;
  r.month = month;
  r.year = year;
  r.century = century;
  return r;
}
}  // namespace

TEST_CASE("cmos_registers: BCD helpers") {
  CHECK(bcd_to_int(0x59) == 59);
  CHECK(bcd_to_int(0x00) == 0);
  CHECK_FALSE(bcd_to_int(0x5A).has_value());
  CHECK_FALSE(bcd_to_int(0xA0).has_value());
  CHECK(int_to_bcd(47) == 0x47);
}

TEST_CASE("cmos_registers: register B selects the mode") {
  CHECK(mode_of_register_b(0x02).binary == false);
  CHECK(mode_of_register_b(0x02).hours24 == true);
  CHECK(mode_of_register_b(0x04).binary == true);
  CHECK(mode_of_register_b(0x04).hours24 == false);
}

TEST_CASE("cmos_registers: decode BCD 24 h with the century register") {
  auto t = decode(raw(0x10, 0x56, 0x10, 0x23, 0x11, 0x26, 0x20), kBcd24, "cmos");
  REQUIRE(t.ok());
  CHECK(*t == RtcTime{2026, 11, 23, 10, 56, 10});
  auto y2100 = decode(raw(0x00, 0x00, 0x00, 0x01, 0x01, 0x00, 0x21), kBcd24, "cmos");
  REQUIRE(y2100.ok());
  CHECK(y2100->year == 2100);
}

TEST_CASE("cmos_registers: without a plausible century the year window applies") {
  CHECK(decode(raw(0, 0, 0, 1, 1, 0x69, std::nullopt), kBcd24, "cmos")->year == 2069);
  CHECK(decode(raw(0, 0, 0, 1, 1, 0x70, std::nullopt), kBcd24, "cmos")->year == 1970);
  CHECK(decode(raw(0, 0, 0, 1, 1, 0x99, 0xFF), kBcd24, "cmos")->year == 1999);  // 0xFF: not a century
  CHECK(decode(raw(0, 0, 0, 1, 1, 0x26, 0x00), kBcd24, "cmos")->year == 2026);
}

TEST_CASE("cmos_registers: 12 h mode, 12 AM is midnight and bit 7 is PM") {
  CHECK(decode(raw(0, 0, 0x12, 1, 1, 0x26, 0x20), kBcd12, "cmos")->hour == 0);
  CHECK(decode(raw(0, 0, 0x01, 1, 1, 0x26, 0x20), kBcd12, "cmos")->hour == 1);
  CHECK(decode(raw(0, 0, 0x92, 1, 1, 0x26, 0x20), kBcd12, "cmos")->hour == 12);
  CHECK(decode(raw(0, 0, 0x91, 1, 1, 0x26, 0x20), kBcd12, "cmos")->hour == 23);
  CHECK(decode(raw(0, 0, 0x8B, 1, 1, 26, 20), kBin12, "cmos")->hour == 23);
  CHECK_FALSE(decode(raw(0, 0, 0x00, 1, 1, 0x26, 0x20), kBcd12, "cmos").ok());  // hour 0 in 12 h mode
  CHECK_FALSE(decode(raw(0, 0, 0x13, 1, 1, 0x26, 0x20), kBcd12, "cmos").ok());
}

TEST_CASE("cmos_registers: impossible fields say the RTC holds no valid time") {
  auto t = decode(raw(0x7A, 0x7A, 0x3F, 0x00, 0x00, 0x21, 0x20), kBcd24, "cmos");
  REQUIRE_FALSE(t.ok());
  CHECK(t.error().message().find("cmos: the RTC holds no valid time (battery dead or never set)") == 0);
  CHECK(t.error().message().find("sec 0x7a") != std::string::npos);
  CHECK_FALSE(decode(raw(0, 0, 0, 0x30, 0x02, 0x26, 0x20), kBcd24, "cmos").ok());  // Feb 30
  CHECK_FALSE(decode(raw(0, 0, 0x24, 1, 1, 0x26, 0x20), kBcd24, "cmos").ok());     // hour 24
  CHECK_FALSE(decode(raw(0, 0, 0, 1, 1, 100, 20), kBin24, "cmos").ok());           // year 100
}

TEST_CASE("cmos_registers: encode gives the registers QEMU's MC146818 shows") {
  auto r = encode({2021, 3, 4, 23, 4, 5}, kBcd12, true, "cmos");
  REQUIRE(r.ok());
  CHECK(r->hours == 0x91);
  CHECK(r->weekday == 5);  // Thursday
  CHECK(r->century == 0x20);
  auto b = encode({2024, 2, 29, 13, 14, 15}, kBin24, true, "cmos");
  REQUIRE(b.ok());
  CHECK(b->hours == 0x0D);
  CHECK(b->day == 0x1D);
  CHECK(b->year == 0x18);
  CHECK(b->century == 0x14);
  CHECK(encode({2021, 3, 4, 0, 4, 5}, kBin12, true, "cmos")->hours == 0x0C);
}

TEST_CASE("cmos_registers: years outside what the clock can hold are refused") {
  auto r = encode({2100, 1, 1, 0, 0, 0}, kBcd24, false, "cmos");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message() == "cmos: cannot store the year 2100 (this CMOS clock holds 1970-2069) (give a year in that range)");
  CHECK(encode({2100, 1, 1, 0, 0, 0}, kBcd24, true, "cmos").ok());
  CHECK_FALSE(encode({2026, 2, 30, 0, 0, 0}, kBcd24, true, "cmos").ok());
}

TEST_CASE("cmos_registers: encode then decode is the identity in every mode") {
  const unsigned seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int64_t> dist(0, 7'258'118'399LL);  // 1970 .. 2199
  for (const Mode mode : {kBcd24, kBcd12, kBin24, kBin12}) {
    for (int i = 0; i < 2000; ++i) {
      const RtcTime t = utc_fields_of_unix_s(dist(rng));
      auto r = encode(t, mode, true, "cmos");
      REQUIRE(r.ok());
      auto back = decode(*r, mode, "cmos");
      REQUIRE(back.ok());
      REQUIRE(*back == t);
    }
  }
}

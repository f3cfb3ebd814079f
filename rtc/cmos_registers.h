// The MC146818 CMOS clock's register layout and the pure conversion between
// its raw register bytes and an RtcTime: BCD or binary (register B DM bit),
// 12 h or 24 h (register B bit 1; in 12 h mode bit 7 of the hour is PM and
// 12 AM is midnight), and the century, from register 0x32 when it holds a
// plausible value, else from a year window. No port I/O here (rtc/cmos.cc
// does that), so every rule is testable from literals.
#pragma once

#include <cstdint>
#include <optional>

#include "base/clock_types.h"
#include "base/result.h"

namespace rtcal::cmos {

// Register indexes (written to port 0x70; data on port 0x71).
inline constexpr uint8_t kSeconds = 0x00;
inline constexpr uint8_t kMinutes = 0x02;
inline constexpr uint8_t kHours = 0x04;
inline constexpr uint8_t kWeekday = 0x06;  // 1-7, 1 = Sunday
inline constexpr uint8_t kDay = 0x07;
inline constexpr uint8_t kMonth = 0x08;
inline constexpr uint8_t kYear = 0x09;     // 0-99
inline constexpr uint8_t kRegA = 0x0A;
inline constexpr uint8_t kRegB = 0x0B;
inline constexpr uint8_t kRegC = 0x0C;
inline constexpr uint8_t kRegD = 0x0D;
inline constexpr uint8_t kCentury = 0x32;  // on most PCs (ACPI FADT names the real one)

// Register A: bit 7 update in progress; bits 6-4 the divider.
inline constexpr uint8_t kA_UIP = 0x80;
inline constexpr uint8_t kA_DividerMask = 0x70;
inline constexpr uint8_t kA_DividerRun = 0x20;    // 010: 32.768 kHz, running
inline constexpr uint8_t kA_DividerReset = 0x70;  // 11x: held in reset
// On AMD and Hygon chipsets bit 4 (DV0) selects register bank 1 instead: a
// reset there is 110 with DV0 clear, and DV0 is never written set.
inline constexpr uint8_t kA_DV0 = 0x10;
inline constexpr uint8_t kA_DividerResetKeepBank0 = 0x60;
// Register B: bit 7 SET (updates halted), bit 2 DM (1 = binary), bit 1 24 h.
inline constexpr uint8_t kB_SET = 0x80;
inline constexpr uint8_t kB_Binary = 0x04;
inline constexpr uint8_t kB_24h = 0x02;
// Register D: bit 7 VRT (valid RAM and time: the battery is good).
inline constexpr uint8_t kD_VRT = 0x80;
// Hours register in 12 h mode: bit 7 = PM.
inline constexpr uint8_t kHourPM = 0x80;

// The date and time registers as read, before any decoding.
struct RawFields {
  uint8_t seconds = 0, minutes = 0, hours = 0, weekday = 0, day = 0, month = 0, year = 0;
  std::optional<uint8_t> century;  // register 0x32, when the caller read it
};

// The encoding register B selects.
struct Mode {
  bool binary = false;  // DM bit: binary instead of BCD
  bool hours24 = true;  // 24 h instead of 12 h
};
Mode mode_of_register_b(uint8_t reg_b);

// BCD helpers; bcd_to_int is nullopt for a nibble above 9.
std::optional<int> bcd_to_int(uint8_t bcd);
uint8_t int_to_bcd(int value);

// The century that register 0x32 names, when it is plausible (19, 20, 21 in
// the register's encoding), else nullopt.
std::optional<int> plausible_century(uint8_t reg, Mode mode);

// Decode the registers. Impossible values (a BCD nibble above 9, month 13,
// Feb 30, hour 0 in 12 h mode) are an error saying the RTC holds no valid time.
Result<RtcTime> decode(const RawFields& raw, Mode mode, const std::string& object);

// Encode `t` for writing. `with_century` says whether register 0x32 is in
// use; without it only 1970-2069 can be stored (the year window).
Result<RawFields> encode(const RtcTime& t, Mode mode, bool with_century, const std::string& object);

// 1-7, 1 = Sunday, as the weekday register counts.
int weekday_register_of(const RtcTime& t);

}  // namespace rtcal::cmos

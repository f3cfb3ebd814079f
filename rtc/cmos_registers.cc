// Decoding and encoding the MC146818 date registers (see cmos_registers.h).
#include "rtc/cmos_registers.h"

#include <cstdio>
#include <string>

#include "base/number_text.h"
#include "rtc/rtc_device.h"

namespace rtcal::cmos {
namespace {

// Years stored without a century register: 70-99 mean 19xx, 00-69 mean 20xx
// (the same window Linux's rtc_cmos and util-linux use).
constexpr int kWindowPivot = 70;

std::optional<int> field_value(uint8_t raw, Mode mode) {
  if (mode.binary) return raw;
  return bcd_to_int(raw);
}

uint8_t field_byte(int value, Mode mode) {
  return mode.binary ? static_cast<uint8_t>(value) : int_to_bcd(value);
}

// The 0-23 hour of an hours register byte.
std::optional<int> decode_hour(uint8_t raw, Mode mode) {
  if (mode.hours24) return field_value(raw, mode);
  const bool pm = (raw & kHourPM) != 0;
  const auto h12 = field_value(static_cast<uint8_t>(raw & ~kHourPM), mode);
  if (!h12 || *h12 < 1 || *h12 > 12) return std::nullopt;
  return *h12 % 12 + (pm ? 12 : 0);
}

uint8_t encode_hour(int hour, Mode mode) {
  if (mode.hours24) return field_byte(hour, mode);
  const int h12 = hour % 12 == 0 ? 12 : hour % 12;
  return static_cast<uint8_t>(field_byte(h12, mode) | (hour >= 12 ? kHourPM : 0));
}

}  // namespace

Mode mode_of_register_b(uint8_t reg_b) {
  return Mode{(reg_b & kB_Binary) != 0, (reg_b & kB_24h) != 0};
}

std::optional<int> bcd_to_int(uint8_t bcd) {
  const int high = bcd >> 4;
  const int low = bcd & 0x0F;
  if (high > 9 || low > 9) return std::nullopt;
  return high * 10 + low;
}

uint8_t int_to_bcd(int value) { return static_cast<uint8_t>((value / 10) << 4 | (value % 10)); }

std::optional<int> plausible_century(uint8_t reg, Mode mode) {
  const auto value = field_value(reg, mode);
  if (!value || *value < 19 || *value > 21) return std::nullopt;
  return value;
}

Result<RtcTime> decode(const RawFields& raw, Mode mode, const std::string& object) {
  const auto second = field_value(raw.seconds, mode);
  const auto minute = field_value(raw.minutes, mode);
  const auto hour = decode_hour(raw.hours, mode);
  const auto day = field_value(raw.day, mode);
  const auto month = field_value(raw.month, mode);
  const auto year = field_value(raw.year, mode);
  const std::string registers = "registers sec " + hex_byte(raw.seconds) + " min " + hex_byte(raw.minutes) +
                                " hour " + hex_byte(raw.hours) + " day " + hex_byte(raw.day) + " month " +
                                hex_byte(raw.month) + " year " + hex_byte(raw.year);
  if (!second || !minute || !hour || !day || !month || !year || *year > 99) {
    return no_valid_time_error(object, ": " + registers);
  }
  std::optional<int> century;
  if (raw.century) century = plausible_century(*raw.century, mode);
  RtcTime t;
  t.year = century ? *century * 100 + *year : (*year < kWindowPivot ? 2000 : 1900) + *year;
  t.month = *month;
  t.day = *day;
  t.hour = *hour;
  t.minute = *minute;
  t.second = *second;
  if (!rtc_time_is_valid(t)) return no_valid_time_error(object, ": " + registers);
  return t;
}

Result<RawFields> encode(const RtcTime& t, Mode mode, bool with_century, const std::string& object) {
  if (!rtc_time_is_valid(t)) {
    return usage_error(object, "cannot store the impossible time " + format_rtc_time(t),
                       "give a real date and time");
  }
  const int low = with_century ? 1900 : 1900 + kWindowPivot;
  const int high = with_century ? 2199 : 2000 + kWindowPivot - 1;
  if (t.year < low || t.year > high) {
    return usage_error(object,
                       "cannot store the year " + std::to_string(t.year) + " (this CMOS clock holds " +
                           std::to_string(low) + "-" + std::to_string(high) + ")",
                       "give a year in that range");
  }
  RawFields raw;
  raw.seconds = field_byte(t.second, mode);
  raw.minutes = field_byte(t.minute, mode);
  raw.hours = encode_hour(t.hour, mode);
  raw.weekday = field_byte(weekday_register_of(t), mode);
  raw.day = field_byte(t.day, mode);
  raw.month = field_byte(t.month, mode);
  raw.year = field_byte(t.year % 100, mode);
  if (with_century) raw.century = field_byte(t.year / 100, mode);
  return raw;
}

int weekday_register_of(const RtcTime& t) { return weekday_of(t) + 1; }

}  // namespace rtcal::cmos

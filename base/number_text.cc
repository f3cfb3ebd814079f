// Numbers as text (see number_text.h).
#include "base/number_text.h"

#include <cstdio>

#include <charconv>
#include <string_view>
#include <system_error>

namespace rtcal {

std::string fixed(double value, int decimals, bool plus) {
  char text[64];
  char* const digits = text + 1;  // text[0] is for the '+'
  auto [end, ec] = std::to_chars(digits, text + sizeof text, value, std::chars_format::fixed, decimals);
  if (ec != std::errc()) return "?";
  const std::string_view shown(digits, static_cast<std::size_t>(end - digits));
  const bool rounds_to_zero = shown.find_first_not_of("-0.") == std::string_view::npos;
  char* begin = digits;
  if (rounds_to_zero && *begin == '-') ++begin;
  if (plus && *begin != '-') *--begin = '+';
  return std::string(begin, end);
}

std::string hex_byte(uint8_t value) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%02x", value);
  return text;
}

}  // namespace rtcal

// Numbers as text for people: fixed decimals in the C locale, whatever the
// user's locale, and never a "-0.00".
#pragma once

#include <cstdint>
#include <string>

namespace rtcal {

// `value` with `decimals` digits after the point ("12.400"); a leading '+'
// on non-negative values when `plus`; a value that rounds to zero has no sign
// but the plus.
std::string fixed(double value, int decimals = 6, bool plus = false);

// "0x0a": a register's byte, for messages.
std::string hex_byte(uint8_t value);

}  // namespace rtcal

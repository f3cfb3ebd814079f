// The Clock mini-HOWTO's manual calibration, without its hand arithmetic:
//   new factor = (old factor * days + seconds you had to add) / days
// made exact for hwclock's per-RTC-day factor (calibration/drift.h,
// updated_factor_s_per_rtc_day: the divisor is days - added / 86400).
// "Seconds you had to add" is minus the RTC error (RTC minus true time): an
// RTC 12 s fast needed -12 s. Pure: no I/O.
#pragma once

#include <optional>
#include <string>

namespace rtcal::calibration {

// The new factor (s per RTC day) after `days` true days. `days` must be > 0
// (the caller validates).
double howto_factor(double old_factor_s_per_rtc_day, double days, double seconds_added);

// Days between two day-of-year numbers as `date +%j` prints them (1-366),
// the first taken in `first_year`. When `to_day` < `from_day` the interval
// crosses January 1 and the length of `first_year` (365 or 366) is added.
// Returns nullopt when a day number is out of range for its year (0, or 366
// in a common year; a crossing `to_day` is at most 365, so always valid).
// Equal days give 0; intervals of a year or more cannot be expressed.
std::optional<int> days_between_days_of_year(int from_day, int to_day, int first_year);

// Gregorian leap year (2000 and 2024 are, 1900 and 2100 are not).
bool is_leap_year(int year);
// 366 in a leap year, else 365.
int days_in_year(int year);

}  // namespace rtcal::calibration

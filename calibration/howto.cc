// The Clock mini-HOWTO's manual calibration and its day-of-year arithmetic.
// Pure: numbers in, numbers out.
//
// The HOWTO has the user note `date +%j` at two readings and the seconds
// they had to add to the RTC; the new factor spreads those seconds (plus
// what the old factor already corrected) over the days between. This is
// the same update as rtcal's --update-drift, done by hand (exact for the
// per-RTC-day factor; the HOWTO's own formula is its first-order form).
#include "calibration/howto.h"

#include "calibration/drift.h"

namespace rtcal::calibration {

double howto_factor(double old_factor_s_per_rtc_day, double days, double seconds_added) {
  return updated_factor_s_per_rtc_day(old_factor_s_per_rtc_day, days, seconds_added);
}

bool is_leap_year(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_year(int year) { return is_leap_year(year) ? 366 : 365; }

std::optional<int> days_between_days_of_year(int from_day, int to_day, int first_year) {
  if (from_day < 1 || from_day > days_in_year(first_year)) return std::nullopt;
  if (to_day >= from_day) {
    if (to_day > days_in_year(first_year)) return std::nullopt;
    return to_day - from_day;
  }
  // Crossed January 1: the rest of the first year, then to_day days.
  if (to_day < 1) return std::nullopt;
  return days_in_year(first_year) - from_day + to_day;
}

}  // namespace rtcal::calibration

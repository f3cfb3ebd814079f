// libFuzzer target: the /etc/adjtime parser (state/adjtime.h). Any bytes must
// parse without crashing, leaking or undefined behaviour; what parses must
// format, and the formatted text must parse again to the same scale and
// extra lines (the numbers go through hwclock's "%f" and may round).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "state/adjtime.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  using rtcal::state::AdjtimeField;
  const rtcal::state::AdjtimeParse parse = rtcal::state::parse_adjtime(text);
  auto required = rtcal::state::require_fields(
      parse, "fuzz", {AdjtimeField::drift_factor, AdjtimeField::last_adjust, AdjtimeField::not_adjusted,
                      AdjtimeField::last_calibration, AdjtimeField::scale});
  if (!required) {
    (void)required.error().message();
    return 0;
  }
  const std::string formatted = rtcal::state::format_adjtime(*required);
  const rtcal::state::AdjtimeParse again = rtcal::state::parse_adjtime(formatted);
  if (again.value.scale != required->scale || again.value.extra_lines != required->extra_lines ||
      again.value.last_adjust_unix_s != required->last_adjust_unix_s ||
      again.value.last_calibration_unix_s != required->last_calibration_unix_s) {
    std::abort();  // format_adjtime wrote something parse_adjtime reads differently
  }
  return 0;
}

// libFuzzer target: adjtimex's clocks.log parser (state/clocks_log.h), the
// input of `rtcal log import`. Any bytes must parse without crashing or
// undefined behaviour; every entry it accepts must have plausible times
// (REF 0 or 1980-2199, CMOS 1980-2199), a sigma in [0, 1 day] and a line
// number inside the input; entries and errors together never outnumber the
// lines.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "state/clocks_log.h"
#include "state/measurement_log.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parse = rtcal::state::parse_clocks_log(text);
  size_t lines = 1;
  for (char c : text) lines += c == '\n';
  if (parse.entries.size() + parse.errors.size() > lines) std::abort();
  using namespace rtcal::state;
  for (const auto& e : parse.entries) {
    if (e.line < 1 || static_cast<size_t>(e.line) > lines) std::abort();
    if (e.ref_unix_s != 0.0 && !(e.ref_unix_s >= kMinLogTimeUnixS && e.ref_unix_s < kMaxLogTimeUnixS)) std::abort();
    if (!(e.cmos_unix_s >= kMinLogTimeUnixS && e.cmos_unix_s < kMaxLogTimeUnixS)) std::abort();
    if (!(e.sigma_ref_s >= 0.0 && e.sigma_ref_s <= kMaxLogSigmaS)) std::abort();
  }
  for (const auto& e : parse.errors)
    if (e.cause.empty() || e.line < 1) std::abort();
  return 0;
}

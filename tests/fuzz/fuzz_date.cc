// libFuzzer target: the command-line date parser (src/dates/date_parse.h), in a
// zone with DST changes so the skipped and repeated local times are reached.
// Any text must give a time or a usage error, never a crash, leak or
// undefined behaviour; a time that parses must format.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <string_view>

#include "src/dates/date_parse.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  setenv("TZ", "Europe/Berlin", 1);
  tzset();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 256) return 0;  // a command-line argument, not a file
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // 2026-11-23 10:56:08 UTC: a fixed "now" keeps every run reproducible.
  const rtcal::SysTime now{rtcal::Nanos(int64_t{1795427168} * 1'000'000'000)};
  auto parsed = rtcal::parse_date(text, "--date", now);
  if (!parsed) {
    if (parsed.error().message().empty()) std::abort();
    return 0;
  }
  (void)rtcal::format_local_time(*parsed, 9);
  (void)rtcal::format_utc_time(*parsed, 3);
  return 0;
}

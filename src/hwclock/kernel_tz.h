// Telling the kernel the time zone as hwclock does for --systz and
// --hctosys: minutes west of UTC from the local offset now (TZ or
// /etc/localtime), and the order of calls that makes the kernel's one-time
// warp (first settimeofday with a zone since boot) right for the RTC's scale:
// for a UTC RTC a first call with zone 0 uses up the warp, so the clock is
// not moved; for a LOCAL RTC the warp moves a clock that the kernel set from
// local time to UTC.
#pragma once

#include <optional>
#include <string>

#include "rtc/system_clock.h"
#include "src/cli/context.h"
#include "state/adjtime.h"

namespace rtcal {

// Minutes west of UTC at system time `t` (negative east of Greenwich).
int minutes_west_at(SysTime t);

// "60 minutes west ... (Europe/Berlin, UTC+01:00)" for messages.
std::string zone_text(int minutes_west);

// Make the calls on `clock` (or, with --dry-run, say what they would be).
Status send_timezone(Context& ctx, SystemClock& clock, state::RtcScale scale, int minutes_west);

// In drop-in mode with -v, hwclock's lines for its settimeofday calls
// (set_system_clock), on stdout, where hwclock prints them (after the read):
// the zone calls for `scale`, and with `system_time_unix_s` (--hctosys) the
// clock's own.
void say_hwclock_settimeofday(Context& ctx, state::RtcScale scale, int minutes_west,
                              std::optional<double> system_time_unix_s);

}  // namespace rtcal

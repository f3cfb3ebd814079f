// The kernel time zone calls (see kernel_tz.h).
#include "src/hwclock/kernel_tz.h"

#include <cmath>
#include <cstdio>

#include "src/cli/output.h"
#include "src/dates/local_time.h"

namespace rtcal {

int minutes_west_at(SysTime t) {
  return -local_utc_offset_s(static_cast<int64_t>(std::floor(to_unix_s(t)))) / 60;
}

std::string zone_text(int minutes_west) {
  return std::to_string(minutes_west) + " minutes west of UTC (" + local_zone_name() + ", UTC" +
         format_utc_offset(-minutes_west * 60) + ")";
}

Status send_timezone(Context& ctx, SystemClock& clock, state::RtcScale scale, int minutes_west) {
  if (ctx.options().dry_run) {
    say(ctx, "Would set the kernel time zone to " + zone_text(minutes_west) +
                 (scale == state::RtcScale::local
                      ? "; if it is the first since boot, the kernel moves the system clock by that much"
                      : ""));
    return Status::success();
  }
  if (scale == state::RtcScale::utc) {
    if (Status first = clock.set_kernel_timezone(0); !first) return first;
  }
  if (Status zone = clock.set_kernel_timezone(minutes_west); !zone) return zone;
  ctx.note("kernel time zone set to " + zone_text(minutes_west));
  return Status::success();
}

void say_hwclock_settimeofday(Context& ctx, state::RtcScale scale, int minutes_west,
                              std::optional<double> system_time_unix_s) {
  if (!ctx.options().hwclock_output || ctx.options().verbose == 0) return;
  char line[128];
  if (scale == state::RtcScale::utc) {
    ctx.out() << "Calling settimeofday(NULL, 0) to lock the warp_clock function.\n";
    if (minutes_west != 0) {
      std::snprintf(line, sizeof line, "Calling settimeofday(NULL, %d) to set the kernel timezone.\n", minutes_west);
      ctx.out() << line;
    }
  } else {
    std::snprintf(line, sizeof line, "Calling settimeofday(NULL, %d) to warp System time, set PCIL and the kernel tz.\n",
                  minutes_west);
    ctx.out() << line;
  }
  if (!system_time_unix_s) return;
  const double whole_s = std::floor(*system_time_unix_s);
  std::snprintf(line, sizeof line, "Calling settimeofday(%lld.%06lld, NULL) to set the System time.\n",
                static_cast<long long>(whole_s),
                static_cast<long long>(std::floor((*system_time_unix_s - whole_s) * 1e6)));
  ctx.out() << line;
}

}  // namespace rtcal

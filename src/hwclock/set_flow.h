// The one flow behind `rtcal set --date` and `rtcal systohc` (hwclock --set
// and --systohc): lock adjtime, read the RTC at its edge (an unreadable RTC is
// not fatal: it is being set), set it on the seconds edge, update adjtime
// (calibration::after_set, or update_drift with --update-drift), and log the
// known step (or a reset when the old value was unreadable).
#pragma once

#include <optional>
#include <string>

#include "src/hwclock/rtc_read.h"
#include "src/hwclock/rtc_write.h"

namespace CLI {
class App;
}

namespace rtcal {

// Add --delay (and, `with_update_drift`, --update-drift) to a command that
// writes the RTC (set, systohc, adjust). Defined in src/commands/cmd_set.cc.
void add_write_options(CLI::App& app, WriteOptions& write, bool with_update_drift);

struct SetRequest {
  std::string reason;            // "set" or "systohc": the log record's reason
  std::optional<SysTime> date;   // set: the time the RTC should show at `start`; none: the system clock
  SysTime start{};               // the system time the date refers to (when the command started)
  WriteOptions options;
  // Read the RTC's old value at its seconds edge, for an exact step, even
  // when nothing else needs it (set --from-ntp, whose measurement the log's
  // calibration goes on from). Otherwise only --update-drift, an RTC that
  // keeps its phase on a set (rtc_cmos on AMD) or a measurement in the log's
  // open segment do; the others read it to the second and log a reset.
  bool old_value_at_edge = false;
};

// Run it; prints and reports as the commands do, returns the exit code.
ExitCode run_set_flow(Context& ctx, const HwDevices& dev, const SetRequest& request);

}  // namespace rtcal

// The boot record (state/measurement_log.h, type "boot"): `rtcal apply`
// notes the RTC's reading at its seconds edge, CLOCK_BOOTTIME at that edge
// and the boot id, so that `rtcal measure --boot`, any time later in the same
// boot, can tell the RTC's error at that edge from a reference taken then:
// true time at the edge = true time now - (boottime now - boottime at the
// edge). CLOCK_BOOTTIME never steps with the system clock, so the clock
// being set in between (by apply, by NTP) does not matter.
#pragma once

#include <optional>
#include <string>

#include "src/hwclock/rtc_read.h"
#include "src/measure/log_view.h"
#include "state/measurement_log.h"

namespace rtcal {

// The boot record for `reading`, taken just now (boottime and boot id from
// `clock`; errors when the clock cannot tell them).
Result<state::LogRecord> boot_record_of(SystemClock& clock, const RtcReading& reading);

// Log the boot record once per boot id: nothing when the log already holds
// one for this boot; with --dry-run print what would be appended. A failure
// is returned for the caller to warn about (apply still sets the clock).
// `view`, when the caller has read the log already, says which boots it
// holds (no second read); without it the log is scanned.
Status log_boot_record(Context& ctx, SystemClock& clock, const RtcReading& reading, const LogView* view = nullptr);

// A boot record found in the log, and what the RTC was stepped by since
// (the steps logged after it: apply's correction, a set).
struct FoundBoot {
  state::LogRecord record;
  double steps_since_s = 0.0;
};

// The last boot record for `boot_id` in the log at `path`, or nullopt.
Result<std::optional<FoundBoot>> find_boot_record(const std::string& path, const std::string& boot_id);

// The frequency uncertainty of CLOCK_BOOTTIME over the time since the boot
// edge when `--boot-freq-ppm` is not given: an NTP-disciplined kernel clock
// (adjtimex synchronised) is good to a few ppm; a free-running one to ~100.
inline constexpr double kBootFreqSyncedPpm = 2.0;
inline constexpr double kBootFreqUnsyncedPpm = 100.0;

// The measurement of the RTC's error at the boot's edge, from a reference
// taken now (`offset_s` against `clock`, see src/measure/reference.h):
//   true time at the edge = (clock now + offset) - (boottime now - boottime at edge)
//   error at the edge     = the RTC's reading at the edge - that
// logged at the edge's true time, source "boot", with the steps logged since
// the boot record added (so that, in log order, the fit sees the RTC's error
// as if those steps had already been made: state/measurement_log.h); the
// raw error is in the extra "boot_edge_rtc_error". sigma = sqrt(reference² +
// edge² + (elapsed x freq_ppm)²).
Result<state::LogRecord> boot_measurement(SystemClock& clock, const FoundBoot& boot, double offset_s,
                                          double reference_sigma_s, double freq_ppm);

}  // namespace rtcal

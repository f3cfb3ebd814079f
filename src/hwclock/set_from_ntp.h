// `rtcal set --from-ntp SERVER...`: make the system clock and the RTC right
// from NTP in one go. Order: ask NTP (offset of the command's system clock,
// see src/measure/reference.h for the simulated one); refuse a step beyond
// kMaxStepS without --force (exit 4, nothing changed); measure the RTC's
// error against NTP at its edge and log it (source "ntp"); step the system
// clock by the offset (not with --no-system); then set the RTC on its edge
// from the corrected time through the systohc flow (src/hwclock/set_flow.h: a `step`
// record with the known amount, adjtime updated as hwclock --systohc does).
// --dry-run shows every change and makes none.
#pragma once

#include "src/hwclock/set_flow.h"
#include "src/measure/reference.h"

namespace rtcal {

// The largest system clock step taken without --force, s.
inline constexpr double kMaxStepS = 1000.0;

struct FromNtpRequest {
  NtpRequest ntp;
  bool no_system = false;  // leave the system clock alone; set the RTC to NTP time anyway
  bool force = false;      // allow a step beyond kMaxStepS
  WriteOptions write;
};

ExitCode run_set_from_ntp(Context& ctx, const HwDevices& dev, const FromNtpRequest& request);

}  // namespace rtcal

// The two halves of a boot-time correction, shared by `rtcal adjust`,
// `rtcal hctosys` and `rtcal apply`: correct the RTC by the drift adjtime
// predicts (hwclock --adjust) and step the system clock to the drift-corrected
// RTC (hwclock --hctosys). Both work from one RTC reading taken at its seconds
// edge, so `apply` needs one edge wait, not two.
#pragma once

#include <optional>

#include "calibration/drift.h"
#include "src/cli/output.h"
#include "src/hwclock/adjtime_access.h"
#include "src/hwclock/rtc_read.h"
#include "src/hwclock/rtc_write.h"

namespace rtcal {

// The refusal for a decision of kind refused_no_history or refused_factor
// (exit 4), naming the adjtime file and the fix.
Error adjust_refusal(const std::string& adjfile, const calibration::AdjustDecision& decision, double factor);

// adjtime's anchor after `write` (calibration::anchored_at_write): the true
// time at the write was `true_at_write_unix_s` and the RTC was left
// `unreached_s` behind it (apply's nudge), plus the write's own lateness when
// its first edge was not timed (a timed write counts as on target, as in
// hwclock). Exact for the factor in `state`.
calibration::DriftState anchored_after(const calibration::DriftState& state, const RtcWrite& write,
                                       double true_at_write_unix_s, double unreached_s = 0.0);

// A write's step (new reading minus old) on the RTC's scale, as measurements
// count the RTC's error: for a LOCAL RTC whose old fields kept another UTC
// offset (a DST change since, or a reading in a gap) the fields moved by the
// zone change as well, which is no change of the RTC's error.
void step_on_scale(RtcWrite& write, const RtcReading& before, state::RtcScale scale, double true_at_write_unix_s);

struct AdjustRequest {
  WriteOptions write;
  // apply: write the RTC within this much system time after the reading's
  // edge instead of waiting up to a second for the exact phase; the part of
  // the correction that this cannot reach (under ±0.5 s) stays in adjtime's
  // not_adjusted, so no drift is lost. None: the exact phase (adjust).
  std::optional<double> write_within_s;
};

struct AdjustDone {
  double step_s = 0.0;          // what the RTC moved by (dry-run: would move)
  double not_adjusted_s = 0.0;  // what is left for later
  // The RTC was written; logging the step and saving adjtime gave this
  // (not ok: already reported to the user, with what was and was not changed).
  ExitCode saved = ExitCode::ok;
};

// Set the RTC to `before` + the decision's correction on the edge, log the
// step, and commit adjtime (the decision's new state; see AdjustDone::saved). `decision` must be of
// kind adjust.
Result<AdjustDone> adjust_rtc(Context& ctx, const HwDevices& dev, AdjtimeAccess& access, const RtcReading& before,
                              state::RtcScale scale, const calibration::AdjustDecision& decision,
                              const AdjustRequest& request);

// Step the system clock to the RTC's reading at its edge plus the drift that
// `drift` predicts there (dry-run: only say so). Returns the step, s. Steps
// smaller than `skip_below_s` are left alone (apply's second run).
Result<double> step_system_to_rtc(Context& ctx, const HwDevices& dev, const RtcReading& reading,
                                  state::RtcScale scale, const calibration::DriftState& drift,
                                  double skip_below_s = 0.0);

}  // namespace rtcal

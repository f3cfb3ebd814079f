// What `rtcal apply` takes the RTC's error at this boot's edge to be: the
// best knowledge the log and adjtime hold between them.
//
//   - The log's last measurement of the open segment (a `measure --boot` at
//     an earlier boot, a synchronised shutdown's), plus the steps logged
//     since and the drift the rates give over the days on and off since it
//     (src/measure/two_rate_log.h boot_anchor): used when it is no older than
//     adjtime's last adjustment (else adjtime knows of a later change of the
//     RTC, which the log may lack: hwclock's). When shutdowns do not set the
//     RTC (no NTP sync) an error measured at an earlier boot is corrected at
//     the next one, instead of persisting as "right at the last adjustment".
//   - Otherwise, with a two-rate fit and a shutdown after the last
//     adjustment: the fit's rates over the on and off stretches since that
//     adjustment, from adjtime's anchor.
//   - Otherwise adjtime alone, as hwclock.
// The rates are the two-rate fit's (calibration/two_rate.h) unless it is not
// ready or is suspect (calibration/auto_factor.h two_rate_suspect): then
// adjtime's factor, for on and off time alike, and the reason is given.
#pragma once

#include <optional>
#include <string>

#include "calibration/drift.h"
#include "src/measure/log_view.h"

namespace rtcal {

struct ApplyBasis {
  // The state to correct with: drift_s(state, the RTC's reading) is the
  // correction. adjtime's own, or it with the factor (adjtime's anchor) or
  // not_adjusted (the log's anchor) replaced, for this correction only.
  calibration::DriftState state;
  std::optional<double> ci95_s;  // the two-rate fit's 95% half-width of the correction, when it predicted it
  std::string basis = "adjtime";  // "adjtime", "two-rate fit", "measurement + two-rate fit", "measurement + adjtime factor"
  std::string two_rate_unused;    // why the log's two-rate fit was not used ("" used, or the log has no power history)
  std::string note;               // how the correction was predicted, one line for -v ("" adjtime's alone)
};

// `view` null: no log. `rtc_unix_s`: the RTC's reading at this boot's edge.
ApplyBasis apply_basis(const LogView* view, const calibration::DriftState& adjtime, double rtc_unix_s);

}  // namespace rtcal

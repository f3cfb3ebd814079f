// The measurement log as the two-rate fit (calibration/two_rate.h) sees it:
// each measurement, its step-corrected error, and the powered and unpowered
// time behind it, from the log's shutdown and boot records. A boot's true time
// is its `measure --boot` measurement's time when there is one, else the RTC's
// reading in the boot record (seconds off, which matters little over hours).
// A boot without a shutdown before it (a crash, a lost record) or a reset
// starts a new segment: the power history across it is unknown.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "calibration/two_rate.h"
#include "src/measure/log_view.h"

namespace rtcal {

// The fit's points from a view of the log.
std::vector<calibration::TwoRatePoint> two_rate_points(const LogView& view);

// The RTC's error at a boot whose edge came at true time `boot_s`, after
// the log's last record, as far as the log knows it: the last measurement
// of the open segment plus the steps logged since (time_unix_s, error_s,
// sigma_s), and the powered and unpowered days from it to that boot (the fit
// adds the drift over them). None when the open segment holds no measurement
// or the power history since it is unknown (no shutdown logged after the last
// boot: a crash or a lost record).
struct BootAnchor {
  int line = 0;               // the measurement's
  double time_unix_s = 0.0;   // its true time
  double error_s = 0.0;       // its RTC error plus the steps logged since
  double sigma_s = 0.0;
  double on_days = 0.0;       // from it to the boot
  double off_days = 0.0;
};
std::optional<BootAnchor> boot_anchor(const LogView& view, double boot_s);

// The time of the log's last power event when it is a shutdown: at boot,
// before apply logs this boot's record, the start of the off interval.
std::optional<double> last_shutdown_unix_s(const LogView& view);

// The powered and unpowered days from `from_s` to `to_s` by the log's power
// events: before a boot the machine was off, before a shutdown on, after the
// last event as that event left it (a boot's time is its measure --boot true
// time when known). For apply: what happened since the last adjustment,
// which, when shutdown did not set the RTC (no NTP sync), spans several boots.
struct PowerDays {
  double on_days = 0.0;
  double off_days = 0.0;
};
PowerDays power_days_between(const LogView& view, double from_s, double to_s);

// Add rate_on_s_per_day, rate_off_s_per_day, ci95_on_s_per_day,
// ci95_off_s_per_day, two_rate_scatter_scale, two_rate_typical_scatter_scale
// (calibration/two_rate.h), wander_on_s_per_day,
// wander_off_s_per_day (null when there is no fit) and two_rate_problem.
void add_two_rate_json(nlohmann::ordered_json& j, const calibration::TwoRateFit& fit);

// The drift report's paragraph on the two rates ("" when the log holds no
// boot or shutdown record at all).
std::string two_rate_text(const LogView& view, const calibration::TwoRateFit& fit);

}  // namespace rtcal

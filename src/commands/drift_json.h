// rtcal drift's JSON and the row helpers its text shares with it: pure
// functions of a calibration::DriftFit (no I/O).
#pragma once

#include <nlohmann/json.hpp>

#include "calibration/fit.h"

namespace rtcal {

// A row worth showing in a long log: flagged, or beside a change point.
bool notable_point(const calibration::DriftFit& fit, const calibration::FitPoint& p);

// The log line of the fit's record `record_index` (0 when it has none).
int log_line_of(const calibration::DriftFit& fit, int record_index);

// A time for `rtcal log reset --at`: whole seconds just after the last
// measurement before the step (any time between the two would do).
double reset_time_for(const calibration::ChangePoint& c);

// `rtcal drift --json` without the two-rate and write fields: the fit, the
// error expected after `days`, the next measurement for a reading of
// `next_sigma_s`, and the points (all of them with `all`, or up to 10000;
// beyond, the notable ones).
nlohmann::ordered_json drift_fit_json(const calibration::DriftFit& fit, double days, bool all, double next_sigma_s);

}  // namespace rtcal

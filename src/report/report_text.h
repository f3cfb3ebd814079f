// `rtcal report`'s words and JSON: the table of the log (one line per
// record, within 80 columns), the fit summary under it, and the --json
// document. Segments and measurement numbers are 1-based here, as the user
// reads them.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "src/report/report_data.h"

namespace rtcal::history {

// The table: a header, then one row per measurement, step and reset.
std::string report_table(const ReportData& report);

// The fit in a few lines (rate, interval, what was left out, the factor,
// the two-point answer), or why there is none.
std::string fit_summary(const ReportData& report);

// The whole report as JSON: log, measurements, segments, rows, fit (or
// null) and no_fit (the reason, or null). The caller adds svg keys.
nlohmann::ordered_json report_json(const ReportData& report, const std::string& log_path);

}  // namespace rtcal::history

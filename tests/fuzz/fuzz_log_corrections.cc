// libFuzzer target: the measurement log with correction records (drop,
// note, late reset) and trims as drift, report and status read it (src/measure/log_view.h),
// and the fit on the result. Any bytes must give a view without crashing:
// every observation is a record that parsed, a dropped one is a line some
// drop names, measurements stay in their log order apart from moved resets,
// and the fit either succeeds with finite numbers or says why not.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "calibration/fit.h"
#include "src/measure/log_view.h"
#include "state/measurement_log.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parse = rtcal::state::parse_log(text);
  const rtcal::LogView view = rtcal::view_of(parse.records);
  size_t kept = 0;
  for (const auto& r : parse.records)
    kept += r.type != rtcal::state::RecordType::drop && r.type != rtcal::state::RecordType::note &&
            r.type != rtcal::state::RecordType::trim;  // a trim re-expresses readings, it is no observation
  if (view.observations.size() != kept || view.source_ids.size() != kept) std::abort();
  int last_measurement_line = 0;
  for (const auto& o : view.observations) {
    if (o.dropped && !view.drop_reasons.count(o.line)) std::abort();
    if (o.type == rtcal::calibration::ObservationType::measurement) {
      if (o.line <= last_measurement_line) std::abort();
      last_measurement_line = o.line;
    }
  }
  const auto fit = rtcal::calibration::fit_drift(view.observations);
  if (fit && !(std::isfinite(fit->rate_s_per_day) && std::isfinite(fit->rate_sigma_s_per_day))) std::abort();
  if (!fit && fit.error().cause.empty()) std::abort();
  return 0;
}

// The drift fit (calibration/fit.h). STUB: returns an error until implemented.
#include "calibration/fit.h"

namespace rtcal::calibration {

Result<DriftFit> fit_drift(const std::vector<state::LogRecord>&, const FitOptions&) {
  return failure("measurement log", "the drift fit is not implemented yet", "wait for issue 5");
}
LinePrediction predict_line(const DriftFit&, int, double) { return {}; }
LinePrediction predict_rtc_error(const DriftFit&, int, double) { return {}; }
ErrorAfter error_after_days(const DriftFit&, double days) { return {.days = days}; }
NextMeasurement next_measurement(const DriftFit&, double sigma_s) { return {.sigma_s = sigma_s}; }
double typical_sigma_s(const DriftFit&) { return 0.0; }
double student_t_quantile(double, int) { return 1.96; }

}  // namespace rtcal::calibration

// drift --auto's decision (calibration/auto_factor.*): a tight two-rate fit
// writes the off-rate's factor; a loose or scattered one, or a single fit
// whose model check fails, writes nothing, each with its reason.
#include "calibration/auto_factor.h"

#include <doctest/doctest.h>

#include "calibration/drift.h"

using namespace rtcal::calibration;

namespace {

TwoRateFit two_rates(double off_rate, double ci95_off, double scatter) {
  TwoRateFit t;
  t.ok = true;
  t.rate_off_s_per_day = off_rate;
  t.ci95_off_s_per_day = ci95_off;
  t.scatter_scale = scatter;
  return t;
}

}  // namespace

TEST_CASE("auto_factor: a tight two-rate fit writes the off-rate as hwclock's factor") {
  const AutoFactorDecision d = decide_auto_factor(DriftFit{}, two_rates(3.456, 0.01, 1.0), 0.05);
  REQUIRE(d.write);
  CHECK(d.factor_s_per_rtc_day == doctest::Approx(factor_s_per_rtc_day_of_rate(3.456)));
  CHECK(d.reason == "written: the off-rate 3.4560 s/day ± 0.0100 s/day");
}

TEST_CASE("auto_factor: loose or suspect fits write nothing, and say why") {
  CHECK(decide_auto_factor(DriftFit{}, two_rates(3.4, 0.2, 1.0), 0.05).reason ==
        "not written: the off-rate's 95% interval (± 0.2000 s/day) is wider than ± 0.0500 s/day");
  CHECK(decide_auto_factor(DriftFit{}, two_rates(3.4, 0.01, 9.0), 0.05).reason ==
        "not written: the on/off intervals scatter 9.0 times their variance (suspect)");
  DriftFit single;
  single.model.fits = false;
  const AutoFactorDecision d = decide_auto_factor(single, TwoRateFit{}, 0.05);
  CHECK_FALSE(d.write);
  CHECK(d.reason == "not written: the rate is not constant (model check)");
  single.model.fits = true;
  single.ci95_low_s_per_day = 1.0, single.ci95_high_s_per_day = 1.02;
  single.factor_s_per_day = -1.01;
  CHECK(decide_auto_factor(single, TwoRateFit{}, 0.05).write);
  CHECK_FALSE(decide_auto_factor(single, TwoRateFit{}, 0.005).write);
}

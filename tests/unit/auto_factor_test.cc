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
  t.typical_scatter_scale = scatter;
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
        "not written: the on/off intervals scatter 9.0 times their variance with a crystal's typical wander (suspect)");
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

TEST_CASE("auto_factor: with boots and shutdowns logged, no single fit of mixed on/off intervals is written") {
  DriftFit single;  // tight and "fitting": two boots give two points, whose model check cannot fail
  single.model.fits = true;
  single.ci95_low_s_per_day = 5.2, single.ci95_high_s_per_day = 5.21;
  single.factor_s_per_day = -5.2;
  TwoRateFit two;  // not ok: 1 interval of 0.5 days on and 3 off
  two.n = 1, two.dof = -1;
  two.problem = "too few intervals between measurements: 1, need at least 3";
  two.on_days = 0.5, two.off_days = 3.0;
  const AutoFactorDecision d = decide_auto_factor(single, two, 0.05, true);
  CHECK_FALSE(d.write);
  CHECK(d.reason ==
        "not written: the log holds boots and shutdowns, and the two-rate fit is not ready (too few intervals between "
        "measurements: 1, need at least 3)");
  CHECK(decide_auto_factor(single, two, 0.05, false).write);  // no power history: the single fit as before
  two.on_days = 0.0;  // every interval off (the shutdowns set the RTC): the single fit is the off-rate
  CHECK(decide_auto_factor(single, two, 0.05, true).write);
  two.on_days = 0.5, two.n = 3, two.dof = 1;  // 3 intervals, all on and off in one proportion: the mix is stable
  two.problem = "the on and off time grow in the same proportion everywhere: the two rates cannot be told apart";
  CHECK(decide_auto_factor(single, two, 0.05, true).write);
}

TEST_CASE("auto_factor: two_rate_suspect, shared with apply, says why or nothing") {
  CHECK(two_rate_suspect(two_rates(3.4, 0.01, 4.0)).empty());  // at the limit: not suspect
  CHECK(two_rate_suspect(two_rates(3.4, 0.01, 4.01)) ==
        "the on/off intervals scatter 4.0 times their variance with a crystal's typical wander (suspect)");
}

// From log view to two-rate points (see src/measure/two_rate_log.h).
#include "src/measure/two_rate_log.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "base/number_text.h"

namespace rtcal {
namespace {

using calibration::ObservationType;

// Walks the observations and power events in log order, adding up the time
// on and off since the segment began.
class PowerWalk {
 public:
  // `keep_points` false: only the last point is kept (boot_anchor).
  PowerWalk(const LogView& view, bool keep_points) : view_(view), keep_points_(keep_points) {
    if (keep_points_) points_.reserve(view.observations.size());
  }

  void event(const PowerEvent& e) {
    if (!e.boot) {
      if (powered_ == State::off) return new_segment();  // two shutdowns: a boot is missing
      pass_to(e.time_unix_s);
      powered_ = State::off;
      return;
    }
    const auto known = view_.boot_true_time.find(e.boot_id);
    const double t = known != view_.boot_true_time.end() ? known->second : e.time_unix_s;
    if (powered_ != State::off) new_segment();  // no shutdown before: off time unknown
    else pass_to(t);
    powered_ = State::on;
    last_s_ = t;
  }

  void observation(const calibration::Observation& o) {
    if (o.dropped) return;
    if (o.type == ObservationType::reset) return new_segment();
    if (o.type == ObservationType::step) {
      steps_s_ += o.amount_s;
      return;
    }
    if (powered_ == State::unknown) powered_ = State::on, last_s_ = o.time_unix_s;
    pass_to(o.time_unix_s);
    if (!keep_points_) points_.clear();
    points_.push_back({segment_, on_days_, off_days_, o.rtc_error_s - steps_s_, o.sigma_s});
    last_ = Last{o.line, o.time_unix_s};
  }

  std::vector<calibration::TwoRatePoint> take() { return std::move(points_); }

  // After the whole log: a boot at `t` (see boot_anchor).
  std::optional<BootAnchor> anchor_at_boot(double t) {
    if (powered_ != State::off || points_.empty() || points_.back().segment != segment_) return std::nullopt;
    pass_to(t);
    const calibration::TwoRatePoint& p = points_.back();
    return BootAnchor{last_.line, last_.time_unix_s, p.error_s + steps_s_, p.sigma_s, on_days_ - p.on_days,
                      off_days_ - p.off_days};
  }

 private:
  enum class State { unknown, on, off };
  struct Last {
    int line = 0;
    double time_unix_s = 0.0;
  };

  void pass_to(double t) {
    if (powered_ == State::unknown) {
      last_s_ = t;
      return;
    }
    const double days = std::max(0.0, t - last_s_) / 86400.0;
    (powered_ == State::on ? on_days_ : off_days_) += days;
    last_s_ = std::max(last_s_, t);
  }

  void new_segment() {
    ++segment_;
    on_days_ = off_days_ = 0.0;
    powered_ = State::unknown;
  }

  const LogView& view_;
  bool keep_points_ = true;
  std::vector<calibration::TwoRatePoint> points_;
  State powered_ = State::unknown;
  int segment_ = 0;
  double on_days_ = 0.0, off_days_ = 0.0, last_s_ = 0.0, steps_s_ = 0.0;
  Last last_;
};

// The whole log through `walk`, power events and observations in log order.
void walk_log(const LogView& view, PowerWalk& walk) {
  size_t next_event = 0;
  for (size_t i = 0; i <= view.observations.size(); ++i) {
    while (next_event < view.power_events.size() && view.power_events[next_event].after_observations <= i) {
      walk.event(view.power_events[next_event++]);
    }
    if (i < view.observations.size()) walk.observation(view.observations[i]);
  }
}

}  // namespace

std::vector<calibration::TwoRatePoint> two_rate_points(const LogView& view) {
  PowerWalk walk(view, true);
  walk_log(view, walk);
  return walk.take();
}

std::optional<BootAnchor> boot_anchor(const LogView& view, double boot_s) {
  PowerWalk walk(view, false);
  walk_log(view, walk);
  return walk.anchor_at_boot(boot_s);
}

std::optional<double> last_shutdown_unix_s(const LogView& view) {
  if (view.power_events.empty() || view.power_events.back().boot) return std::nullopt;
  return view.power_events.back().time_unix_s;
}

PowerDays power_days_between(const LogView& view, double from_s, double to_s) {
  PowerDays days;
  const auto true_time = [&](const PowerEvent& e) {
    const auto known = e.boot ? view.boot_true_time.find(e.boot_id) : view.boot_true_time.end();
    return known != view.boot_true_time.end() ? known->second : e.time_unix_s;
  };
  double at_s = from_s;
  bool on = true;  // before the first event after from_s: as that event says
  bool seen = false;
  for (const PowerEvent& e : view.power_events) {
    const double t = std::min(true_time(e), to_s);
    if (t <= from_s) {
      on = e.boot;
      continue;
    }
    if (!seen) on = !e.boot, seen = true;
    (on ? days.on_days : days.off_days) += (t - at_s) / 86400.0;
    at_s = t;
    on = e.boot;
  }
  if (to_s > at_s) (on ? days.on_days : days.off_days) += (to_s - at_s) / 86400.0;
  return days;
}

void add_two_rate_json(nlohmann::ordered_json& j, const calibration::TwoRateFit& fit) {
  const auto value = [&](double x) { return fit.ok ? nlohmann::ordered_json(x) : nlohmann::ordered_json(nullptr); };
  j["rate_on_s_per_day"] = value(fit.rate_on_s_per_day);
  j["rate_off_s_per_day"] = value(fit.rate_off_s_per_day);
  j["ci95_on_s_per_day"] = value(fit.ci95_on_s_per_day);
  j["ci95_off_s_per_day"] = value(fit.ci95_off_s_per_day);
  j["two_rate_scatter_scale"] = value(fit.scatter_scale);
  j["two_rate_typical_scatter_scale"] = value(fit.typical_scatter_scale);
  j["wander_on_s_per_day"] = value(fit.wander_on_s_per_day);
  j["wander_off_s_per_day"] = value(fit.wander_off_s_per_day);
  j["two_rate_problem"] = fit.ok ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(fit.problem);
}

std::string two_rate_text(const LogView& view, const calibration::TwoRateFit& fit) {
  if (view.power_events.empty()) return "";
  if (!fit.ok) return "Two rates (on / off): no fit yet: " + fit.problem + ".\n";
  const auto rate = [](double r, double ci) {
    return std::string(r >= 0 ? "gains " : "loses ") + fixed(std::fabs(r), 4) + " ± " + fixed(ci, 4) + " s/day";
  };
  return "Two rates: while on the RTC " + rate(fit.rate_on_s_per_day, fit.ci95_on_s_per_day) + ", while off it " +
         rate(fit.rate_off_s_per_day, fit.ci95_off_s_per_day) + " (95%; " + fixed(fit.on_days, 1) + " days on, " +
         fixed(fit.off_days, 1) + " off).\n";
}

}  // namespace rtcal

// rtcal factor: the Clock mini-HOWTO's correction-factor calculation, done
// right: new factor = (old factor * days + seconds you had to add) / days,
// with days from a number, two dates, or two `date +%j` day numbers across
// January 1. --write stores the factor in adjtime after showing the change.
#include <cmath>
#include <memory>
#include <optional>

#include "base/number_text.h"
#include "calibration/drift.h"
#include "calibration/howto.h"
#include "src/cli/command.h"
#include "src/cli/output.h"
#include "src/dates/date_parse.h"
#include "src/hwclock/adjtime_access.h"
#include "src/hwclock/adjtime_values.h"

namespace rtcal {
namespace {

struct FactorOptions {
  std::optional<double> error_s, added_s, days, old_factor;
  std::string from, to;
  std::optional<int> from_day, to_day, year;
  bool write = false;
};

Result<double> finite_option(const char* name, double value) {
  if (!std::isfinite(value)) return usage_error(name, "not a finite number", "give a number such as 12.5");
  return value;
}

// The interval in days from whichever form was given.
Result<double> interval_days(Context& ctx, const FactorOptions& o) {
  const int forms = (o.days ? 1 : 0) + (!o.from.empty() || !o.to.empty() ? 1 : 0) +
                    (o.from_day || o.to_day || o.year ? 1 : 0);
  if (forms != 1) {
    return usage_error("factor", forms == 0 ? "the interval is missing" : "the interval is given twice",
                       "give one of --days D, --from DATE --to DATE, or --from-day N --to-day M --year Y");
  }
  double days = 0;
  if (o.days) {
    auto d = finite_option("--days", *o.days);
    if (!d) return d.error();
    days = d.value();
  } else if (!o.from.empty() || !o.to.empty()) {
    if (o.from.empty() || o.to.empty())
      return usage_error(o.from.empty() ? "--from" : "--to", "missing", "give both --from DATE and --to DATE");
    auto now = now_for(ctx);
    if (!now) return now.error();
    auto from = parse_date(o.from, "--from", now.value());
    if (!from) return from.error();
    auto to = parse_date(o.to, "--to", now.value());
    if (!to) return to.error();
    days = (to_unix_s(to.value()) - to_unix_s(from.value())) / calibration::kSecondsPerDay;
    if (days <= 0) return usage_error("--from/--to", "--to is not after --from", "give the earlier reading as --from");
  } else {
    if (!o.from_day || !o.to_day || !o.year)
      return usage_error("--from-day/--to-day/--year", "incomplete",
                         "give all three: --from-day N --to-day M --year Y (Y = year of the first reading)");
    auto d = calibration::days_between_days_of_year(*o.from_day, *o.to_day, *o.year);
    if (!d) {
      return usage_error("--from-day/--to-day", "a day number is out of range for its year",
                         "day numbers run 1-" + std::to_string(calibration::days_in_year(*o.year)) +
                             " in " + std::to_string(*o.year) + " (as `date +%j` prints them)");
    }
    days = *d;
  }
  if (days <= 0) return usage_error("--days", "the interval must be longer than zero", "give a positive number of days");
  return days;
}

// Seconds the user had to add to the RTC (= - RTC error).
Result<double> seconds_added(const FactorOptions& o) {
  if (o.error_s.has_value() == o.added_s.has_value()) {
    return usage_error("factor", o.error_s ? "both --error and --added are given" : "the RTC's error is missing",
                       "give --error S (RTC minus true time, + = fast) or --added S (seconds you had to add)");
  }
  if (o.error_s) {
    auto e = finite_option("--error", *o.error_s);
    if (!e) return e.error();
    return -e.value();
  }
  return finite_option("--added", *o.added_s);
}

// Store `factor` in adjtime through `tx` (taken before the old factor was
// read, so no other rtcal's update is lost). Text mode shows the change
// first. Returns whether the file was written.
Result<bool> write_factor(Context& ctx, double factor, state::AdjtimeTransaction* tx) {
  if (ctx.options().noadjfile || tx == nullptr)
    return usage_error("--write", "cannot write with --noadjfile", "drop --noadjfile or --write");
  const std::string& path = ctx.options().adjfile;
  using F = state::AdjtimeField;
  const auto& loaded = tx->loaded();
  auto current = state::require_fields(loaded.parse, path,
                                       {F::drift_factor, F::last_adjust, F::not_adjusted, F::last_calibration});
  if (!current) return current.error();
  state::Adjtime next = current.value();
  next.drift_factor_s_per_day = factor;
  const auto voice = ctx.options().json ? AdjtimeVoice::silent : AdjtimeVoice::text;
  return commit_adjtime_change(ctx, tx, path, loaded.original_text, next, voice);
}

ExitCode run_factor(Context& ctx, const FactorOptions& o) {
  auto added = seconds_added(o);
  if (!added) return report(ctx, added.error());
  auto days = interval_days(ctx, o);
  if (!days) return report(ctx, days.error());

  // With --write, the lock is taken before the old factor is read: a
  // concurrent rtcal's new factor is then the old one here, not lost.
  std::unique_ptr<state::AdjtimeTransaction> tx;
  if (o.write && !ctx.options().noadjfile) {
    auto begun = state::AdjtimeTransaction::begin(ctx.options().adjfile);
    if (!begun) return report(ctx, begun.error());
    tx = std::move(begun.value());
  }
  double old_factor = 0;
  if (o.old_factor) {
    auto f = finite_option("--old-factor", *o.old_factor);
    if (!f) return report(ctx, f.error());
    old_factor = f.value();
  } else if (tx) {
    auto adjtime = state::require_fields(tx->loaded().parse, tx->loaded().path, {state::AdjtimeField::drift_factor});
    if (!adjtime) return report(ctx, adjtime.error());
    old_factor = adjtime->drift_factor_s_per_day;
  } else if (!ctx.options().noadjfile) {
    auto loaded = load_adjtime_for(ctx);
    if (!loaded) return report(ctx, loaded.error());
    auto adjtime = state::require_fields(loaded->parse, loaded->path, {state::AdjtimeField::drift_factor});
    if (!adjtime) return report(ctx, adjtime.error());
    old_factor = adjtime->drift_factor_s_per_day;
  }
  const double factor = calibration::howto_factor(old_factor, days.value(), added.value());
  if (std::fabs(factor) > calibration::kMaxFactorSPerDay) {
    return report(ctx, refused("factor", "the result " + fixed(factor) + " s/day is beyond hwclock's limit of 2145 s/day",
                               "check the numbers: an RTC that far off is broken, or the interval is wrong"));
  }

  if (ctx.options().json) {
    nlohmann::ordered_json j;
    j["factor"] = factor;
    j["days"] = days.value();
    j["old_factor"] = old_factor;
    j["seconds_added"] = added.value();
    j["meaning"] = calibration::describe_factor(factor);
    if (o.write) {
      auto written = write_factor(ctx, factor, tx.get());
      if (!written) return report(ctx, written.error());
      j["written"] = written.value();
    }
    print_json(ctx, j);
    return ExitCode::ok;
  }
  {
    auto& out = ctx.out();
    const double error = -added.value();
    out << "Over " << fixed(days.value()) << " days the RTC " << (error >= 0 ? "gained " : "lost ")
        << fixed(std::fabs(error)) << " s beyond the old factor's correction"
        << " (you had to add " << fixed(added.value()) << " s).\n";
    out << "Old factor: " << fixed(old_factor) << " s/day\n";
    out << "New factor: " << fixed(factor) << " s/day: " << calibration::describe_factor(factor) << ".\n";
  }
  if (!o.write) return ExitCode::ok;
  auto written = write_factor(ctx, factor, tx.get());
  return written ? ExitCode::ok : report(ctx, written.error());
}

}  // namespace

Command add_factor_command(CLI::App& root) {
  auto o = std::make_shared<FactorOptions>();
  CLI::App* app = root.add_subcommand(
      "factor",
      "The Clock mini-HOWTO's correction factor, computed for you:\n"
      "  new factor = (old factor * days + seconds you had to add) / days\n"
      "exactly: divided by (days - seconds added / 86400), since hwclock applies the factor per\n"
      "day of the RTC's own reading. The factor is what to ADD to the RTC per day: an RTC that\n"
      "gains 9.6 s/day has about -9.6 (-9.598934).");
  auto* error = app->add_option("--error", o->error_s,
                                "RTC minus true time at the second reading, s (+ = the RTC was fast)")
                    ->type_name("S");
  auto* added = app->add_option("--added", o->added_s, "Seconds you had to add to the RTC (- = take away)")
                    ->type_name("S");
  error->excludes(added);
  app->add_option("--days", o->days, "Days between the two readings")->type_name("D");
  app->add_option("--from", o->from, "Date of the first reading (when the RTC was right)")->type_name("DATE");
  app->add_option("--to", o->to, "Date of the second reading")->type_name("DATE");
  app->add_option("--from-day", o->from_day, "Day of the year of the first reading (date +%j)")->type_name("N");
  app->add_option("--to-day", o->to_day, "Day of the year of the second reading")->type_name("M");
  app->add_option("--year", o->year, "Year of the first reading (for crossing January 1)")->type_name("Y");
  app->add_option("--old-factor", o->old_factor,
                  "The factor in use during the interval (default: the adjtime file's, or 0)")
      ->type_name("F");
  app->add_flag("--write", o->write, "Store the new factor in the adjtime file (after showing the change)");
  app->footer(
      "Examples:\n"
      "  rtcal factor --error 12.4 --days 31          RTC 12.4 s fast after 31 days: -0.4 s/day\n"
      "  rtcal factor --added 3 --from 2026-10-01 --to 2026-11-01\n"
      "  rtcal factor --added -20 --from-day 350 --to-day 10 --year 2024   across New Year\n"
      "  rtcal factor --error 12.4 --days 31 --write --dry-run             show the adjtime change\n"
      "JSON keys: factor, days, old_factor, seconds_added.");
  return {app, [o](Context& ctx) { return run_factor(ctx, *o); }};
}

}  // namespace rtcal

// rtcal trim: the RTC chip's own rate trim (rtc/trim.h). Shows whether the
// RTC has one and what it holds; --set programs a value, --from-fit the one
// that cancels the fitted drift, --reapply the last one logged (after the
// battery was changed), --check-sign measures whether the chip applies the
// offset the way Linux documents. Every change is logged as a `trim` record,
// so the drift fit re-expresses older readings at the new rate
// (src/measure/log_view.h) instead of taking the hardware correction for drift.
#include <cmath>
#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "base/number_text.h"
#include "calibration/fit.h"
#include "rtc/trim.h"
#include "src/cli/command.h"
#include "src/cli/output.h"
#include "src/measure/log_view.h"
#include "src/measure/two_rate_log.h"

namespace rtcal {
namespace {

using state::LogRecord;
using state::RecordType;

struct TrimArgs {
  std::optional<long> set_ppb;
  bool from_fit = false, reapply = false, check_sign = false, invert_sign = false;
};

struct TrimDevice {
  RtcDevice* rtc = nullptr;
  std::string sysfs;                          // /sys/class/rtc/rtcN/offset, or ""
  const trim::TrimDriver* driver = nullptr;   // the table's entry, when known
};

std::string ppb_text(long ppb) { return (ppb > 0 ? "+" : "") + std::to_string(ppb) + " ppb"; }

std::string rate_text(double ppm) {
  return (ppm >= 0 ? "+" : "") + fixed(ppm, 3) + " ppm (" + fixed(ppm * 0.0864, 4) + " s/day)";
}

// The log's records, refusing corrupt lines (a skipped one would change the fit).
Result<std::vector<LogRecord>> log_records(const std::string& path) {
  auto log = state::load_log(path);
  if (!log) return log.error();
  if (!log->errors.empty()) return corrupt_log_error(path, log->errors.front());
  return std::move(log->records);
}

// A fitted rate, ppm (+ = the RTC gains), and whether it is the off-rate.
struct FittedRate {
  double ppm = 0.0;
  bool off_rate = false;
};

// The rate to program away: the drift fit over the log, its trims taken with
// the chip's `sign` (the one now believed). With `off_rate_if_known` and boot
// and shutdown records that tell the two rates apart (calibration/two_rate.h),
// the off-rate: the machine's NTP keeps time while it runs, the RTC alone
// while it is off. The one source of the rate.
Result<FittedRate> trim_rate(std::vector<LogRecord> records, int sign, bool off_rate_if_known) {
  for (auto& r : records)
    if (r.type == RecordType::trim) r.trim_sign = sign;
  const LogView view = view_of(records);
  if (off_rate_if_known) {
    const calibration::TwoRateFit two = calibration::fit_two_rates(two_rate_points(view));
    if (two.ok) return FittedRate{two.rate_off_s_per_day / 86400.0 * 1e6, true};
  }
  auto fit = calibration::fit_drift(view.observations);
  if (!fit) return fit.error();
  return FittedRate{fit->rate_ppm, false};
}

Result<TrimDevice> open_device(Context& ctx) {
  auto rtc = ctx.rtc();
  if (!rtc) return rtc.error();
  TrimDevice d;
  d.rtc = *rtc;
  if (!d.rtc->name().starts_with("sim:")) d.sysfs = trim::sysfs_offset_path(d.rtc->name());
  d.driver = trim::find_trim_driver(d.rtc->driver());
  return d;
}

Status log_trim(Context& ctx, long previous, long now, int sign, const std::string& reason) {
  LogRecord r;
  r.type = RecordType::trim;
  auto clock = ctx.clock();
  if (!clock) return clock.error();
  r.time_unix_s = to_unix_s((*clock)->now());
  r.previous_ppb = static_cast<double>(previous);
  r.offset_ppb = static_cast<double>(now);
  r.trim_sign = sign;
  r.reason = reason;
  if (ctx.options().dry_run) {
    std::string line = state::format_record(r);
    line.pop_back();  // say() ends the line
    say(ctx, "Would append to " + ctx.options().log_path + ": " + line);
    return Status::success();
  }
  return state::append_log(ctx.options().log_path, r);
}

ExitCode run_trim_show(Context& ctx, const TrimDevice& d) {
  auto feature = trim::has_correction_feature(*d.rtc);
  auto reading = trim::read_offset(*d.rtc, d.sysfs);
  if (ctx.options().json) {
    nlohmann::ordered_json j;
    j["rtc"] = d.rtc->name();
    j["driver"] = d.rtc->driver();
    j["correction_feature"] = feature ? nlohmann::ordered_json(*feature) : nullptr;
    j["offset_ppb"] = reading ? nlohmann::ordered_json(reading->offset_ppb) : nullptr;
    j["access"] = reading ? (reading->access == trim::Access::ioctl ? "RTC_PARAM_GET" : "sysfs") : "none";
    j["rate_effect_ppm"] = reading ? nlohmann::ordered_json(trim::rate_effect_ppm(reading->offset_ppb, 1)) : nullptr;
    if (d.driver) j["step_ppb"] = static_cast<double>(d.driver->step_ppt[0]) / 1000.0;
    ctx.out() << j.dump(2) << '\n';
    return reading ? ExitCode::ok : ExitCode::failure;
  }
  auto& out = ctx.out();
  out << "RTC:        " << d.rtc->name() << " (driver " << d.rtc->driver() << ")\n";
  out << "features:   " << (feature ? (*feature ? "correction (RTC_FEATURE_CORRECTION)" : "no correction") : "unknown (no RTC_PARAM_GET)") << '\n';
  if (d.driver) {
    out << "chip:       " << d.driver->name;
    if (d.driver->step_ppt[0] == 0) out << ": its driver has no offset\n";
    else
      out << ": step " << fixed(static_cast<double>(d.driver->step_ppt[0]) / 1000.0, 3) << " ppb, range "
          << trim::min_ppb(*d.driver) << ".." << trim::max_ppb(*d.driver) << " ppb"
          << (d.driver->eeprom ? ", kept in EEPROM" : "") << '\n';
  }
  if (!reading) return report(ctx, reading.error());
  out << "offset:     " << ppb_text(reading->offset_ppb) << " (read by "
      << (reading->access == trim::Access::ioctl ? "RTC_PARAM_GET correction" : d.sysfs) << ")\n";
  out << "its effect: " << rate_text(trim::rate_effect_ppm(reading->offset_ppb, 1))
      << " on the RTC's rate (Linux's sign; + ppb slows it)\n";
  return ExitCode::ok;
}

// What the driver will store for `target`, where the table knows it.
Result<long> expected_value(const TrimDevice& d, long target) {
  if (!d.driver || d.driver->step_ppt[0] == 0) return target;
  const trim::Quantized q = trim::quantize(*d.driver, target);
  if (q.refused) {
    return failure(d.rtc->name(), ppb_text(target) + " is beyond the " + std::string(d.driver->name) + "'s range " +
                                      std::to_string(trim::min_ppb(*d.driver)) + ".." + std::to_string(trim::max_ppb(*d.driver)) +
                                      " ppb (the driver returns ERANGE)", "give a value within the range");
  }
  return q.offset_ppb;
}

// With --json, what a programming did, on stdout (the sentences go to stderr).
ExitCode tell_json(Context& ctx, long previous, long target, long now, bool written, int sign) {
  if (ctx.options().json) {
    ctx.out() << nlohmann::ordered_json{{"previous_ppb", previous}, {"target_ppb", target}, {"offset_ppb", now},
                                        {"written", written}, {"dry_run", ctx.options().dry_run},
                                        {"rate_change_ppm", trim::rate_effect_ppm(now - previous, sign)}}.dump(2)
              << '\n';
  }
  return ExitCode::ok;
}

// Program `target`: written only when the register does not hold it already
// (an EEPROM-backed chip wears), read back, and logged.
ExitCode program(Context& ctx, const TrimDevice& d, long target, int sign, const std::string& reason) {
  auto before = trim::read_offset(*d.rtc, d.sysfs);
  if (!before) return report(ctx, before.error());
  auto expected = expected_value(d, target);
  if (!expected) return report(ctx, expected.error());
  if (before->offset_ppb == target || before->offset_ppb == *expected) {
    say(ctx, "The trim already holds " + ppb_text(before->offset_ppb) + ": not written" +
                 (d.driver && d.driver->eeprom ? " (its EEPROM is spared)" : ""));
    return tell_json(ctx, before->offset_ppb, target, before->offset_ppb, false, sign);
  }
  if (ctx.options().dry_run) {
    say(ctx, "Would set the trim from " + ppb_text(before->offset_ppb) + " to " + ppb_text(target) +
                 (*expected != target ? " (the driver stores " + ppb_text(*expected) + ")" : ""));
    if (Status s = log_trim(ctx, before->offset_ppb, *expected, sign, reason); !s) return report(ctx, s.error());
    return tell_json(ctx, before->offset_ppb, target, *expected, false, sign);
  }
  if (Status ready = state::prepare_append(ctx.options().log_path); !ready) return report(ctx, ready.error());
  if (Status s = trim::write_offset(*d.rtc, d.sysfs, target); !s) return report(ctx, s.error());
  auto after = trim::read_offset(*d.rtc, d.sysfs);
  if (!after) return report(ctx, after.error());
  if (after->offset_ppb == before->offset_ppb) {  // a driver rtcal has no table for rounded it back
    say(ctx, "The chip kept " + ppb_text(after->offset_ppb) + " (the step nearest " + ppb_text(target) +
                 "): unchanged, nothing logged");
    return tell_json(ctx, before->offset_ppb, target, after->offset_ppb, true, sign);
  }
  say(ctx, "Set the trim from " + ppb_text(before->offset_ppb) + " to " + ppb_text(after->offset_ppb) +
               (after->offset_ppb != target ? " (asked " + ppb_text(target) + "; the chip holds whole steps)" : "") +
               ": the RTC's rate changes by " +
               rate_text(trim::rate_effect_ppm(after->offset_ppb - before->offset_ppb, sign)));
  if (Status s = log_trim(ctx, before->offset_ppb, after->offset_ppb, sign, reason); !s) return report(ctx, s.error());
  return tell_json(ctx, before->offset_ppb, target, after->offset_ppb, true, sign);
}

ExitCode run_from_fit(Context& ctx, const TrimDevice& d, int sign) {
  auto records = log_records(ctx.options().log_path);
  if (!records) return report(ctx, records.error());
  auto fitted = trim_rate(*records, sign, true);
  if (!fitted) return report(ctx, fitted.error());
  const std::optional<double> rate = fitted->ppm;
  auto current = trim::read_offset(*d.rtc, d.sysfs);
  if (!current) return report(ctx, current.error());
  const long target = trim::offset_cancelling_ppb(current->offset_ppb, *rate, sign);
  say(ctx, std::string(fitted->off_rate ? "The fitted off-rate (the RTC's own, while the machine is off)" : "The fitted rate") +
               " is " + rate_text(*rate) + "; the offset that cancels it is " + ppb_text(target) +
               (sign < 0 ? " (inverted sign)" : ""));
  const ExitCode code = program(ctx, d, target, sign, "from-fit");
  if (code == ExitCode::ok && !ctx.options().dry_run)
    say(ctx, "Measure again over a few days: 'rtcal drift' then fits the rate left over (and 'rtcal trim --check-sign' checks the sign)");
  return code;
}

// The last trim record (that changed the offset, with `changed`).
const LogRecord* last_trim(const std::vector<LogRecord>& records, bool changed = false) {
  for (auto it = records.rbegin(); it != records.rend(); ++it)
    if (it->type == RecordType::trim && (!changed || it->offset_ppb != it->previous_ppb)) return &*it;
  return nullptr;
}

ExitCode run_reapply(Context& ctx, const TrimDevice& d) {
  auto records = log_records(ctx.options().log_path);
  if (!records) return report(ctx, records.error());
  const LogRecord* last = last_trim(*records);
  if (!last) {
    return report(ctx, failure(ctx.options().log_path, "holds no trim record", "program one first: rtcal trim --from-fit or --set PPB"));
  }
  return program(ctx, d, std::lround(last->offset_ppb), last->trim_sign, "reapply");
}

ExitCode run_check_sign(Context& ctx) {
  auto records = log_records(ctx.options().log_path);
  if (!records) return report(ctx, records.error());
  const LogRecord* last = last_trim(*records, true);
  if (!last) {
    return report(ctx, failure(ctx.options().log_path, "holds no trim record that changed the offset", "program one: rtcal trim --set PPB"));
  }
  const auto split = static_cast<size_t>(last - records->data());
  const std::vector<LogRecord> before(records->begin(), records->begin() + static_cast<long>(split));
  const std::vector<LogRecord> after(records->begin() + static_cast<long>(split) + 1, records->end());
  auto fit_before = trim_rate(before, last->trim_sign, false);
  auto fit_after = trim_rate(after, last->trim_sign, false);
  const std::optional<double> rate_before = fit_before ? std::optional(fit_before->ppm) : std::nullopt;
  const std::optional<double> rate_after = fit_after ? std::optional(fit_after->ppm) : std::nullopt;
  if (!rate_before || !rate_after) {
    return report(ctx, failure(ctx.options().log_path, "needs two measurements before the last trim and two after it",
                               "measure again in a day or two (rtcal measure)"));
  }
  const double expected = trim::rate_effect_ppm(std::lround(last->offset_ppb - last->previous_ppb), last->trim_sign);
  const double measured = *rate_after - *rate_before;
  const bool agrees = measured * expected > 0;
  if (ctx.options().json) {
    ctx.out() << nlohmann::ordered_json{{"expected_change_ppm", expected}, {"measured_change_ppm", measured},
                                        {"rate_before_ppm", *rate_before}, {"rate_after_ppm", *rate_after},
                                        {"sign_agrees", agrees}}.dump(2) << '\n';
  } else {
    ctx.out() << "The last trim should have changed the rate by " << rate_text(expected) << "; it changed by "
              << rate_text(measured) << ".\n"
              << (agrees ? "The sign agrees.\n"
                         : "The chip applies the offset the other way: use --invert-sign with --from-fit and --set.\n");
  }
  return agrees ? ExitCode::ok : ExitCode::failure;
}

ExitCode run_trim(Context& ctx, const TrimArgs& a) {
  const int actions = (a.set_ppb ? 1 : 0) + a.from_fit + a.reapply + a.check_sign;
  if (actions > 1) {
    return report(ctx, usage_error("trim", "--set, --from-fit, --reapply and --check-sign exclude each other", "give one"));
  }
  if (a.check_sign) return run_check_sign(ctx);
  auto d = open_device(ctx);
  if (!d) return report(ctx, d.error());
  const int sign = a.invert_sign ? -1 : 1;
  if (a.set_ppb) return program(ctx, *d, *a.set_ppb, sign, "set");
  if (a.from_fit) return run_from_fit(ctx, *d, sign);
  if (a.reapply) return run_reapply(ctx, *d);
  return run_trim_show(ctx, *d);
}

}  // namespace

Command add_trim_command(CLI::App& root) {
  auto a = std::make_shared<TrimArgs>();
  CLI::App* app = root.add_subcommand(
      "trim",
      "The RTC chip's own rate trim (Linux's RTC offset, ppb; RTC_PARAM_GET/SET correction, or\n"
      "/sys/class/rtc/rtcN/offset): show it, set it, or program the fitted drift away, so the\n"
      "RTC keeps time by itself while the machine is off.");
  app->add_option("--set", a->set_ppb, "Program this offset, ppb (+ slows the RTC); written only when it changes")
      ->type_name("PPB");
  app->add_flag("--from-fit", a->from_fit, "Program the offset that cancels the drift fitted from the log");
  app->add_flag("--reapply", a->reapply, "Program the last logged offset again (after the battery was changed)");
  app->add_flag("--check-sign", a->check_sign, "Compare the rate before and after the last trim with what it should be");
  app->add_flag("--invert-sign", a->invert_sign, "The chip runs faster for a positive offset (what --check-sign finds)");
  app->footer(
      "Examples:\n"
      "  rtcal trim                        features, offset and its effect\n"
      "  rtcal --dry-run trim --from-fit   what the fitted drift would program\n"
      "  rtcal trim --set -8680            the RTC runs 8.68 ppm faster\n"
      "  rtcal trim --check-sign           after a few days of measurements\n"
      "Exit status: 0 done, 1 the RTC has no trim, the sign disagrees or a failure, 2 usage error.");
  return {app, [a](Context& ctx) { return run_trim(ctx, *a); }};
}

}  // namespace rtcal

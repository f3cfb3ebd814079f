// The boot record: taking it, logging it once per boot, finding it again
// (see src/measure/boot_record.h).
#include "src/measure/boot_record.h"

#include <algorithm>
#include <cmath>

#include "src/cli/context.h"
#include "src/hwclock/rtc_measure.h"
#include "src/measure/reference.h"

namespace rtcal {

Result<state::LogRecord> boot_record_of(SystemClock& clock, const RtcReading& reading) {
  auto id = clock.boot_id();
  if (!id) return id.error();
  auto boottime_now_s = clock.boottime_s();
  if (!boottime_now_s) return boottime_now_s.error();
  // Back from now to the edge on the system clock, not stepped in between.
  const double since_edge_s = seconds_of(clock.now() - reading.edge.system_at_edge);
  state::LogRecord r;
  r.type = state::RecordType::boot;
  r.time_unix_s = static_cast<double>(reading.rtc_unix_s);
  r.boottime_s = std::max(0.0, *boottime_now_s - since_edge_s);
  r.boot_id = *id;
  return r;
}

Result<std::optional<FoundBoot>> find_boot_record(const std::string& path, const std::string& boot_id) {
  std::optional<FoundBoot> found;
  Status scanned = state::scan_log(path, [&](state::LogLineParse&& p, int) {
    if (!p.record) return;
    if (p.record->type == state::RecordType::boot && p.record->boot_id == boot_id) {
      found = FoundBoot{std::move(*p.record), 0.0};
    } else if (found && p.record->type == state::RecordType::step) {
      found->steps_since_s += p.record->amount_s;
    }
  });
  if (!scanned) return scanned.error();
  return found;
}

namespace {

// Whether the log (its view, or a scan of the file) holds a boot record for `boot_id`.
Result<bool> has_boot_record(const std::string& log, const std::string& boot_id, const LogView* view) {
  if (view != nullptr) {
    return std::any_of(view->power_events.begin(), view->power_events.end(),
                       [&](const PowerEvent& e) { return e.boot && e.boot_id == boot_id; });
  }
  auto existing = find_boot_record(log, boot_id);
  if (!existing) return existing.error();
  return existing->has_value();
}

}  // namespace

Status log_boot_record(Context& ctx, SystemClock& clock, const RtcReading& reading, const LogView* view) {
  auto record = boot_record_of(clock, reading);
  if (!record) return record.error();
  const std::string& log = ctx.options().log_path;
  auto existing = has_boot_record(log, record->boot_id, view);
  if (!existing) return existing.error();
  if (existing.value()) {
    ctx.note("this boot (" + record->boot_id + ") already has a boot record in " + log);
    return Status::success();
  }
  return save_measurement(ctx, *record);
}

Result<state::LogRecord> boot_measurement(SystemClock& clock, const FoundBoot& boot, double offset_s,
                                          double reference_sigma_s, double freq_ppm) {
  auto boottime_now_s = clock.boottime_s();
  if (!boottime_now_s) return boottime_now_s.error();
  const double true_now_s = to_unix_s(clock.now()) + offset_s;
  const double elapsed_s = *boottime_now_s - boot.record.boottime_s;
  if (elapsed_s < 0) {
    return failure("boot record (" + boot.record.boot_id + ")", "its CLOCK_BOOTTIME is later than now",
                   "the log's boot record is not from this boot; measure without --boot");
  }
  const double edge_true_s = true_now_s - elapsed_s;
  const double raw_error_s = boot.record.time_unix_s - edge_true_s;
  const double freq_sigma_s = elapsed_s * freq_ppm * 1e-6;
  state::LogRecord r;
  r.type = state::RecordType::measurement;
  r.time_unix_s = edge_true_s;
  r.rtc_error_s = raw_error_s + boot.steps_since_s;
  r.sigma_s = std::sqrt(reference_sigma_s * reference_sigma_s + kEdgeSigmaS * kEdgeSigmaS + freq_sigma_s * freq_sigma_s);
  r.source = "boot";
  r.extra["boot_id"] = boot.record.boot_id;
  r.extra["boot_edge_rtc_error"] = raw_error_s;
  r.extra["steps_since_boot"] = boot.steps_since_s;
  r.extra["since_boot_edge_s"] = elapsed_s;
  r.extra["boot_freq_ppm"] = freq_ppm;
  if (std::string problem = state::record_problem(r); !problem.empty()) {
    return failure("boot measurement", problem, "check the boot record and the reference");
  }
  return r;
}

}  // namespace rtcal

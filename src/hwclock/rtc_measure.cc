// The RTC's error against a reference (see rtc_measure.h).
#include "src/hwclock/rtc_measure.h"

#include <cmath>

#include "base/number_text.h"
#include "src/cli/i18n.h"
#include "src/cli/output.h"
#include "src/dates/date_parse.h"
#include "src/hwclock/adjtime_values.h"
#include "src/hwclock/rtc_read.h"

namespace rtcal {

Result<state::RtcScale> rtc_scale_for(Context& ctx) {
  auto loaded = load_adjtime_for(ctx);
  if (!loaded) return loaded.error();
  auto adjtime = state::require_fields(loaded->parse, loaded->path, {state::AdjtimeField::scale});
  if (!adjtime) return adjtime.error();
  return ctx.scale(adjtime.value());
}

Result<state::LogRecord> measure_rtc(const HwDevices& dev, state::RtcScale scale, const Reference& ref) {
  auto reading = read_rtc(dev, scale);
  if (!reading) return reading.error();
  const double system_at_edge_s = to_unix_s(reading->edge.system_at_edge);
  const double true_at_edge_s = system_at_edge_s + ref.offset_s;

  state::LogRecord record;
  record.type = state::RecordType::measurement;
  record.time_unix_s = true_at_edge_s;
  record.rtc_error_s = static_cast<double>(reading->rtc_unix_s) - true_at_edge_s;
  // The edge's own uncertainty (half a polled bracket) counts too: a reader
  // held up around the edge (a busy host) brackets it wide.
  const double edge_uncertainty_s = seconds_of(reading->edge.uncertainty);
  record.sigma_s = std::hypot(ref.sigma_s, kEdgeSigmaS, edge_uncertainty_s);
  record.source = ref.source;
  record.extra = ref.extra;
  record.extra["rtc_reading"] = rtc_fields_text(reading->edge.rtc, scale);
  record.extra["system_at_edge"] = system_at_edge_s;
  if (edge_uncertainty_s > 0.0) record.extra["edge_uncertainty"] = edge_uncertainty_s;
  if (!reading->scale_note.empty()) record.extra["rtc_reading_note"] = reading->scale_note;
  return record;
}

Status save_measurement(Context& ctx, const state::LogRecord& record) {
  const std::string& log = ctx.options().log_path;
  if (ctx.options().dry_run) {
    ctx.out() << "Would append to " << log << ": " << state::format_record(record);
    return Status::success();
  }
  if (Status appended = state::append_log(log, record); !appended) return appended;
  ctx.note("appended a " + std::string(state::record_type_name(record.type)) + " record to " + log);
  return Status::success();
}

std::string measurement_text(const state::LogRecord& record) {
  const double e = record.rtc_error_s;
  const char* form = e > 0 ? _("RTC error:  {1} (fast) \xc2\xb1 {2} s at {3}")
                            : (e < 0 ? _("RTC error:  {1} (slow) \xc2\xb1 {2} s at {3}") : _("RTC error:  {1} (right) \xc2\xb1 {2} s at {3}"));
  return i18n::format(form, signed_seconds(e), fixed(record.sigma_s, 6), format_utc_time(from_unix_s(record.time_unix_s), 3));
}

}  // namespace rtcal

// Reading the RTC (see rtc_read.h).
#include "src/hwclock/rtc_read.h"

#include <cstdio>

#include "src/hwclock/rtc_scale.h"

namespace rtcal {

Result<HwDevices> hw_devices(Context& ctx) {
  auto clock = ctx.clock();
  if (!clock) return clock.error();
  auto rtc = ctx.rtc();
  if (!rtc) return rtc.error();
  return HwDevices{rtc.value(), clock.value()};
}

double RtcReading::rtc_minus_system_s() const {
  return static_cast<double>(rtc_unix_s) - to_unix_s(edge.system_at_edge);
}

Result<RtcReading> read_rtc(const HwDevices& dev, state::RtcScale scale, bool fast, Nanos edge_timeout) {
  RtcReading reading;
  if (fast) {
    auto fields = read_fast(*dev.rtc);
    if (!fields) return fields.error();
    reading.edge = EdgeReading{fields.value(), dev.clock->now(), 0};
    reading.at_edge = false;
  } else {
    auto edge = read_at_edge(*dev.rtc, *dev.clock, edge_timeout);
    if (!edge) return edge.error();
    reading.edge = edge.value();
  }
  auto on_scale = read_fields_on_scale(reading.edge.rtc, scale);
  if (!on_scale) return on_scale.error();
  reading.rtc_unix_s = on_scale->unix_s;
  reading.zone_offset_s = on_scale->zone_offset_s;
  reading.scale_note = on_scale->note;
  return reading;
}

namespace {

// hwclock -v's lines for a read (synchronize_to_clock_tick, read_hardware_clock,
// mktime_tz), on stdout: said after the read, as nothing comes between.
void say_hwclock_reading(Context& ctx, const RtcReading& reading) {
  const RtcTime& f = reading.edge.rtc;
  char fields[48];
  std::snprintf(fields, sizeof fields, "%4d/%.2d/%.2d %.2d:%.2d:%.2d", f.year, f.month, f.day, f.hour, f.minute,
                f.second);
  if (reading.at_edge) ctx.out() << "Waiting for clock tick...\n...got clock tick\n";
  ctx.out() << "Time read from Hardware Clock: " << fields << '\n'
            << "Hw clock time : " << fields << " = " << reading.rtc_unix_s << " seconds since 1969\n";
}

}  // namespace

void warn_reading(Context& ctx, const RtcReading& reading) {
  if (ctx.options().hwclock_output && ctx.options().verbose > 0) say_hwclock_reading(ctx, reading);
  if (reading.scale_note.empty()) return;
  if (ctx.options().hwclock_output && ctx.options().verbose == 0) return;
  ctx.err() << "rtcal: warning: " << reading.scale_note << '\n';
}

}  // namespace rtcal

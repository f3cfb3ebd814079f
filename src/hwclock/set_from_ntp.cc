// set --from-ntp (see set_from_ntp.h).
#include "src/hwclock/set_from_ntp.h"

#include <cmath>

#include "base/number_text.h"
#include "src/cli/command.h"
#include "src/cli/output.h"
#include "src/hwclock/rtc_measure.h"

namespace rtcal {
namespace {

Status check_step(const FromNtpRequest& request, const Reference& ref, const SystemClock& clock) {
  if (request.no_system || request.force || std::fabs(ref.offset_s) <= kMaxStepS) return Status::success();
  return refused("set --from-ntp", "the " + clock.name() + " is " + signed_seconds(ref.offset_s) +
                                       " from NTP time, a step beyond " + fixed(kMaxStepS, 0) + " s",
                 "check the server; add --force to step anyway, or --no-system to set only the RTC");
}

// Step the system clock by the reference's offset; with --dry-run only say so.
Status step_system(Context& ctx, SystemClock& clock, double offset_s) {
  if (ctx.options().dry_run) {
    say(ctx, "Would step: the " + clock.name() + " by " + signed_seconds(offset_s));
    return Status::success();
  }
  if (Status stepped = clock.step(Nanos(std::llround(offset_s * 1e9))); !stepped) return stepped;
  say(ctx, "stepped:    the " + clock.name() + " by " + signed_seconds(offset_s));
  return Status::success();
}

}  // namespace

ExitCode run_set_from_ntp(Context& ctx, const HwDevices& dev, const FromNtpRequest& request) {
  if (Status ok = validate(request.ntp); !ok) return report(ctx, ok.error());
  if (Status delay = check_delay(request.write); !delay) return report(ctx, delay.error());
  auto scale = rtc_scale_for(ctx);
  if (!scale) return report(ctx, scale.error());
  auto ref = ntp_reference(ctx, *dev.clock, request.ntp);
  if (!ref) return report(ctx, ref.error());
  say(ctx, "reference:  " + ref->summary);
  if (Status ok = check_step(request, ref.value(), *dev.clock); !ok) return report(ctx, ok.error());

  auto record = measure_rtc(dev, scale.value(), ref.value());
  if (!record) return report(ctx, record.error());
  say(ctx, measurement_text(record.value()));
  if (Status saved = save_measurement(ctx, record.value()); !saved) return report(ctx, saved.error());

  const bool step = !request.no_system;
  if (step) {
    if (Status stepped = step_system(ctx, *dev.clock, ref->offset_s); !stepped) return report(ctx, stepped.error());
  }
  // The RTC follows NTP time: the system clock once stepped; otherwise (or,
  // with --dry-run, before the step that did not happen) system + offset.
  const bool clock_is_right = step && !ctx.options().dry_run;
  SetRequest set{"set --from-ntp", std::nullopt, dev.clock->now(), request.write};
  set.old_value_at_edge = true;
  if (!clock_is_right) set.date = set.start + Nanos(std::llround(ref->offset_s * 1e9));
  return run_set_flow(ctx, dev, set);
}

}  // namespace rtcal

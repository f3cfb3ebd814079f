// Building the clock and the RTC a command works on, from the global options.
#include "src/context.h"

#include <iostream>

#include "rtc/sim.h"

namespace rtcal {

namespace {
constexpr std::string_view kSimPrefix = "sim:";
}

Context::Context(GlobalOptions options, std::ostream& out, std::ostream& err)
    : options_(std::move(options)), out_(out), err_(err) {}

Context::~Context() = default;

Status Context::open_sim_if_named() {
  if (sim_ || !options_.rtc_spec.starts_with(kSimPrefix)) return Status::success();
  auto world = SimWorld::open(options_.rtc_spec.substr(kSimPrefix.size()));
  if (!world) return world.error();
  sim_ = std::move(world.value());
  return Status::success();
}

Result<SystemClock*> Context::clock() {
  if (Status s = open_sim_if_named(); !s) return s.error();
  if (sim_) return &sim_->clock();
  if (!real_clock_) real_clock_ = make_real_system_clock();
  return real_clock_.get();
}

Result<RtcDevice*> Context::rtc() {
  if (Status s = open_sim_if_named(); !s) return s.error();
  if (sim_) return &sim_->rtc();
  if (rtc_) return rtc_.get();
  return failure(options_.rtc_spec.empty() ? "/dev/rtc" : options_.rtc_spec,
                 "real RTC access is not built yet",
                 "use --rtc sim:FILE (see rtcal sim --help)");
}

Result<state::RtcScale> Context::scale(const state::Adjtime& adjtime) const {
  if (options_.utc) return state::RtcScale::utc;
  if (options_.localtime) return state::RtcScale::local;
  if (options_.noadjfile) {
    return usage_error("--noadjfile", "the RTC scale is unknown without the adjtime file",
                       "add --utc or --localtime");
  }
  return adjtime.scale;
}

Status Context::finish() {
  if (sim_ && !options_.dry_run) return sim_->save();
  return Status::success();
}

void Context::note(const std::string& text) {
  if (options_.verbose > 0) err_ << "rtcal: " << text << '\n';
}

}  // namespace rtcal

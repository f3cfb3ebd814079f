// Building the clock and the RTC a command works on, from the global options.
#include "src/context.h"

#include <sys/stat.h>

#include <iostream>

#include "rtc/cmos_x86.h"
#include "rtc/dev_rtc.h"
#include "rtc/sim.h"
#include "state/adjtime_file.h"
#include "state/file_io.h"

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
  if (!world) {
    if (options_.hwclock_output) no_access_lines();
    return world.error();
  }
  sim_ = std::move(world.value());
  return Status::success();
}

// hwclock's lines when no RTC can be reached (util-linux's tests and boot
// scripts look for the first); rtcal's own error follows them.
void Context::no_access_lines() {
  err_ << options_.hwclock_name << ": Cannot access the Hardware Clock via any known method.\n";
  if (options_.verbose == 0) {
    err_ << options_.hwclock_name << ": Use the --verbose option to see the details of our search for an access method.\n";
  } else {
    out_ << "No usable clock interface found.\n";
  }
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
  auto device = open_real_rtc();
  if (!device) {
    // hwclock's words first (scripts and util-linux's tests look for them), then rtcal's detail.
    if (options_.hwclock_output) no_access_lines();
    return device.error();
  }
  rtc_ = std::move(device.value());
  note("RTC " + rtc_->name() + " (driver " + rtc_->driver() + ")");
  return rtc_.get();
}

// --directisa: the CMOS ports; --rtc DEVICE: that device; else the first
// /dev/rtc found.
Result<std::unique_ptr<RtcDevice>> Context::open_real_rtc() const {
  if (options_.directisa && !options_.rtc_spec.empty()) {
    return usage_error("--directisa", "cannot be combined with --rtc " + options_.rtc_spec,
                       "give one of them");
  }
  if (options_.directisa) return open_cmos_rtc();
  return open_dev_rtc(options_.rtc_spec);
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

Result<state::LockFile> lock_sim_file(const std::string& path) {
  struct stat st {};
  if (stat(state::dir_of(path).c_str(), &st) != 0) return state::LockFile();
  return state::LockFile::acquire(state::adjtime_lock_path(path), "sim:" + path,
                                  state::kDefaultLockTimeout, "--rtc sim:FILE");
}

Status Context::lock_sim() {
  if (!options_.rtc_spec.starts_with(kSimPrefix) || sim_lock_.held()) return Status::success();
  auto lock = lock_sim_file(options_.rtc_spec.substr(kSimPrefix.size()));
  if (!lock) return lock.error();
  sim_lock_ = std::move(lock.value());
  return Status::success();
}

Status Context::finish() {
  if (sim_ && !options_.dry_run) return sim_->save();
  return Status::success();
}

void Context::note(const std::string& text) {
  if (options_.verbose > 0) err_ << "rtcal: " << text << '\n';
}

}  // namespace rtcal

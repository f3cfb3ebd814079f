// Building the clock and the RTC a command works on, from the global options.
#include "src/cli/context.h"

#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "base/file_io.h"
#include "rtc/cmos_x86.h"
#include "rtc/dev_rtc.h"
#include "rtc/sim.h"
#include "src/cli/build_info.h"
#include "src/cli/i18n.h"
#include "state/adjtime_file.h"

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
    if (options_.hwclock_output) {
      say_sim_trying();  // a missing world is hwclock's missing /dev/rtc*
      no_access_lines();
    }
    return world.error();
  }
  sim_ = std::move(world.value());
  return Status::success();
}

// hwclock's lines when no RTC can be reached (util-linux's tests and boot
// scripts look for the first); rtcal's own error follows them.
void Context::no_access_lines() {
  rtc_unreachable_ = true;
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

// hwclock -v's search for an access method (stdout), said once per
// process: each device tried (up to the one opened), then, once one opened,
// the interface used.
void Context::say_rtc_search(const RtcDevice* opened) {
  if (!options_.hwclock_output || options_.verbose == 0 || rtc_search_said_) return;
  rtc_search_said_ = true;
  if (options_.directisa) {
    if (opened != nullptr) out_ << "Using direct ISA access to the clock\n";
    return;
  }
  if (!options_.rtc_spec.empty()) {
    out_ << "Trying to open: " << options_.rtc_spec << '\n';
  } else {
    for (const std::string& path : dev_rtc_probe_order()) {
      out_ << "Trying to open: " << path << '\n';
      if (opened != nullptr && opened->name() == path) break;
    }
  }
  if (opened != nullptr) out_ << "Using the rtc interface to the clock.\n";
}

// Drop-in -v: "Trying to open: sim:FILE" once; true when said now.
bool Context::say_sim_trying() {
  if (rtc_search_said_ || !options_.hwclock_output || options_.verbose == 0) return false;
  rtc_search_said_ = true;
  out_ << "Trying to open: " << options_.rtc_spec << '\n';
  return true;
}

void Context::hwclock_verbose_intro() {
  if (!options_.hwclock_output || options_.verbose == 0) return;
  out_ << options_.hwclock_name << " from rtcal " << build_info().version << '\n';
  struct stat st {};
  if (options_.rtc_spec.starts_with(kSimPrefix) && stat(options_.rtc_spec.substr(kSimPrefix.size()).c_str(), &st) != 0) {
    return;  // no world, no clock; the RTC search says so
  }
  auto system_clock = clock();
  if (!system_clock) return;
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                          system_clock.value()->now().time_since_epoch()).count();
  const long long seconds = micros / 1000000 - (micros % 1000000 < 0 ? 1 : 0);
  const int fraction_us = static_cast<int>(micros - seconds * 1000000);  // 0..999999
  char line[64];
  std::snprintf(line, sizeof line, "System Time: %lld.%06d", seconds, fraction_us);
  out_ << line << '\n';
}

Result<RtcDevice*> Context::rtc() {
  if (options_.rtc_spec.starts_with(kSimPrefix)) {  // a simulated world: its RTC, said as hwclock says /dev/rtc0
    const bool say = say_sim_trying();
    if (Status s = open_sim_if_named(); !s) return s.error();
    if (say) out_ << "Using the rtc interface to the clock.\n";
    return &sim_->rtc();
  }
  if (rtc_) return rtc_.get();
  auto device = open_real_rtc();
  if (!device) {
    say_rtc_search(nullptr);
    // hwclock's words first (scripts and util-linux's tests look for them), then rtcal's detail.
    if (options_.hwclock_output) no_access_lines();
    return device.error();
  }
  rtc_ = std::move(device.value());
  say_rtc_search(rtc_.get());
  note("RTC " + rtc_->name() + " (driver " + rtc_->driver() + ")");
  return rtc_.get();
}

// --directisa: the CMOS ports; --rtc DEVICE: that device; else the first
// /dev/rtc found.
Result<std::unique_ptr<RtcDevice>> Context::open_real_rtc() const {
  if (options_.directisa && !options_.rtc_spec.empty()) {
    return usage_error("--directisa", i18n::format(_("cannot be combined with --rtc {1}"), options_.rtc_spec),
                       _("give one of them"));
  }
  if (options_.directisa) return open_cmos_rtc();
  return open_dev_rtc(options_.rtc_spec);
}

Result<state::RtcScale> Context::scale(const state::Adjtime& adjtime) const {
  if (options_.utc) return state::RtcScale::utc;
  if (options_.localtime) return state::RtcScale::local;
  if (options_.noadjfile) {
    return usage_error("--noadjfile", _("the RTC scale is unknown without the adjtime file"),
                       _("add --utc or --localtime"));
  }
  return adjtime.scale;
}

Result<LockFile> lock_sim_file(const std::string& path) {
  struct stat st {};
  if (stat(dir_of(path).c_str(), &st) != 0) return LockFile();
  return LockFile::acquire(state::adjtime_lock_path(path), "sim:" + path,
                                  kDefaultLockTimeout, "--rtc sim:FILE");
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

Result<SysTime> now_for(Context& ctx) {
  auto clock = ctx.clock();
  if (!clock) return clock.error();
  return clock.value()->now();
}

}  // namespace rtcal

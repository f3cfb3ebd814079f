// Changing /etc/adjtime from a command: the file opened under its lock (or
// read plainly for --dry-run, or not at all with --noadjfile), made sure of
// before a clock is touched, and changed in one place that shows the diff,
// honours --dry-run and commits.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "src/cli/context.h"
#include "src/hwclock/adjtime_values.h"
#include "state/adjtime_file.h"

namespace rtcal {

// The one way a command changes adjtime: show the change, honour --dry-run,
// write under the transaction `tx` (taken before the old values were read,
// so no concurrent update is lost). `original_text` is the file as read.
// How the change is told depends on `voice`; `before_write` (may be empty)
// runs just before the write (AdjtimeAccess's copy of a damaged file).
// Returns whether the file was written.
enum class AdjtimeVoice {
  notes,     // hwclock-like commands: the diff as a -v note, or on stdout with --dry-run
  text,      // factor, drift: the diff, then "Wrote FILE." or "--dry-run: FILE not written."
  silent,    // --json: nothing said
};
Result<bool> commit_adjtime_change(Context& ctx, state::AdjtimeTransaction* tx, const std::string& path,
                                   const std::string& original_text, const state::Adjtime& next, AdjtimeVoice voice,
                                   const std::function<Status()>& before_write = {});

// The adjtime file opened for a command that may change it: under the lock
// (state::AdjtimeTransaction) normally, a plain read with --dry-run, nothing
// with --noadjfile (defaults, and commit() writes nothing).
class AdjtimeAccess {
 public:
  static Result<std::unique_ptr<AdjtimeAccess>> open(Context& ctx);

  const state::Adjtime& values() const { return values_; }
  const std::string& path() const { return path_; }

  // Line 3 said UTC or LOCAL; the file was damaged (read as hwclock does,
  // in drop-in mode and apply; see Context::lenient_adjtime).
  bool scale_known() const { return meta_.scale_known; }
  bool damaged() const { return meta_.damaged; }

  // Make sure commit() can write, before a clock is changed: the temp file
  // beside adjtime with its room reserved, and for a damaged file a copy of
  // it as "<file>.damaged" (nothing with --dry-run or --noadjfile).
  Status prepare(Context& ctx);

  // Write `next` unless --noadjfile or --dry-run; say what changed (a diff)
  // with -v or --dry-run. Unchanged bytes are not written.
  Status commit(Context& ctx, const state::Adjtime& next);

 private:
  std::unique_ptr<state::AdjtimeTransaction> transaction_;
  state::Adjtime values_;
  std::string path_;
  std::string original_text_;
  AdjtimeMeta meta_;
  bool backed_up_ = false;
};

// Everything a change of the RTC will write afterwards, made sure of before
// the RTC or the system clock is touched (so a read-only or full /etc or
// /var stops the command with nothing changed): adjtime's prepare() and
// room to append to the measurement log. Nothing with --dry-run.
Status prepare_rtc_write(Context& ctx, AdjtimeAccess& access);

// adjtime's line 3 after a set/systohc/adjust: --utc/--localtime win, as in hwclock.
state::RtcScale scale_after_change(const Context& ctx, state::RtcScale current);

// The adjtime text before and after a change, as a small unified-style diff.
std::string adjtime_change(const std::string& path, const std::string& before,
                           const std::string& after);

}  // namespace rtcal

// Loading and saving /etc/adjtime: atomic, durable, locked.
//
// Saving writes a temp file in the target's directory, fsyncs it, renames it
// over the target, then fsyncs the directory; it keeps the file's mode and
// owner, follows a symlinked path to its target, and skips the write when the
// bytes would not change. An exclusive lock (flock on ".<name>.lock" beside the
// target, as /etc/.pwd.lock; see lock_file.h) is held from load to save by
// AdjtimeTransaction, so two rtcal processes never lose each other's update.
// The lock file exists only while the lock is held.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "base/atomic_file.h"
#include "base/file_io.h"
#include "base/lock_file.h"
#include "base/result.h"
#include "state/adjtime.h"

namespace rtcal::state {

struct LoadedAdjtime {
  std::string path;           // as given
  std::string resolved_path;  // after following symlinks (the file really written)
  bool existed = false;       // false: missing file, defaults apply (as in hwclock)
  std::string original_text;  // the bytes read ("" when missing)
  AdjtimeParse parse;
};

// Read without locking (for read-only commands). A missing file is not an
// error (defaults); an unreadable one (EACCES, EISDIR, ...) is. A file whose
// fields do not parse is not an error here: see parse.errors and
// require_fields().
Result<LoadedAdjtime> load_adjtime(const std::string& path);

// The lock file for the adjtime file at `resolved_path`: ".<name>.lock" in
// the same directory (e.g. /etc/.adjtime.lock). Removed when released.
std::string adjtime_lock_path(const std::string& resolved_path);

// Read-modify-write under the lock.
class AdjtimeTransaction {
 public:
  // Takes the lock (waiting at most `lock_timeout` for another rtcal), then
  // loads. Where no lock file can be made (a read-only filesystem, or a
  // directory this user may not write) it proceeds unlocked, as this process
  // cannot write there anyway: commit() then fails if anything changes.
  static Result<std::unique_ptr<AdjtimeTransaction>> begin(
      const std::string& path, std::chrono::milliseconds lock_timeout = kDefaultLockTimeout);
  ~AdjtimeTransaction() = default;  // releases the lock
  AdjtimeTransaction(const AdjtimeTransaction&) = delete;
  AdjtimeTransaction& operator=(const AdjtimeTransaction&) = delete;

  const LoadedAdjtime& loaded() const { return loaded_; }

  // Make sure a later commit() can write: create the temp file beside the
  // target and reserve its room (PreparedReplace). Fails on a read-only or
  // full filesystem or a directory this user may not write, so a command
  // calls it before it changes a clock. Calling it again does nothing.
  Status prepare();

  // Write `next` atomically to loaded().resolved_path. Returns false when the
  // bytes were unchanged and nothing was written (a missing file is always
  // written). Refuses non-finite numbers. Afterwards loaded() describes the
  // file as written, so a second commit of the same values writes nothing.
  Result<bool> commit(const Adjtime& next);

 private:
  AdjtimeTransaction() = default;
  LoadedAdjtime loaded_;
  LockFile lock_;
  std::unique_ptr<PreparedReplace> prepared_;
};

}  // namespace rtcal::state

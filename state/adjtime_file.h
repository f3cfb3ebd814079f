// Loading and saving /etc/adjtime: atomic, durable, locked.
//
// Saving writes a temp file in the target's directory, fsyncs it, renames it
// over the target, then fsyncs the directory; it keeps the file's mode and
// owner, follows a symlinked path to its target, and skips the write when the
// bytes would not change. An exclusive lock (flock on ".<name>.lock" beside the
// target, as /etc/.pwd.lock) is held from load to save by AdjtimeTransaction,
// so two rtcal processes never lose each other's update.
#pragma once

#include <memory>
#include <string>

#include "src/result.h"
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
// error (defaults); an unreadable one is.
Result<LoadedAdjtime> load_adjtime(const std::string& path);

// Read-modify-write under the lock.
class AdjtimeTransaction {
 public:
  // Takes the lock (waiting a bounded time for another rtcal), then loads.
  static Result<std::unique_ptr<AdjtimeTransaction>> begin(const std::string& path);
  ~AdjtimeTransaction();  // releases the lock
  AdjtimeTransaction(const AdjtimeTransaction&) = delete;
  AdjtimeTransaction& operator=(const AdjtimeTransaction&) = delete;

  const LoadedAdjtime& loaded() const { return loaded_; }

  // Write `next` atomically. Returns false when the bytes were unchanged and
  // nothing was written.
  Result<bool> commit(const Adjtime& next);

 private:
  AdjtimeTransaction() = default;
  LoadedAdjtime loaded_;
  int lock_fd_ = -1;
};

}  // namespace rtcal::state

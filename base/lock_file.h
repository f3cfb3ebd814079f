// An exclusive lock between rtcal processes, held through a lock file
// (".<name>.lock" beside the file it guards, as /etc/.pwd.lock) that exists
// only while someone holds it, so a command leaves no file behind.
//
// Removing a lock file is safe because every holder checks, after flock()
// succeeds, that the path still names the inode it locked; a holder that
// raced with the removal sees a different (or no) inode and starts again.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "base/result.h"

namespace rtcal {

class LockFile {
 public:
  // Take the lock at `lock_path`, waiting at most `timeout` for another
  // holder. `guarded` names the file the lock protects (for messages),
  // `option` the command-line option that chooses another one. Where no
  // lock file can be made (a read-only filesystem, or a directory this user
  // may not write, e.g. a non-root --dry-run on /etc/adjtime) this process
  // cannot replace the guarded file either, so it returns an unheld lock.
  static Result<LockFile> acquire(const std::string& lock_path, const std::string& guarded,
                                  std::chrono::milliseconds timeout, std::string_view option);

  LockFile() = default;
  LockFile(LockFile&& other) noexcept;
  LockFile& operator=(LockFile&& other) noexcept;
  LockFile(const LockFile&) = delete;
  LockFile& operator=(const LockFile&) = delete;
  ~LockFile();  // removes the lock file (when it may) and releases the lock

  bool held() const { return fd_ >= 0; }

 private:
  void release();

  int fd_ = -1;
  std::string path_;
  bool remove_on_release_ = false;
};

}  // namespace rtcal

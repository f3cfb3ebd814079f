// The lock-file protocol (see lock_file.h).
#include "base/lock_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "base/file_io.h"

namespace rtcal {
namespace {

constexpr mode_t kLockFileMode = 0600;

// Whether `fd` is still the file at `path` (not removed or replaced since it was opened).
bool still_named_by(int fd, const std::string& path) {
  struct stat held {}, named {};
  if (fstat(fd, &held) != 0 || stat(path.c_str(), &named) != 0) return false;
  return held.st_dev == named.st_dev && held.st_ino == named.st_ino;
}

}  // namespace

Result<LockFile> LockFile::acquire(const std::string& lock_path, const std::string& guarded,
                                   std::chrono::milliseconds timeout, std::string_view option) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + timeout;
  while (true) {
    LockFile lock;
    lock.path_ = lock_path;
    lock.fd_ = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, kLockFileMode);
    lock.remove_on_release_ = lock.fd_ >= 0;
    if (lock.fd_ < 0) {
      const int err = errno;
      if (err == EROFS || err == EACCES) {
        // flock needs no write access: lock a lock file another holder made.
        lock.fd_ = open(lock_path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        // None there: we cannot create files in that directory, so we cannot
        // replace the guarded file either (a commit would fail), and reading
        // a file that is only ever renamed into place needs no lock.
        if (lock.fd_ < 0 && errno == ENOENT) return LockFile();
      }
      if (lock.fd_ < 0 && err == ENOENT) {
        return failure(guarded, "the directory " + dir_of(lock_path) + " does not exist",
                       "create it, or choose another file with " + std::string(option));
      }
      if (lock.fd_ < 0) {
        return failure(lock_path, "cannot create the lock file: " + errno_text(err),
                       fix_for_errno(err, option));
      }
    }
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    const int err = flock_bounded(lock.fd_, std::max(left, std::chrono::milliseconds(0)));
    if (err == EWOULDBLOCK) {
      lock.remove_on_release_ = false;  // someone else holds it
      return lock_busy_error(lock_path, timeout);
    }
    if (err != 0) {
      lock.remove_on_release_ = false;
      return failure(lock_path, "cannot lock: " + errno_text(err), fix_for_errno(err, option));
    }
    if (still_named_by(lock.fd_, lock_path)) return lock;
    lock.remove_on_release_ = false;  // its holder removed it: not ours to remove; try again
    if (Clock::now() >= deadline) return lock_busy_error(lock_path, timeout);
  }
}

LockFile::LockFile(LockFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      path_(std::move(other.path_)),
      remove_on_release_(std::exchange(other.remove_on_release_, false)) {}

LockFile& LockFile::operator=(LockFile&& other) noexcept {
  if (this != &other) {
    release();
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
    remove_on_release_ = std::exchange(other.remove_on_release_, false);
  }
  return *this;
}

LockFile::~LockFile() { release(); }

// Remove while still holding the lock, so a waiter that opened this inode
// notices (still_named_by) instead of thinking it holds the lock.
void LockFile::release() {
  if (fd_ < 0) return;
  if (remove_on_release_) unlink(path_.c_str());
  close(fd_);
  fd_ = -1;
}

}  // namespace rtcal

// Loading and saving the adjtime file under its lock (see adjtime_file.h).
// Parsing and formatting live in adjtime.cc; the atomic replacement in
// atomic_file.cc.
#include "state/adjtime_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>

#include "state/atomic_file.h"

namespace rtcal::state {
namespace {

constexpr std::string_view kOption = "--adjfile";
constexpr mode_t kNewFileMode = 0644;  // as hwclock's fopen("w") under umask 022
constexpr mode_t kLockFileMode = 0600;

Result<LoadedAdjtime> load_resolved(const std::string& path, const std::string& resolved) {
  Result<FileContents> contents = read_whole_file(resolved, kOption);
  if (!contents) return contents.error();
  LoadedAdjtime loaded;
  loaded.path = path;
  loaded.resolved_path = resolved;
  loaded.existed = contents->existed;
  loaded.original_text = std::move(contents->bytes);
  loaded.parse = parse_adjtime(loaded.original_text);
  return loaded;
}

// The lock file's descriptor, or -1 when none can exist (read-only filesystem).
Result<int> open_lock_file(const std::string& path, const std::string& lock_path) {
  int fd = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, kLockFileMode);
  if (fd >= 0) return fd;
  const int err = errno;
  if (err == EROFS || err == EACCES) {
    fd = open(lock_path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);  // flock needs no write access
    if (fd >= 0) return fd;
    if (err == EROFS && errno == ENOENT) return -1;
  }
  if (err == ENOENT) {
    return failure(path, "the directory " + dir_of(lock_path) + " does not exist",
                   "create it, or choose another file with --adjfile");
  }
  return failure(lock_path, "cannot create the lock file: " + errno_text(err),
                 fix_for_errno(err, kOption));
}

// A value hwclock could not read back ("nan", "inf") is a bug upstream.
Status check_finite(const std::string& path, const Adjtime& next) {
  const char* field = !std::isfinite(next.drift_factor_s_per_day) ? "drift factor"
                      : !std::isfinite(next.not_adjusted_s)       ? "not-adjusted seconds"
                                                                  : nullptr;
  if (field == nullptr) return Status::success();
  return failure(path, std::string("refusing to write a non-finite ") + field,
                 "this is a bug in rtcal; please report it");
}

}  // namespace

Result<LoadedAdjtime> load_adjtime(const std::string& path) {
  Result<std::string> resolved = resolve_final_path(path, kOption);
  if (!resolved) return resolved.error();
  return load_resolved(path, *resolved);
}

std::string adjtime_lock_path(const std::string& resolved_path) {
  return dir_of(resolved_path) + "/." + base_of(resolved_path) + ".lock";
}

Result<std::unique_ptr<AdjtimeTransaction>> AdjtimeTransaction::begin(
    const std::string& path, std::chrono::milliseconds lock_timeout) {
  Result<std::string> resolved = resolve_final_path(path, kOption);
  if (!resolved) return resolved.error();
  const std::string lock_path = adjtime_lock_path(*resolved);

  std::unique_ptr<AdjtimeTransaction> transaction(new AdjtimeTransaction());
  Result<int> fd = open_lock_file(path, lock_path);
  if (!fd) return fd.error();
  transaction->lock_fd_ = *fd;  // from here the destructor closes it
  if (*fd >= 0) {
    const int err = flock_bounded(*fd, lock_timeout);
    if (err == EWOULDBLOCK) return lock_busy_error(lock_path, lock_timeout);
    if (err != 0) {
      return failure(lock_path, "cannot lock: " + errno_text(err), fix_for_errno(err, kOption));
    }
  }

  Result<LoadedAdjtime> loaded = load_resolved(path, *resolved);
  if (!loaded) return loaded.error();
  transaction->loaded_ = std::move(*loaded);
  return transaction;
}

AdjtimeTransaction::~AdjtimeTransaction() {
  if (lock_fd_ >= 0) close(lock_fd_);  // closing the last descriptor releases the flock
}

Result<bool> AdjtimeTransaction::commit(const Adjtime& next) {
  if (Status s = check_finite(loaded_.resolved_path, next); !s) return s.error();
  std::string text = format_adjtime(next);
  if (loaded_.existed && text == loaded_.original_text) return false;

  Status written = replace_file_atomically(loaded_.resolved_path, text, kNewFileMode, kOption);
  if (!written) return written.error();
  loaded_.existed = true;
  loaded_.parse = parse_adjtime(text);
  loaded_.original_text = std::move(text);
  return true;
}

}  // namespace rtcal::state

// Small POSIX file helpers shared by the adjtime file and the measurement
// log: reading a small file whole, following a symlinked path to its final
// target, writing everything, syncing a directory, creating directories,
// taking an flock with a bounded wait, and turning an errno into the cause
// and fix of an Error. Nothing here prints.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <string_view>

#include "base/result.h"

namespace rtcal {

// How long rtcal waits for another rtcal's lock before giving up.
inline constexpr std::chrono::milliseconds kDefaultLockTimeout{10'000};

// What a user can do about `err` on a file; `option` names the command-line
// option that chooses another file ("--adjfile", "--log").
std::string fix_for_errno(int err, std::string_view option);

// The directory part of a path ("." when none) and the last component.
std::string dir_of(const std::string& path);
std::string base_of(const std::string& path);

// The usage error for an empty file name given to `option`, with an example.
Error empty_path_error(std::string_view option, std::string_view example);

// `path` with symlinks in its last component followed (up to 40 links) to
// the final target, which may not exist yet. Directory components are left
// to the kernel. Errors (a loop, an unreadable link) name `path`.
Result<std::string> resolve_final_path(const std::string& path, std::string_view option);

// A whole small file. A missing file (ENOENT) is not an error: existed=false.
struct FileContents {
  bool existed = false;
  std::string bytes;
};
inline constexpr size_t kMaxStateFileBytes = 64u << 20;
Result<FileContents> read_whole_file(const std::string& path, std::string_view option,
                                     size_t max_bytes = kMaxStateFileBytes);

// write(2) until all of `data` is written. 0, or the errno that stopped it.
int write_all(int fd, std::string_view data);

// fsync the directory `dir`. 0, or the errno (EINVAL, where a filesystem
// cannot sync directories, counts as success).
int fsync_dir(const std::string& dir);

// mkdir -p with `mode` for each directory created (chmod'ed, so the umask
// does not narrow it). 0, or the errno.
int make_dirs(const std::string& dir, mode_t mode);

// flock(fd, LOCK_EX), retrying with short sleeps for at most `timeout`.
// 0, EWOULDBLOCK when the wait ran out, or another errno.
int flock_bounded(int fd, std::chrono::milliseconds timeout);

// The error for a lock that another process kept for the whole wait.
Error lock_busy_error(const std::string& lock_path, std::chrono::milliseconds waited);

}  // namespace rtcal

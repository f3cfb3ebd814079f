// POSIX file helpers for the state layer (see file_io.h).
#include "base/file_io.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace rtcal {

std::string fix_for_errno(int err, std::string_view option) {
  const std::string other = "choose another file with " + std::string(option);
  switch (err) {
    case EACCES:
    case EPERM: return "run as root, or check the permissions";
    case EROFS: return "remount the filesystem read-write, or " + other;
    case ENOSPC:
    case EDQUOT: return "free some space on that filesystem";
    case ENOENT: return "create the directory first, or " + other;
    case ENOTDIR: return "correct the path, or " + other;
    case EISDIR: return "remove or rename the directory, or " + other;
    case ELOOP: return "correct the symbolic link, or " + other;
    case EIO: return "check the disk (dmesg)";
    default: return "check the file and its directory, or " + other;
  }
}

std::string dir_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string base_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

Error empty_path_error(std::string_view option, std::string_view example) {
  return usage_error(std::string(option), "the file name is empty",
                     "give a file name, e.g. " + std::string(option) + " " + std::string(example));
}

Result<std::string> resolve_final_path(const std::string& path, std::string_view option) {
  if (path.empty()) return empty_path_error(option, "/etc/adjtime");
  std::string current = path;
  for (int hops = 0; hops <= 40; ++hops) {
    struct stat st {};
    if (lstat(current.c_str(), &st) != 0) {
      if (errno == ENOENT) return current;  // the final target does not exist yet
      const int err = errno;
      return failure(path, "cannot look up " + current + ": " + errno_text(err),
                     fix_for_errno(err, option));
    }
    if (!S_ISLNK(st.st_mode)) return current;
    std::string target(static_cast<size_t>(st.st_size > 0 ? st.st_size : 4096) + 1, '\0');
    const ssize_t n = readlink(current.c_str(), target.data(), target.size());
    if (n < 0) {
      const int err = errno;
      return failure(path, "cannot read the symbolic link " + current + ": " + errno_text(err),
                     fix_for_errno(err, option));
    }
    target.resize(static_cast<size_t>(n));
    current = (!target.empty() && target[0] == '/') ? target : dir_of(current) + "/" + target;
  }
  return failure(path, "too many levels of symbolic links", fix_for_errno(ELOOP, option));
}

Result<FileContents> read_whole_file(const std::string& path, std::string_view option,
                                     size_t max_bytes) {
  // O_NONBLOCK: a FIFO in the file's place must not hang rtcal.
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) return FileContents{};
    return failure(path, "cannot open: " + errno_text(err), fix_for_errno(err, option));
  }
  struct stat st {};
  if (fstat(fd, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))) {
    close(fd);
    return failure(path, "not a regular file",
                   "remove or rename it, or choose another file with " + std::string(option));
  }
  FileContents contents{true, {}};
  char buf[65536];
  int err = 0;
  while (true) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      err = errno;
      break;
    }
    if (n == 0) break;
    contents.bytes.append(buf, static_cast<size_t>(n));
    if (contents.bytes.size() > max_bytes) {
      close(fd);
      return failure(path, "too large to be a state file (over " + std::to_string(max_bytes) +
                               " bytes)", "check that the path names the right file, or " +
                               std::string("choose another file with ") + std::string(option));
    }
  }
  close(fd);
  if (err != 0) return failure(path, "cannot read: " + errno_text(err), fix_for_errno(err, option));
  return contents;
}

int write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    if (n == 0) return EIO;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return 0;
}

int fsync_dir(const std::string& dir) {
  const int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno;
  int err = 0;
  if (fsync(fd) != 0 && errno != EINVAL) err = errno;
  close(fd);
  return err;
}

int make_dirs(const std::string& dir, mode_t mode) {
  struct stat st {};
  if (stat(dir.c_str(), &st) == 0) return S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
  if (errno != ENOENT) return errno;
  const std::string parent = dir_of(dir);
  if (parent != dir) {
    if (const int err = make_dirs(parent, mode); err != 0) return err;
  }
  if (mkdir(dir.c_str(), mode) != 0) return errno == EEXIST ? 0 : errno;
  if (chmod(dir.c_str(), mode) != 0) return errno;
  return fsync_dir(parent);  // the new entry survives a crash
}

int flock_bounded(int fd, std::chrono::milliseconds timeout) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + timeout;
  auto pause = std::chrono::milliseconds(1);
  while (true) {
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) return 0;
    if (errno == EINTR) continue;
    if (errno != EWOULDBLOCK) return errno;
    if (Clock::now() >= deadline) return EWOULDBLOCK;
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(20));
  }
}

Error lock_busy_error(const std::string& lock_path, std::chrono::milliseconds waited) {
  const auto seconds = std::to_string(waited.count() / 1000) + "." +
                       std::to_string(waited.count() % 1000 / 100);
  return failure(lock_path, "another rtcal holds the lock (waited " + seconds + " s)",
                 "wait for the other rtcal to finish (fuser -v " + lock_path +
                     " shows it), then retry");
}

}  // namespace rtcal

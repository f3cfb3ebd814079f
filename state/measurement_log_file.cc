// Reading and appending the measurement log file (see measurement_log.h).
// The log is only ever appended to, one whole record per write(2), under an
// flock on the log itself, so concurrent rtcal processes never interleave
// and a crash leaves at most one torn last line, which parse_log reports and
// the next append closes off.
#include <fcntl.h>
#include <linux/falloc.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "state/measurement_log.h"

namespace rtcal::state {
namespace {

constexpr std::string_view kLogOption = "--log";
constexpr mode_t kLogMode = 0644;
constexpr mode_t kDirMode = 0755;
constexpr size_t kMaxLogBytes = size_t{1} << 30;
constexpr off_t kReserveBytes = 4096;  // more than any one record
constexpr std::string_view kDefaultLog = "/var/lib/rtcal/measurements.jsonl";

Error file_error(const std::string& path, const std::string& step, int err) {
  return failure(path, step + ": " + errno_text(err), fix_for_errno(err, kLogOption));
}

Error not_regular(const std::string& path) {
  return failure(path, "not a regular file",
                 "remove or rename it, or choose another file with " + std::string(kLogOption));
}

// `fd` if it is a regular file; else it is closed and the error returned.
Result<int> regular_or_error(int fd, const std::string& path) {
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    const int err = errno;
    close(fd);
    return file_error(path, "cannot look up", err);
  }
  if (S_ISREG(st.st_mode)) return fd;
  close(fd);
  return not_regular(path);
}

// The log opened for appending (and reading its last byte), created (0644) when missing. `created` tells
// whether this call made it, so its directory entry must be synced.
Result<int> open_for_append(const std::string& path, bool& created) {
  created = false;
  for (int attempt = 0; attempt < 3; ++attempt) {
    // O_NONBLOCK: a FIFO in the log's place must not hang rtcal.
    int fd = open(path.c_str(), O_RDWR | O_APPEND | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd >= 0) return regular_or_error(fd, path);
    if (errno == ENXIO) return not_regular(path);  // a FIFO with no reader
    if (errno != ENOENT) return file_error(path, "cannot open for appending", errno);
    const int create = O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY;
    fd = open(path.c_str(), create, kLogMode);
    if (fd >= 0) {
      created = true;
      if (fchmod(fd, kLogMode) != 0) {
        const int err = errno;
        close(fd);
        return file_error(path, "cannot set the mode of the new log", err);
      }
      return fd;
    }
    if (errno != EEXIST) return file_error(path, "cannot create", errno);
  }
  return file_error(path, "cannot open for appending", EAGAIN);
}

// "\n" when the file's last byte is not a newline (a torn last line), else "".
Result<std::string> line_break_needed(int fd, const std::string& path, off_t size) {
  if (size == 0) return std::string();
  char last = '\n';
  if (pread(fd, &last, 1, size - 1) != 1) return file_error(path, "cannot read the last byte", errno);
  return std::string(last == '\n' ? "" : "\n");
}

// Everything after the lock: check the tail, one write, fsync.
Status append_locked(int fd, const std::string& path, const std::string& line, bool created) {
  struct stat st {};
  if (fstat(fd, &st) != 0) return file_error(path, "cannot look up", errno);
  Result<std::string> prefix = line_break_needed(fd, path, st.st_size);
  if (!prefix) return prefix.error();
  const std::string bytes = *prefix + line;

  ssize_t n = -1;
  do {
    n = write(fd, bytes.data(), bytes.size());
  } while (n < 0 && errno == EINTR);
  if (n != static_cast<ssize_t>(bytes.size())) {
    const int err = n < 0 ? errno : ENOSPC;  // a short write to a file means the disk filled
    if (n > 0) (void)!ftruncate(fd, st.st_size);  // take back the half record
    return file_error(path, "cannot append", err);
  }
  if (fsync(fd) != 0) return file_error(path, "cannot flush to disk", errno);
  if (created) {
    if (const int err = fsync_dir(dir_of(path)); err != 0) {
      return file_error(path, "cannot flush the directory " + dir_of(path), err);
    }
  }
  return Status::success();
}

}  // namespace

Status scan_log(const std::string& path, const std::function<void(LogLineParse&&, int)>& on_line) {
  if (path.empty()) return empty_path_error(kLogOption, kDefaultLog);
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ENOENT) return Status::success();
    return file_error(path, "cannot open", errno);
  }
  struct stat st {};
  if (fstat(fd, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))) {
    close(fd);
    return not_regular(path);
  }
  // Lines are parsed in place in one buffer; only a line cut by the end of
  // a block is moved to its front.
  std::vector<char> buffer(size_t{1} << 20);
  size_t have = 0, total = 0;
  int line = 0, err = 0;
  LogLineParse parse;  // reused: on_line may take what it needs from it
  auto emit = [&](std::string_view text) {
    ++line;
    if (text.find_first_not_of(" \t\r") == std::string_view::npos) return;
    parse_log_line_into(text, line, parse);
    on_line(std::move(parse), line);
  };
  while (true) {
    if (have == buffer.size()) buffer.resize(buffer.size() * 2);  // a line longer than the buffer
    const ssize_t n = read(fd, buffer.data() + have, buffer.size() - have);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) { err = errno; break; }
    if (n == 0) break;
    total += static_cast<size_t>(n);
    if (total > kMaxLogBytes) { err = EFBIG; break; }
    have += static_cast<size_t>(n);
    std::string_view rest(buffer.data(), have);
    for (size_t end; (end = rest.find('\n')) != std::string_view::npos; rest.remove_prefix(end + 1)) emit(rest.substr(0, end));
    std::memmove(buffer.data(), rest.data(), rest.size());
    have = rest.size();
  }
  close(fd);
  if (err == EFBIG)
    return failure(path, "too large for a measurement log (over 1 GiB)", "check that --log names the right file");
  if (err != 0) return failure(path, "cannot read: " + errno_text(err), fix_for_errno(err, kLogOption));
  if (have > 0) emit(std::string_view(buffer.data(), have));
  return Status::success();
}

Result<LogParse> load_log(const std::string& path) {
  if (path.empty()) return empty_path_error(kLogOption, kDefaultLog);
  Result<FileContents> contents = read_whole_file(path, kLogOption, kMaxLogBytes);
  if (!contents) return contents.error();
  return parse_log(contents->bytes);
}

Status prepare_append(const std::string& path) {
  if (path.empty()) return empty_path_error(kLogOption, kDefaultLog);
  const std::string dir = dir_of(path);
  if (const int err = make_dirs(dir, kDirMode); err != 0) {
    return file_error(path, "cannot create the directory " + dir, err);
  }
  bool created = false;
  Result<int> fd = open_for_append(path, created);
  if (!fd) return fd.error();
  Status status;
  struct stat st {};
  if (fstat(*fd, &st) != 0) {
    status = file_error(path, "cannot look up", errno);
  } else if (fallocate(*fd, FALLOC_FL_KEEP_SIZE, st.st_size, kReserveBytes) != 0 && errno != EOPNOTSUPP &&
             errno != ENOSYS) {
    status = file_error(path, "cannot reserve room to append", errno);
  }
  close(*fd);
  return status;
}

Status append_log(const std::string& path, const LogRecord& record,
                  std::chrono::milliseconds lock_timeout) {
  if (const std::string problem = record_problem(record); !problem.empty()) {
    return failure(path, "refusing to append a bad record: " + problem,
                   "this is a bug in rtcal; please report it");
  }
  if (path.empty()) return empty_path_error(kLogOption, kDefaultLog);
  const std::string dir = dir_of(path);
  if (const int err = make_dirs(dir, kDirMode); err != 0) {
    return file_error(path, "cannot create the directory " + dir, err);
  }
  bool created = false;
  Result<int> fd = open_for_append(path, created);
  if (!fd) return fd.error();

  Status status;
  if (const int err = flock_bounded(*fd, lock_timeout); err == EWOULDBLOCK) {
    status = lock_busy_error(path, lock_timeout);
  } else if (err != 0) {
    status = file_error(path, "cannot lock", err);
  } else {
    status = append_locked(*fd, path, format_record(record), created);
  }
  close(*fd);  // releases the lock
  return status;
}

}  // namespace rtcal::state

// Atomic, durable file replacement (see atomic_file.h).
#include "state/atomic_file.h"

#include <fcntl.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <optional>

#include "state/file_io.h"

namespace rtcal::state {
namespace {

// The temp file while it exists: closed and unlinked unless released.
class TempFile {
 public:
  TempFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~TempFile() {
    if (fd_ >= 0) close(fd_);
    if (!path_.empty()) unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  // Close, reporting close(2)'s errno (NFS reports write errors there).
  int close_fd() {
    const int rc = close(fd_);
    fd_ = -1;
    return rc == 0 ? 0 : errno;
  }
  void renamed() { path_.clear(); }

 private:
  int fd_;
  std::string path_;
};

// The mode and owner the replacement must have.
struct Attributes {
  mode_t mode;
  std::optional<std::pair<uid_t, gid_t>> owner;  // only when there was an old file
};

Result<Attributes> attributes_for(const std::string& path, mode_t new_file_mode,
                                  std::string_view option) {
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0) {
    const int err = errno;
    if (err == ENOENT) return Attributes{new_file_mode, std::nullopt};
    return failure(path, "cannot look up: " + errno_text(err), fix_for_errno(err, option));
  }
  if (!S_ISREG(st.st_mode)) {
    return failure(path, "not a regular file",
                   "remove or rename it, or choose another file with " + std::string(option));
  }
  return Attributes{static_cast<mode_t>(st.st_mode & 07777), std::make_pair(st.st_uid, st.st_gid)};
}

// Owner first: chown clears the set-id bits that chmod then restores.
int apply_attributes(int fd, const Attributes& attributes) {
  if (attributes.owner) {
    struct stat st {};
    if (fstat(fd, &st) != 0) return errno;
    const auto [uid, gid] = *attributes.owner;
    if ((st.st_uid != uid || st.st_gid != gid) && fchown(fd, uid, gid) != 0) return errno;
  }
  if (fchmod(fd, attributes.mode) != 0) return errno;
  return 0;
}

// Best effort: the old file's extended attributes (SELinux label, ACLs,
// user.*) onto the new copy, so a relabelled or ACL'd file stays so. A
// filesystem without xattrs, or one we may not set, is not an error: the
// owner and mode are what hwclock and systemd rely on.
void copy_xattrs(const std::string& from, int to_fd) {
  const ssize_t size = llistxattr(from.c_str(), nullptr, 0);
  if (size <= 0) return;
  std::string names(static_cast<size_t>(size), '\0');
  const ssize_t got = llistxattr(from.c_str(), names.data(), names.size());
  if (got <= 0) return;
  names.resize(static_cast<size_t>(got));
  for (size_t start = 0; start < names.size();) {
    const std::string name = names.c_str() + start;
    start += name.size() + 1;
    const ssize_t length = lgetxattr(from.c_str(), name.c_str(), nullptr, 0);
    if (length < 0) continue;
    std::string value(static_cast<size_t>(length), '\0');
    const ssize_t n = lgetxattr(from.c_str(), name.c_str(), value.data(), value.size());
    if (n < 0) continue;
    (void)fsetxattr(to_fd, name.c_str(), value.data(), static_cast<size_t>(n), 0);
  }
}

Error step_failed(const std::string& path, const std::string& step, int err,
                  std::string_view option) {
  return failure(path, step + ": " + errno_text(err), fix_for_errno(err, option));
}

}  // namespace

Status replace_file_atomically(const std::string& path, std::string_view bytes,
                               mode_t new_file_mode, std::string_view option) {
  const Result<Attributes> attributes = attributes_for(path, new_file_mode, option);
  if (!attributes) return attributes.error();
  const std::string dir = dir_of(path);

  std::string name = dir + "/." + base_of(path) + ".rtcal-XXXXXX";
  const int fd = mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) {
    return step_failed(path, "cannot create a temporary file in " + dir, errno, option);
  }
  TempFile temp(fd, name);

  if (int err = write_all(temp.fd(), bytes); err != 0) {
    return step_failed(path, "cannot write the new contents", err, option);
  }
  if (int err = apply_attributes(temp.fd(), *attributes); err != 0) {
    return step_failed(path, "cannot give the new copy the old owner and mode", err, option);
  }
  if (attributes->owner) copy_xattrs(path, temp.fd());
  if (fsync(temp.fd()) != 0) {
    return step_failed(path, "cannot flush the new contents to disk", errno, option);
  }
  if (int err = temp.close_fd(); err != 0) {
    return step_failed(path, "cannot write the new contents", err, option);
  }
  if (rename(temp.path().c_str(), path.c_str()) != 0) {
    return step_failed(path, "cannot rename the new copy into place", errno, option);
  }
  temp.renamed();
  if (int err = fsync_dir(dir); err != 0) {
    return step_failed(path, "replaced, but cannot flush the directory " + dir, err, option);
  }
  return Status::success();
}

void remove_stale_temp_files(const std::string& path) {
  const std::string prefix = "." + base_of(path) + ".rtcal-";
  constexpr size_t kSuffixChars = 6;  // mkostemp's XXXXXX
  DIR* dir = opendir(dir_of(path).c_str());
  if (dir == nullptr) return;
  while (const dirent* entry = readdir(dir)) {
    const std::string_view name = entry->d_name;
    if (name.size() == prefix.size() + kSuffixChars && name.starts_with(prefix)) {
      (void)unlinkat(dirfd(dir), entry->d_name, 0);
    }
  }
  closedir(dir);
}

}  // namespace rtcal::state

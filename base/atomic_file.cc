// Atomic, durable file replacement (see atomic_file.h).
#include "base/atomic_file.h"

#include <fcntl.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <optional>
#include <string>
#include <tuple>

#include "base/file_io.h"

namespace rtcal {
namespace {

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

Result<std::unique_ptr<PreparedReplace>> PreparedReplace::prepare(const std::string& path, mode_t new_file_mode,
                                                                   std::string_view option) {
  const Result<Attributes> attributes = attributes_for(path, new_file_mode, option);
  if (!attributes) return attributes.error();
  const std::string dir = dir_of(path);
  std::unique_ptr<PreparedReplace> prepared(new PreparedReplace());
  prepared->path_ = path;
  prepared->option_ = option;
  prepared->mode_ = attributes->mode;
  if (attributes->owner) {
    prepared->has_owner_ = true;
    std::tie(prepared->uid_, prepared->gid_) = *attributes->owner;
  }
  std::string name = dir + "/." + base_of(path) + ".rtcal-XXXXXX";
  const int fd = mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) return step_failed(path, "cannot create a temporary file in " + dir, errno, option);
  prepared->fd_ = fd;
  prepared->temp_path_ = name;
  // Reserve the room by writing it: a full filesystem fails here, before
  // the caller has changed anything. Overwriting it later needs no new blocks.
  const std::string room(kReservedBytes, '\n');
  if (int err = write_all(fd, room); err != 0) {
    return step_failed(path, "cannot write the new contents", err, option);
  }
  return prepared;
}

PreparedReplace::~PreparedReplace() {
  if (fd_ >= 0) close(fd_);
  if (!temp_path_.empty()) unlink(temp_path_.c_str());
}

Status PreparedReplace::commit(std::string_view bytes) {
  if (fd_ < 0) return failure(path_, "the replacement was already committed", "this is a bug in rtcal; please report it");
  auto fail = [&](const std::string& step, int err) { return step_failed(path_, step, err, option_); };
  if (lseek(fd_, 0, SEEK_SET) != 0) return fail("cannot write the new contents", errno);
  if (int err = write_all(fd_, bytes); err != 0) return fail("cannot write the new contents", err);
  if (ftruncate(fd_, static_cast<off_t>(bytes.size())) != 0) return fail("cannot write the new contents", errno);
  const Attributes attributes{mode_, has_owner_ ? std::optional(std::make_pair(uid_, gid_)) : std::nullopt};
  if (int err = apply_attributes(fd_, attributes); err != 0) {
    return fail("cannot give the new copy the old owner and mode", err);
  }
  if (has_owner_) copy_xattrs(path_, fd_);
  if (fsync(fd_) != 0) return fail("cannot flush the new contents to disk", errno);
  const int rc = close(fd_);
  fd_ = -1;
  if (rc != 0) return fail("cannot write the new contents", errno);  // NFS reports write errors here
  if (rename(temp_path_.c_str(), path_.c_str()) != 0) return fail("cannot rename the new copy into place", errno);
  temp_path_.clear();
  if (int err = fsync_dir(dir_of(path_)); err != 0) {
    return fail("replaced, but cannot flush the directory " + dir_of(path_), err);
  }
  return Status::success();
}

Status replace_file_atomically(const std::string& path, std::string_view bytes,
                               mode_t new_file_mode, std::string_view option) {
  auto prepared = PreparedReplace::prepare(path, new_file_mode, option);
  if (!prepared) return prepared.error();
  return prepared.value()->commit(bytes);
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

}  // namespace rtcal

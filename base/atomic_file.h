// Replacing a small state file atomically and durably, as chrony writes its
// drift file: a temp file beside the target, fsync, rename over the target,
// fsync the directory. A crash at any point leaves either the old file or
// the new one, never a torn or empty file.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"

namespace rtcal {

// A replacement made in two halves, so that a command can find out that the
// file cannot be replaced (a read-only or full filesystem) before it changes
// anything else (the RTC, the system clock): prepare() creates the temp file
// beside the target and reserves room for the new contents; commit() writes
// them into that room, fsyncs, renames and fsyncs the directory. Dropping an
// uncommitted replacement removes its temp file and leaves the target alone.
class PreparedReplace {
 public:
  // Room for this many bytes is reserved by prepare().
  static constexpr size_t kReservedBytes = 512;

  // See replace_file_atomically for `path`, `new_file_mode` and `option`.
  static Result<std::unique_ptr<PreparedReplace>> prepare(const std::string& path, mode_t new_file_mode,
                                                          std::string_view option);
  ~PreparedReplace();
  PreparedReplace(const PreparedReplace&) = delete;
  PreparedReplace& operator=(const PreparedReplace&) = delete;

  // Write `bytes` and rename the temp file over the target (once).
  Status commit(std::string_view bytes);

 private:
  PreparedReplace() = default;
  std::string path_, temp_path_;
  std::string option_;
  int fd_ = -1;
  mode_t mode_ = 0;
  bool has_owner_ = false;
  uid_t uid_ = 0;
  gid_t gid_ = 0;
};

// Replace the file at `path` with `bytes`. `path` must name the final target
// (no symlink in its last component: see resolve_final_path). The temp file
// is created with O_EXCL under a unique name (".<name>.rtcal-XXXXXX") in the
// same directory; it gets the old file's owner and mode, or `new_file_mode`
// when there was no old file. On any failure the old file is left as it was,
// the temp file is removed, and the Error names `path`, the step and errno's
// text, with a fix that mentions `option` ("--adjfile").
Status replace_file_atomically(const std::string& path, std::string_view bytes,
                               mode_t new_file_mode, std::string_view option);

// Remove the temp files (".<name>.rtcal-XXXXXX") that a writer of `path`
// killed between creating and renaming its temp file left behind. Only for a
// caller that holds the lock guarding `path`: otherwise another writer's temp
// file could still be in use. Best effort: nothing to report.
void remove_stale_temp_files(const std::string& path);

}  // namespace rtcal

// Replacing a small state file atomically and durably, as chrony writes its
// drift file: a temp file beside the target, fsync, rename over the target,
// fsync the directory. A crash at any point leaves either the old file or
// the new one, never a torn or empty file.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "src/result.h"

namespace rtcal::state {

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

}  // namespace rtcal::state

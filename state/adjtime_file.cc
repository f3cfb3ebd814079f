// Loading and saving the adjtime file under its lock (see adjtime_file.h).
// Parsing and formatting live in adjtime.cc; the atomic replacement in
// atomic_file.cc.
#include "state/adjtime_file.h"

#include <cerrno>
#include <cmath>

#include "base/atomic_file.h"

namespace rtcal::state {
namespace {

constexpr std::string_view kAdjfileOption = "--adjfile";
constexpr mode_t kNewFileMode = 0644;  // as hwclock's fopen("w") under umask 022

Result<LoadedAdjtime> load_resolved(const std::string& path, const std::string& resolved) {
  Result<FileContents> contents = read_whole_file(resolved, kAdjfileOption);
  if (!contents) return contents.error();
  LoadedAdjtime loaded;
  loaded.path = path;
  loaded.resolved_path = resolved;
  loaded.existed = contents->existed;
  loaded.original_text = std::move(contents->bytes);
  loaded.parse = parse_adjtime(loaded.original_text);
  return loaded;
}

// What hwclock could not read back ("nan", an extra line holding a '\n'):
// a bug upstream, refused rather than written.
Status check_writable(const std::string& path, const Adjtime& next) {
  std::string problem;
  if (!std::isfinite(next.drift_factor_s_per_day)) problem = "a non-finite drift factor";
  if (!std::isfinite(next.not_adjusted_s)) problem = "a non-finite not-adjusted time";
  for (const std::string& line : next.extra_lines) {
    if (line.find('\n') != std::string::npos) problem = "an extra line holding a newline";
  }
  if (problem.empty()) return Status::success();
  return failure(path, "refusing to write " + problem, "this is a bug in rtcal; please report it");
}

}  // namespace

Result<LoadedAdjtime> load_adjtime(const std::string& path) {
  Result<std::string> resolved = resolve_final_path(path, kAdjfileOption);
  if (!resolved) return resolved.error();
  return load_resolved(path, *resolved);
}

std::string adjtime_lock_path(const std::string& resolved_path) {
  return dir_of(resolved_path) + "/." + base_of(resolved_path) + ".lock";
}

Result<std::unique_ptr<AdjtimeTransaction>> AdjtimeTransaction::begin(
    const std::string& path, std::chrono::milliseconds lock_timeout) {
  Result<std::string> resolved = resolve_final_path(path, kAdjfileOption);
  if (!resolved) return resolved.error();
  const std::string lock_path = adjtime_lock_path(*resolved);

  std::unique_ptr<AdjtimeTransaction> transaction(new AdjtimeTransaction());
  Result<LockFile> lock = LockFile::acquire(lock_path, path, lock_timeout, kAdjfileOption);
  if (!lock) return lock.error();
  transaction->lock_ = std::move(*lock);

  Result<LoadedAdjtime> loaded = load_resolved(path, *resolved);
  if (!loaded) return loaded.error();
  transaction->loaded_ = std::move(*loaded);
  return transaction;
}

Status AdjtimeTransaction::prepare() {
  if (prepared_) return Status::success();
  if (lock_.held()) remove_stale_temp_files(loaded_.resolved_path);
  auto prepared = PreparedReplace::prepare(loaded_.resolved_path, kNewFileMode, kAdjfileOption);
  if (!prepared) return prepared.error();
  prepared_ = std::move(prepared.value());
  return Status::success();
}

Result<bool> AdjtimeTransaction::commit(const Adjtime& next) {
  if (Status s = check_writable(loaded_.resolved_path, next); !s) return s.error();
  std::string text = format_adjtime(next);
  if (loaded_.existed && text == loaded_.original_text) return false;

  if (Status ready = prepare(); !ready) return ready.error();
  Status written = prepared_->commit(text);
  prepared_.reset();
  if (!written) return written.error();
  loaded_.existed = true;
  loaded_.parse = parse_adjtime(text);
  loaded_.original_text = std::move(text);
  return true;
}

}  // namespace rtcal::state

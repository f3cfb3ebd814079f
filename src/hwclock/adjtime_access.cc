// Changing adjtime from a command (see adjtime_access.h).
#include "src/hwclock/adjtime_access.h"

#include <sstream>
#include <vector>

#include "base/atomic_file.h"
#include "state/measurement_log.h"

namespace rtcal {

Result<std::unique_ptr<AdjtimeAccess>> AdjtimeAccess::open(Context& ctx) {
  auto access = std::unique_ptr<AdjtimeAccess>(new AdjtimeAccess());
  if (ctx.options().noadjfile) {
    access->path_ = "(--noadjfile)";
    return access;
  }
  state::LoadedAdjtime loaded;
  if (ctx.options().dry_run) {
    auto plain = state::load_adjtime(ctx.options().adjfile);
    if (!plain) return plain.error();
    loaded = plain.value();
  } else {
    auto transaction = state::AdjtimeTransaction::begin(ctx.options().adjfile);
    if (!transaction) return transaction.error();
    access->transaction_ = std::move(transaction.value());
    loaded = access->transaction_->loaded();
  }
  using F = state::AdjtimeField;
  auto values = adjtime_values(ctx, loaded, {F::drift_factor, F::last_adjust, F::not_adjusted, F::last_calibration, F::scale},
                               &access->meta_);
  if (!values) return values.error();
  access->values_ = values.value();
  access->path_ = loaded.path;
  access->original_text_ = loaded.existed ? loaded.original_text : "";
  return access;
}

Status AdjtimeAccess::prepare(Context& ctx) {
  if (ctx.options().noadjfile || ctx.options().dry_run || !transaction_) return Status::success();
  if (meta_.damaged && !backed_up_) {
    const std::string copy = transaction_->loaded().resolved_path + ".damaged";
    if (Status kept = replace_file_atomically(copy, original_text_, 0600, "--adjfile"); !kept) return kept;
    backed_up_ = true;
    ctx.note("kept a copy of the damaged " + path_ + " as " + copy);
  }
  return transaction_->prepare();
}

Status prepare_rtc_write(Context& ctx, AdjtimeAccess& access) {
  if (ctx.options().dry_run) return Status::success();
  if (Status adjtime = access.prepare(ctx); !adjtime) return adjtime;
  return state::prepare_append(ctx.options().log_path);
}

Status AdjtimeAccess::commit(Context& ctx, const state::Adjtime& next) {
  if (ctx.options().noadjfile) return Status::success();
  auto written = commit_adjtime_change(ctx, transaction_.get(), path_, original_text_, next, AdjtimeVoice::notes,
                                       [&] { return prepare(ctx); });
  if (!written) return written.error();
  return Status::success();
}

namespace {

// Tell of an unchanged file, and of a change before it is written.
void tell_unchanged(Context& ctx, const std::string& path, AdjtimeVoice voice) {
  if (voice == AdjtimeVoice::text) {
    ctx.out() << path << " already holds these values; nothing to write.\n";
  } else if (voice == AdjtimeVoice::notes) {
    if (ctx.options().dry_run) ctx.out() << "Would leave " << path << " unchanged.\n";
    else ctx.note(path + ": unchanged, not written");
  }
}

}  // namespace

Result<bool> commit_adjtime_change(Context& ctx, state::AdjtimeTransaction* tx, const std::string& path,
                                   const std::string& original_text, const state::Adjtime& next, AdjtimeVoice voice,
                                   const std::function<Status()>& before_write) {
  const std::string after = state::format_adjtime(next);
  if (after == original_text) {
    tell_unchanged(ctx, path, voice);
    return false;
  }
  // hwclock -v's save_adjtime line, on stdout (--test too).
  if (voice == AdjtimeVoice::notes && ctx.options().hwclock_output && ctx.options().verbose > 0)
    ctx.out() << "New " << path << " data:\n" << after;
  const std::string diff = adjtime_change(path, original_text, after);
  if (voice == AdjtimeVoice::text) ctx.out() << diff;
  if (ctx.options().dry_run) {
    if (voice == AdjtimeVoice::notes) ctx.out() << "Would write " << path << ":\n" << diff;
    if (voice == AdjtimeVoice::text) ctx.out() << "--dry-run: " << path << " not written.\n";
    return false;
  }
  if (tx == nullptr) return failure(path, "no lock was taken on the file before the change", "report this as a bug");
  if (before_write) {
    if (Status ready = before_write(); !ready) return ready.error();
  }
  auto written = tx->commit(next);
  if (!written) return written.error();
  if (voice == AdjtimeVoice::notes) ctx.note("wrote " + path + ":\n" + diff);
  if (voice == AdjtimeVoice::text) ctx.out() << "Wrote " << path << ".\n";
  return written.value();
}

state::RtcScale scale_after_change(const Context& ctx, state::RtcScale current) {
  if (ctx.options().utc) return state::RtcScale::utc;
  if (ctx.options().localtime) return state::RtcScale::local;
  return current;
}


std::string adjtime_change(const std::string& path, const std::string& before,
                           const std::string& after) {
  std::ostringstream text;
  text << "--- " << path << (before.empty() ? " (missing)" : "") << "\n+++ " << path << '\n';
  auto lines = [](const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  };
  const auto old_lines = lines(before), new_lines = lines(after);
  for (size_t i = 0; i < std::max(old_lines.size(), new_lines.size()); ++i) {
    const bool has_old = i < old_lines.size(), has_new = i < new_lines.size();
    if (has_old && has_new && old_lines[i] == new_lines[i]) {
      text << "  " << old_lines[i] << '\n';
      continue;
    }
    if (has_old) text << "- " << old_lines[i] << '\n';
    if (has_new) text << "+ " << new_lines[i] << '\n';
  }
  return text.str();
}

}  // namespace rtcal

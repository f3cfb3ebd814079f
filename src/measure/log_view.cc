// Building the log view (see log_view.h): one pass over the records, then
// the corrections applied in O(n + k log n) for k corrections.
#include "src/measure/log_view.h"

#include <sys/stat.h>

#include <algorithm>

namespace rtcal {

using calibration::Observation;
using calibration::ObservationType;
using state::RecordType;

std::string LogView::reason_of(int line) const {
  const auto it = reasons.find(line);
  return it == reasons.end() ? std::string() : it->second;
}

int LogView::index_of_line(int line) const {
  for (size_t i = 0; i < observations.size(); ++i)  // rare: `rtcal log` only
    if (observations[i].line == line) return static_cast<int>(i);
  return -1;
}

void LogViewBuilder::add(const state::LogRecord& r) {
  if (r.type == RecordType::trim) {
    ++view_.trims;
    trims_.push_back({r.time_unix_s, r.offset_ppb - r.previous_ppb});
    view_.trim_events.push_back({r.time_unix_s, r.offset_ppb, r.previous_ppb, r.line});
    trim_sign_ = r.trim_sign;
    return;
  }
  if (r.type == RecordType::drop || r.type == RecordType::note) {
    if (r.type == RecordType::drop) {
      ++view_.drops;
      drops_.push_back({r.line, r.target_line, r.time_unix_s});
      view_.drop_reasons[r.target_line] = r.reason;
    } else {
      ++view_.note_count;
      view_.notes[r.target_line].push_back(r.reason);
    }
    return;
  }
  if (r.type == RecordType::boot || r.type == RecordType::shutdown) {
    view_.power_events.push_back({r.type == RecordType::boot, view_.observations.size(), r.time_unix_s, r.boot_id, r.line});
    return;
  }
  if (r.type == RecordType::measurement && r.source == "boot" && r.extra.contains("boot_id") &&
      r.extra["boot_id"].is_string()) {
    view_.boot_true_time[r.extra["boot_id"].get<std::string>()] = r.time_unix_s;
  }
  Observation o;
  o.line = r.line;
  o.time_unix_s = r.time_unix_s;
  uint8_t source = 0;
  if (r.type == RecordType::measurement) {
    ++view_.measurements;
    o.rtc_error_s = r.rtc_error_s;
    o.sigma_s = r.sigma_s;
    latest_measurement_s_ = std::max(latest_measurement_s_, r.time_unix_s);
    auto it = std::find(view_.sources.begin(), view_.sources.end(), r.source);
    if (it == view_.sources.end() && view_.sources.size() < 255) it = view_.sources.insert(view_.sources.end(), r.source);
    source = static_cast<uint8_t>(it == view_.sources.end() ? 254 : it - view_.sources.begin());
  } else if (r.type == RecordType::step) {
    ++view_.steps;
    o.type = ObservationType::step;
    o.amount_s = r.amount_s;
  } else {
    ++view_.resets;
    o.type = ObservationType::reset;
    if (r.time_unix_s < latest_measurement_s_) {
      ++view_.late_resets;
      late_resets_.push_back({r.line, 0, r.time_unix_s});
    }
  }
  if (!r.reason.empty()) view_.reasons[r.line] = r.reason;
  if (view_.sources.empty()) view_.sources.emplace_back();
  view_.observations.push_back(o);
  view_.source_ids.push_back(source);
}

// Each measurement before a trim, as it would read had the RTC run at the
// trimmed rate all along (O(n * trims); trims are few).
void LogViewBuilder::apply_trims() {
  for (auto& o : view_.observations) {
    if (o.type != ObservationType::measurement) continue;
    for (const Trim& t : trims_) {
      const double change_ppm = -trim_sign_ * t.offset_change_ppb / 1000.0;  // rtc/trim.h rate_effect_ppm
      if (o.time_unix_s < t.time_unix_s) o.rtc_error_s -= change_ppm * 1e-6 * (t.time_unix_s - o.time_unix_s);
    }
  }
}

LogView LogViewBuilder::finish() {
  if (!trims_.empty()) apply_trims();
  auto& obs = view_.observations;
  auto& ids = view_.source_ids;
  // Records are in line order here: find a drop's target by bisection.
  for (const auto& d : drops_) {
    const auto it = std::lower_bound(obs.begin(), obs.end(), d.target,
                                     [](const Observation& o, int line) { return o.line < line; });
    if (it == obs.end() || it->line != d.target || d.target >= d.line) {
      view_.warnings.push_back("line " + std::to_string(d.line) + ": drop names line " + std::to_string(d.target) +
                               ", which holds no measurement, step or reset before it; ignored");
      continue;
    }
    it->dropped = true;
  }
  if (late_resets_.empty()) return std::move(view_);
  // A late reset moves to just before the first measurement after its time.
  std::vector<Observation> moved;
  std::vector<uint8_t> moved_ids;
  std::vector<std::pair<size_t, size_t>> at;  // (position, index of the reset)
  for (size_t i = 0; i < obs.size(); ++i) {
    if (obs[i].type != ObservationType::reset) continue;
    const bool late = std::any_of(late_resets_.begin(), late_resets_.end(), [&](const Pending& p) { return p.line == obs[i].line; });
    if (!late) continue;
    size_t pos = 0;
    while (pos < obs.size() && !(obs[pos].type == ObservationType::measurement && obs[pos].time_unix_s > obs[i].time_unix_s)) ++pos;
    at.emplace_back(pos, i);
  }
  std::stable_sort(at.begin(), at.end());
  size_t next = 0;
  for (size_t i = 0; i <= obs.size(); ++i) {
    for (; next < at.size() && at[next].first == i; ++next) {
      moved.push_back(obs[at[next].second]);
      moved_ids.push_back(ids[at[next].second]);
    }
    if (i == obs.size()) break;
    const bool is_late = std::any_of(at.begin(), at.end(), [&](const auto& a) { return a.second == i; });
    if (is_late) continue;
    moved.push_back(obs[i]);
    moved_ids.push_back(ids[i]);
  }
  obs = std::move(moved);
  ids = std::move(moved_ids);
  return std::move(view_);
}

Result<LogView> load_log_view(const std::string& path) {
  LogViewBuilder builder;
  // A canonical measurement line is about 90 bytes: room for them all at
  // once, so the vectors are not regrown (and copied) on the way.
  if (struct stat st {}; stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode))
    builder.reserve(static_cast<size_t>(st.st_size) / 85);
  int lines = 0;
  Status scanned = state::scan_log(path, [&](state::LogLineParse&& p, int line) {
    lines = line;
    if (p.record) builder.add(*p.record);
    else builder.add_error({line, std::move(p.cause)});
  });
  if (!scanned) return scanned.error();
  builder.set_lines(lines);
  return builder.finish();
}

LogView view_of(const std::vector<state::LogRecord>& records) {
  LogViewBuilder builder;
  int lines = 0;
  for (const auto& r : records) {
    state::LogRecord numbered = r;
    if (numbered.line == 0) numbered.line = lines + 1;  // built in memory: number them in order
    builder.add(numbered);
    lines = std::max(lines, numbered.line);
  }
  builder.set_lines(lines);
  return builder.finish();
}

bool open_segment_has_measurement(const LogView& view) {
  for (auto it = view.observations.rbegin(); it != view.observations.rend(); ++it) {
    if (it->type == ObservationType::reset) return false;
    if (it->type == ObservationType::measurement && !it->dropped) return true;
  }
  return false;
}

Error corrupt_log_error(const std::string& path, const state::LogLineError& first) {
  return bad_state(path + ":" + std::to_string(first.line), first.cause,
                   "fix or delete the line; the fit uses every measurement, so it does not guess");
}

}  // namespace rtcal

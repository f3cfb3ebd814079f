// The measurement log as drift, report, status and `rtcal log` see it: its
// records turned into the fit's observations (calibration/observation.h)
// with the corrections applied (a `drop` withdraws a record, a `note`
// annotates one, a `reset` dated before measurements already logged applies
// at its own time, a `trim` of the chip's own rate re-expresses every
// measurement before it at the new rate: e' = e - dr * (T - t), dr the rate
// change, so the fit sees one rate and the hardware correction is not taken
// for drift; the sign is the chip's, so the latest trim record's sign holds
// for all of them: a later --invert-sign corrects the earlier ones too), read a block at a time so a log of a million records
// costs tens of bytes per record, not its text. Sources and reasons are kept
// beside the observations, not in them (calibration stays free of text).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "calibration/observation.h"
#include "state/measurement_log.h"

namespace rtcal {

// A boot or a shutdown (state/measurement_log.h), where it stands among the
// observations: it came after the first `after_observations` of them.
struct PowerEvent {
  bool boot = false;          // false: a shutdown
  size_t after_observations = 0;
  double time_unix_s = 0.0;   // shutdown: system time; boot: the RTC's reading at its edge
  std::string boot_id;        // boot
  int line = 0;
};

// A trim of the RTC chip's own rate (state/measurement_log.h, type "trim").
struct TrimEvent {
  double time_unix_s = 0.0;
  double offset_ppb = 0.0;    // the register's new value
  double previous_ppb = 0.0;  // its value before
  int line = 0;
};

struct LogView {
  // Measurements, steps and resets in effective order (log order, with late
  // resets moved to their time); dropped ones stay, marked.
  std::vector<calibration::Observation> observations;
  std::vector<uint8_t> source_ids;              // per observation: index into sources
  std::vector<std::string> sources;             // distinct measurement sources
  std::unordered_map<int, std::string> reasons; // by line: a step's or reset's reason
  std::unordered_map<int, std::string> drop_reasons;       // by the dropped record's line
  std::unordered_map<int, std::vector<std::string>> notes; // by the annotated record's line
  std::vector<state::LogLineError> errors;      // corrupt lines
  std::vector<std::string> warnings;            // corrections that name no record
  std::vector<PowerEvent> power_events;         // boots and shutdowns, in log order
  std::vector<TrimEvent> trim_events;           // trims of the chip's rate, in log order
  // By boot id: the true time of that boot's RTC edge, from `measure --boot`.
  std::unordered_map<std::string, double> boot_true_time;
  int measurements = 0, steps = 0, resets = 0, late_resets = 0, drops = 0, note_count = 0, trims = 0;
  int lines = 0;                                // lines read (the next record's line is lines + 1)

  const std::string& source_of(size_t i) const { return sources[source_ids[i]]; }
  std::string reason_of(int line) const;
  // The observation on `line`, or -1.
  int index_of_line(int line) const;
};

// Builds a view one record at a time (records in log order).
class LogViewBuilder {
 public:
  void add(const state::LogRecord& r);
  void add_error(state::LogLineError e) { view_.errors.push_back(std::move(e)); }
  void set_lines(int lines) { view_.lines = lines; }
  void reserve(size_t records) {
    view_.observations.reserve(records);
    view_.source_ids.reserve(records);
  }
  LogView finish();

 private:
  struct Pending { int line; int target; double time; };
  struct Trim { double time_unix_s; double offset_change_ppb; };
  void apply_trims();
  LogView view_;
  std::vector<Pending> drops_, late_resets_;
  std::vector<Trim> trims_;
  int trim_sign_ = 1;  // the latest trim record's
  double latest_measurement_s_ = -1e300;
};

// Read the log at `path` into a view. A missing file is an empty view.
Result<LogView> load_log_view(const std::string& path);

// The first corrupt line of a log as the error of a command that fits it
// (drift, trim): a skipped measurement would change the fit, so it refuses.
Error corrupt_log_error(const std::string& path, const state::LogLineError& first);

// A view of records already parsed (tests, and small logs).
LogView view_of(const std::vector<state::LogRecord>& records);

// Whether the last calibration segment (after the last reset) holds a
// measurement that was not dropped: a change of the RTC must then be logged
// as an exact step, or the fit loses that segment's anchor.
bool open_segment_has_measurement(const LogView& view);

}  // namespace rtcal

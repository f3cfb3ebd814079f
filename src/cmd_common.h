// Helpers shared by the subcommands: loading adjtime as the global options
// say, printing JSON and numbers, and describing durations in words.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "calibration/drift.h"
#include "src/context.h"
#include "src/number_text.h"
#include "state/adjtime_file.h"

namespace rtcal {

// The adjtime file per --adjfile/--noadjfile (--noadjfile: defaults, existed=false).
Result<state::LoadedAdjtime> load_adjtime_for(Context& ctx);

// The values a command needs from `loaded`: rtcal's strict reading (a
// field in `needed` that does not parse is a bad_state error naming
// file:line), or with ctx.lenient_adjtime() hwclock's reading, its damage
// reported as hwclock reports it (drop-in mode) or as an rtcal warning.
struct AdjtimeMeta {
  bool damaged = false;      // not as hwclock or rtcal would have written it
  bool scale_known = false;  // line 3 said UTC or LOCAL (hwclock rewrites it otherwise)
};
// `meta`, when given, says what the file was like.
Result<state::Adjtime> adjtime_values(Context& ctx, const state::LoadedAdjtime& loaded,
                                      std::initializer_list<state::AdjtimeField> needed, AdjtimeMeta* meta = nullptr);

// The drift-model view of adjtime values.
calibration::DriftState drift_state_of(const state::Adjtime& adjtime);

// hwclock -v's drift lines (calculate_adjustment) for the drift at
// `at_unix_s` (the RTC reading; --predict's date), on stdout, in drop-in
// mode with -v only: "Time since last adjustment is N seconds",
// "Calculated Hardware Clock drift is S.US seconds".
void say_hwclock_drift(Context& ctx, const calibration::DriftState& state, int64_t at_unix_s);

// The current system time: the simulated one with --rtc sim:FILE.
Result<SysTime> now_for(Context& ctx);

// Pretty-printed JSON and a newline on ctx.out().
void print_json(Context& ctx, const nlohmann::ordered_json& value);

// "3 days 4 hours", "5 minutes", "12 seconds": the size of a duration, no sign.
std::string duration_words(double seconds);

// "2026-11-23 10:56:10+00:00 (3 days ago)" / "(in 2 hours)" / "never" for 0.
std::string date_and_age(int64_t unix_s, SysTime now);

// The adjtime text before and after a change, as a small unified-style diff.
std::string adjtime_change(const std::string& path, const std::string& before,
                           const std::string& after);

}  // namespace rtcal

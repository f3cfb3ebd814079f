// Reading /etc/adjtime as a command needs it: per --adjfile/--noadjfile,
// rtcal's strict reading or (drop-in mode, apply) util-linux hwclock's
// lenient one with its damage reported, the drift model's view of the
// values, and hwclock -v's lines about the drift.
#pragma once

#include <cstdint>
#include <initializer_list>

#include "calibration/drift.h"
#include "src/cli/context.h"
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

}  // namespace rtcal

// The guided measurement's conversation (`rtcal measure` in a terminal with
// no reference option), kept apart from the terminal: it talks through a
// small Prompter (print, bell, read a line with a timeout) and takes every
// timestamp from an injected SystemClock, so unit tests play a person with a
// scripted fake clock and a real terminal only supplies the key presses.
//
// A human reference works like the Clock mini-HOWTO's WWV call: the person
// types the time that will be announced at the next beep (or that their
// trusted clock will show), then presses Enter at the beep; the press is
// timestamped on the system clock. Before that, a practice round: rtcal
// sounds beeps itself (terminal bell and an on-screen mark "*** BEEP ***")
// at whole seconds of the system clock, so the person's reaction time is
// measured (mean and spread) and then removed from the real presses.
//
// Sign conventions: reaction_s = press time - beep time (+ = late); a
// reference's offset_s = true time - system clock (see src/measure/reference.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "rtc/system_clock.h"
#include "src/measure/reference.h"
#include "state/measurement_log.h"

namespace rtcal {

// The terminal, as the conversation sees it.
class Prompter {
 public:
  virtual ~Prompter() = default;
  virtual void print(const std::string& text) = 0;  // as is, no newline added
  virtual void bell() = 0;                           // the terminal bell
  // One line (without '\n') typed within `timeout`; none on timeout or EOF.
  virtual std::optional<std::string> read_line(Nanos timeout) = 0;
  // Discard lines typed ahead; true when there were any (a press too early).
  virtual bool discard_typed_ahead() = 0;
};

// The mark printed at each practice beep; a test watching the screen waits for it.
inline constexpr const char* kBeepMark = "*** BEEP ***";

struct ReactionStats {
  double mean_s = 0.0;    // mean delay of a press after a beep
  double spread_s = 0.0;  // sample standard deviation of the presses
  int n = 0;
};

// Mean and sample standard deviation (0 for fewer than two values).
ReactionStats reaction_stats(const std::vector<double>& reactions_s);

// How many practice beeps and real presses, and how long to wait for a line.
struct GuideSettings {
  int practice_beeps = 5;
  int real_presses = 3;
  double max_reaction_s = 1.5;   // a press later than this (or before the beep) is not counted
  double line_timeout_s = 120.0;  // longest wait for typed input
  int max_tries = 3;              // per beep or question, then give up
  double min_sigma_s = 0.02;      // the floor of a human reference's sigma
  // Added in quadrature: the practice beep is seen and heard on this terminal,
  // the real one heard over a phone line or a radio; reaction times to the two
  // differ by a few tens of ms, which no spread of presses shows.
  double systematic_s = 0.03;
};

// Practice: sound `practice_beeps` beeps at whole seconds of `clock`, 3 s
// apart, with a countdown; time the presses. Presses outside
// [0, max_reaction_s] are retried (at most max_tries times each).
Result<ReactionStats> practice_round(Prompter& prompter, SystemClock& clock, const GuideSettings& settings);

// "14:32:10", "14:32" (seconds 0), optionally followed by " UTC" or "Z" (else
// local time), resolved to the moment nearest `near` (within 12 hours).
Result<SysTime> parse_announced_time(const std::string& text, SysTime near);

enum class HumanSource { beep, clock };  // a time beep / speaking clock; a trusted clock read by eye

// The real presses: ask for the announced time, wait for Enter, and turn
// each into an offset (announced + mean reaction - press time). The
// reference's sigma: the larger of the practice spread and the spread of the
// offsets, times sqrt(1/presses + 1/practice beeps), at least min_sigma_s,
// with systematic_s added in quadrature.
Result<Reference> human_reference(Prompter& prompter, SystemClock& clock, HumanSource source,
                                  const ReactionStats& reaction, const GuideSettings& settings);

// The result in words, from the new measurement and the earlier log:
// "the RTC is 12.4 s fast; 31 days since the first measurement; it gains
// about 0.40 s/day". Uses the measurements since the last reset; known
// steps between the first and the new one are taken out of the rate.
std::string result_in_words(const std::vector<state::LogRecord>& earlier, const state::LogRecord& now);

}  // namespace rtcal

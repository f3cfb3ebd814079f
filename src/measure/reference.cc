// NTP and user-given references (see reference.h).
#include "src/measure/reference.h"

#include <chrono>
#include <cmath>

#include "base/number_text.h"

namespace rtcal {
namespace {

bool simulated(const Context& ctx) { return ctx.options().rtc_spec.starts_with("sim:"); }

// Real clock minus `clock`, s: 0 for the real clock itself, else read
// real - clock - real and take the middle of the two real readings. A
// reader preempted between them (a busy machine) brackets wide and moves
// the middle by up to half the gap (4 ms was seen): the narrowest of a few
// brackets is taken, at once when it is within kNarrowBracket.
double real_minus(const Context& ctx, SystemClock& clock) {
  if (!simulated(ctx)) return 0.0;
  constexpr int kMaxBrackets = 20;
  constexpr Nanos kNarrowBracket = std::chrono::microseconds(20);
  auto real = make_real_system_clock();
  Nanos narrowest = Nanos::max();
  double result = 0.0;
  for (int i = 0; i < kMaxBrackets && narrowest > kNarrowBracket; ++i) {
    const SysTime before = real->now();
    const SysTime other = clock.now();
    const SysTime after = real->now();
    if (after - before >= narrowest) continue;
    narrowest = after - before;
    result = (to_unix_s(before) + to_unix_s(after)) / 2.0 - to_unix_s(other);
  }
  return result;
}

std::string signed_text(double seconds) { return (seconds >= 0 ? "+" : "") + fixed(seconds, 6) + " s"; }

}  // namespace

Status validate(const NtpRequest& request) {
  for (const std::string& s : request.servers) {
    if (auto spec = ntp::parse_server(s); !spec) return spec.error();
  }
  ntp::QueryOptions options;
  options.samples = request.samples;
  if (!(request.timeout_s > 0.0 && request.timeout_s <= 60.0)) {
    return usage_error("--timeout", "must be between 0 and 60 s, got " + fixed(request.timeout_s, 3),
                       "e.g. --timeout 1");
  }
  return ntp::validate(options);
}

Result<Reference> ntp_reference(Context& ctx, SystemClock& clock, const NtpRequest& request) {
  ntp::QueryOptions options;
  options.samples = request.samples;
  options.try_timeout = Nanos(std::llround(request.timeout_s * 1e9));
  std::vector<Error> ignored;
  auto measured = ntp::measure_offset(request.servers, options, &ignored);
  for (const Error& e : ignored) ctx.err() << "rtcal: warning: " << e.message() << '\n';
  if (!measured) return measured.error();
  const ntp::NtpMeasurement& m = measured.value();

  Reference ref;
  ref.source = "ntp";
  ref.offset_s = m.offset_s + real_minus(ctx, clock);
  ref.sigma_s = m.error_bound_s;
  ref.extra["server"] = m.server;
  ref.extra["address"] = m.address;
  ref.extra["ntp_offset"] = m.offset_s;
  ref.extra["delay"] = m.delay_s;
  ref.extra["error_bound"] = m.error_bound_s;
  ref.extra["stratum"] = m.stratum;
  if (simulated(ctx)) ref.extra["sim_offset"] = ref.offset_s;
  ref.summary = "NTP " + m.server + " (" + m.address + "): " + clock.name() + " offset " +
                signed_text(ref.offset_s) + " (add), delay " + fixed(m.delay_s, 6) + " s, error bound \xc2\xb1" +
                fixed(m.error_bound_s, 6) + " s, stratum " + std::to_string(m.stratum);
  return ref;
}

Reference system_reference(double system_error_s, double sigma_s) {
  Reference ref;
  ref.source = "system";
  ref.offset_s = -system_error_s;
  ref.sigma_s = sigma_s;
  ref.extra["system_error"] = system_error_s;
  ref.summary = "the system clock is " + signed_text(system_error_s) + " from true time (as given, sigma " +
                fixed(sigma_s, 6) + " s)";
  return ref;
}

}  // namespace rtcal

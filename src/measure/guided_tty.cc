// The guided measurement on a real terminal (see guided_tty.h). The
// conversation itself is src/guided_session.*; this file owns the terminal
// I/O and the choice of reference.
#include "src/measure/guided_tty.h"

#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <iostream>

#include "src/cli/command.h"
#include "src/cli/i18n.h"
#include "src/hwclock/rtc_measure.h"
#include "src/hwclock/time_config.h"
#include "src/measure/guided_session.h"

namespace rtcal {
namespace {

// Lines from fd 0 with a timeout; output to ctx.out().
class TtyPrompter final : public Prompter {
 public:
  explicit TtyPrompter(std::ostream& out) : out_(out) {}
  void print(const std::string& text) override { out_ << text << std::flush; }
  void bell() override { out_ << '\a' << std::flush; }

  std::optional<std::string> read_line(Nanos timeout) override {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      if (auto line = take_line()) return line;
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !fill(static_cast<int>(left.count()))) return std::nullopt;
    }
  }

  bool discard_typed_ahead() override {
    while (fill(0)) {
    }
    const bool any = buffer_.find('\n') != std::string::npos;
    buffer_.clear();
    return any;
  }

 private:
  std::optional<std::string> take_line() {
    const auto nl = buffer_.find('\n');
    if (nl == std::string::npos) return std::nullopt;
    std::string line = buffer_.substr(0, nl);
    buffer_.erase(0, nl + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }

  // Read what is there within timeout_ms; false on timeout, EOF or error.
  bool fill(int timeout_ms) {
    pollfd fd{0, POLLIN, 0};
    if (::poll(&fd, 1, timeout_ms) <= 0) return false;
    char chunk[256];
    const ssize_t n = ::read(0, chunk, sizeof chunk);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  std::ostream& out_;
  std::string buffer_;
};

enum class Choice { ntp, beep, clock };

Result<Choice> choose(Prompter& p, const ConfiguredServers& configured) {
  p.print(std::string(_("How will you tell rtcal the true time?")) + "\n");
  if (!configured.servers.empty()) {
    p.print("  1) " + i18n::format(_("NTP server {1} (configured in {2})"), configured.servers.front(), configured.file) + "\n");
  }
  p.print(std::string("  2) ") + _("a time beep or speaking clock: a phone time service (WWV +1 303 499 7111), radio pips") +
          "\n  3) " + _("a clock you trust, read by eye") + "\n");
  const std::string fallback = configured.servers.empty() ? "2" : "1";
  for (int t = 0; t < 3; ++t) {
    p.print(i18n::format(_("Choice [{1}]:"), fallback) + " ");
    auto line = p.read_line(std::chrono::seconds(120));
    if (!line) break;
    const std::string c = line->empty() ? fallback : *line;
    if (c == "1" && !configured.servers.empty()) return Choice::ntp;
    if (c == "2") return Choice::beep;
    if (c == "3") return Choice::clock;
  }
  return usage_error(_("guided measurement"), _("no choice made"), _("answer 1, 2 or 3, or give --ntp / --system-error"));
}

Result<Reference> guided_reference(Context& ctx, SystemClock& clock, Prompter& p) {
  const ConfiguredServers configured = configured_ntp_servers(sysconf_root());
  auto choice = choose(p, configured);
  if (!choice) return choice.error();
  if (choice.value() == Choice::ntp) {
    NtpRequest request;
    request.servers = configured.servers;
    return ntp_reference(ctx, clock, request);
  }
  GuideSettings settings;
  auto reaction = practice_round(p, clock, settings);
  if (!reaction) return reaction.error();
  const HumanSource source = choice.value() == Choice::beep ? HumanSource::beep : HumanSource::clock;
  return human_reference(p, clock, source, reaction.value(), settings);
}

}  // namespace

bool interactive_terminal() { return ::isatty(0) == 1 && ::isatty(1) == 1; }

ExitCode run_guided_measure(Context& ctx) {
  auto dev = hw_devices(ctx);
  if (!dev) return report(ctx, dev.error());
  auto scale = rtc_scale_for(ctx);
  if (!scale) return report(ctx, scale.error());
  TtyPrompter prompter(ctx.out());
  auto ref = guided_reference(ctx, *dev->clock, prompter);
  if (!ref) return report(ctx, ref.error());
  auto record = measure_rtc(dev.value(), scale.value(), ref.value());
  if (!record) return report(ctx, record.error());
  ctx.out() << _("reference: ") << ' ' << ref->summary << '\n' << measurement_text(record.value()) << '\n';
  auto log = state::load_log(ctx.options().log_path);
  const std::vector<state::LogRecord> earlier = log ? log->records : std::vector<state::LogRecord>{};
  ctx.out() << i18n::format(_("In words: {1}."), result_in_words(earlier, record.value())) << '\n';
  if (Status saved = save_measurement(ctx, record.value()); !saved) return report(ctx, saved.error());
  return ExitCode::ok;
}

}  // namespace rtcal

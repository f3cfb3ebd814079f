// `rtcal ntp`: ask NTP servers how far off this machine's clock is, and say
// so. It only looks (like clockspeed's `sntpclock | clockview`); nothing is
// changed. The protocol and every reply check live in src/ntp/.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "base/number_text.h"
#include "src/cli/command.h"
#include "src/ntp/client.h"

namespace rtcal {
namespace {

struct NtpArgs {
  std::vector<std::string> servers;
  int samples = 4;
  double timeout_s = 1.0;
  double deadline_s = 5.0;
  bool all = false;
};

// "your system clock is 123.456 s slow; add +123.456 s"
std::string offset_words(double offset_s) {
  const std::string amount = fixed(std::fabs(offset_s), 6);
  const char* state = offset_s >= 0 ? "slow" : "fast";
  return "your system clock is " + amount + " s " + state + "; add " + fixed(offset_s, 6, true) +
         " s";
}

void print_text(Context& ctx, const ntp::NtpMeasurement& m) {
  std::ostream& out = ctx.out();
  out << "server       " << m.server << " (" << m.address << ")\n"
      << "offset       " << fixed(m.offset_s, 6, true) << " s  (" << offset_words(m.offset_s)
      << ")\n"
      << "delay        " << fixed(m.delay_s, 6) << " s\n"
      << "error bound  \xc2\xb1" << fixed(m.error_bound_s, 6)
      << " s  (delay/2 + root delay/2 + root dispersion + precision)\n"
      << "stratum      " << m.stratum << "\n"
      << "reference    " << m.refid << "\n"
      << "leap         " << m.leap << " (" << ntp::leap_meaning(m.leap) << ")\n"
      << "server time  " << format_utc_time(m.server_time, 6) << "\n"
      << "samples      ";
  for (std::size_t i = 0; i < m.samples.size(); ++i) {
    out << (i ? ", " : "") << fixed(m.samples[i].offset_s, 6, true) << "/"
        << fixed(m.samples[i].delay_s, 6);
  }
  out << "  (offset/delay s, smallest delay used)\n";
}

nlohmann::json to_json(const ntp::NtpMeasurement& m) {
  nlohmann::json samples = nlohmann::json::array();
  for (const auto& s : m.samples) samples.push_back({{"offset", s.offset_s}, {"delay", s.delay_s}});
  return {{"server", m.server},         {"address", m.address},
          {"offset", m.offset_s},      {"delay", m.delay_s},
          {"error_bound", m.error_bound_s}, {"stratum", m.stratum},
          {"refid", m.refid},          {"leap", m.leap},
          {"server_time", format_utc_time(m.server_time, 6)},
          {"root_delay", m.root_delay_s}, {"root_dispersion", m.root_dispersion_s},
          {"samples", samples}};
}

nlohmann::json to_json(const ntp::ServerReport& r) {
  if (r.measurement) return to_json(*r.measurement);
  return {{"server", r.server}, {"address", r.address}, {"error", r.failure->message()}};
}

// --all: every server's line, then how far apart the good ones are.
void print_all_text(Context& ctx, const std::vector<ntp::ServerReport>& reports) {
  double low = INFINITY, high = -INFINITY;
  for (const auto& r : reports) {
    if (!r.measurement) continue;
    print_text(ctx, *r.measurement);
    ctx.out() << "\n";
    low = std::min(low, r.measurement->offset_s);
    high = std::max(high, r.measurement->offset_s);
  }
  if (high >= low) ctx.out() << "spread       " << fixed(high - low, 6) << " s between the "
                             << "offsets of the servers that answered\n";
}

ExitCode run_ntp(Context& ctx, const NtpArgs& args) {
  ntp::QueryOptions options;
  options.samples = args.samples;
  options.try_timeout = Nanos(static_cast<int64_t>(std::llround(args.timeout_s * 1e9)));
  options.deadline = Nanos(static_cast<int64_t>(std::llround(args.deadline_s * 1e9)));
  if (Status ok = ntp::validate(options); !ok) return report(ctx, ok.error());
  for (const std::string& s : args.servers) {
    if (auto spec = ntp::parse_server(s); !spec) return report(ctx, spec.error());
  }

  const auto reports = ntp::query_servers(args.servers, options, args.all);
  const bool any_good = std::any_of(reports.begin(), reports.end(),
                                    [](const auto& r) { return r.measurement.has_value(); });
  for (const auto& r : reports) {
    for (const Error& e : r.ignored) ctx.err() << "rtcal: warning: " << e.message() << '\n';
    if (!r.failure) continue;
    if (any_good) ctx.err() << "rtcal: warning: " << r.failure->message() << '\n';
    else report(ctx, *r.failure);
  }
  if (!any_good) return ExitCode::failure;

  if (ctx.options().json) {
    if (args.all) {
      nlohmann::json list = nlohmann::json::array();
      for (const auto& r : reports) list.push_back(to_json(r));
      ctx.out() << nlohmann::json{{"servers", list}}.dump(2) << '\n';
    } else {
      ctx.out() << to_json(*reports.back().measurement).dump(2) << '\n';
    }
  } else if (args.all) {
    print_all_text(ctx, reports);
  } else {
    print_text(ctx, *reports.back().measurement);
  }
  return ExitCode::ok;
}

}  // namespace

Command add_ntp_command(CLI::App& root) {
  auto args = std::make_shared<NtpArgs>();
  CLI::App* app = root.add_subcommand(
      "ntp", "Ask NTP servers how far off the system clock is (changes nothing)");
  app->option_defaults()->group("Options");
  app->add_option("SERVER", args->servers,
                  "NTP servers: HOST, HOST:PORT, [IPV6]:PORT (default port 123)")
      ->required();
  app->add_option("--samples", args->samples, "Requests per server, 1-16 (default 4)")
      ->type_name("N");
  app->add_option("--timeout", args->timeout_s, "Seconds to wait for each reply (default 1)")
      ->type_name("S");
  app->add_option("--deadline", args->deadline_s, "Seconds for the whole query (default 5)")
      ->type_name("S");
  app->add_flag("--all", args->all, "Ask every server and compare (default: first good one)");
  app->footer(
      "Offset = server minus this machine: add it to the system clock to correct it.\n"
      "Every reply is checked against RFC 5905/4330; a bad reply is named and ignored.\n"
      "Exit status: 0 a good sample, 1 no good sample, 2 usage error.\n"
      "Examples:\n"
      "  rtcal ntp pool.ntp.org\n"
      "  rtcal ntp --samples 8 --timeout 0.5 192.0.2.1:11123\n"
      "  rtcal ntp --all --json ntp1.example [2001:db8::1]:123\n"
      "  rtcal ntp 127.0.0.1:11123 | grep offset");
  return Command{app, [args](Context& ctx) { return run_ntp(ctx, *args); }};
}

}  // namespace rtcal

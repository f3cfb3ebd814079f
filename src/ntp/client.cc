// The SNTP exchange and the sampling policy: one request per fresh socket,
// every datagram judged by check_reply(), the smallest-delay sample kept,
// Kiss-o'-Death obeyed, bounded by a per-try timeout and an overall deadline.
#include "src/ntp/client.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "src/ntp/udp.h"

namespace rtcal::ntp {
namespace {

// One good reply and what it said.
struct Good {
  Packet reply;
  Verdict verdict;
  SysTime t4;
};

// How one try (one request) ended.
enum class TryEnd { sample, silent, port_unreachable, kiss_stop, kiss_rate };

struct TryOutcome {
  TryEnd end = TryEnd::silent;
  std::optional<Good> good;
  std::optional<Error> kiss;
};

// "0.300 s"
std::string seconds_text(Nanos d) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f s", to_seconds(d));
  return text;
}

// The Error for a reply that failed `verdict`.
Error reply_error(const std::string& object, const Verdict& verdict, const char* what) {
  const RuleText& t = describe(verdict.rule);
  return failure(object,
                 std::string(what) + ": " + t.rfc + ": " + t.requirement + "; got " +
                     verdict.detail,
                 t.fix);
}

// Judge one datagram; returns true when the try is over.
bool judge(const std::string& object, const Received& r, TryOutcome& out, ServerReport& report,
           Nanos& until, const QueryOptions& options, Nanos deadline) {
  Verdict v = check_reply(r);
  if (v.rule == Rule::ok && out.good) {  // our nonce again: only a copy can carry it
    v.rule = Rule::duplicate;
    v.detail = "a second reply to the same request";
  }
  if (v.rule == Rule::ok) {
    out.end = TryEnd::sample;
    out.good = Good{*r.packet, v, r.t4};
    until = std::min(monotonic_now() + options.spacing, deadline);  // listen for duplicates
    return false;
  }
  if (!out.good && (v.rule == Rule::kiss_deny || v.rule == Rule::kiss_rate)) {
    out.end = v.rule == Rule::kiss_deny ? TryEnd::kiss_stop : TryEnd::kiss_rate;
    out.kiss = reply_error(object, v, "refused by the server");
    return true;
  }
  report.ignored.push_back(reply_error(object, v, "reply ignored"));
  return false;
}

// One request and its replies, until the try times out (or a kiss ends it).
Result<TryOutcome> exchange(const Endpoint& to, const std::string& object,
                            const QueryOptions& options, Nanos deadline, ServerReport& report) {
  auto socket = UdpSocket::open(to, object);
  if (!socket) return socket.error();
  auto nonce = random_nonce();
  if (!nonce) return nonce.error();
  const auto request = encode(make_request(*nonce));

  const SysTime t1 = realtime_now();
  if (Status sent = socket->send(request.data(), request.size()); !sent) return sent.error();
  Nanos until = std::min(monotonic_now() + options.try_timeout, deadline);

  TryOutcome out;
  UdpSocket::Datagram d;
  for (;;) {
    auto wait = socket->receive(until, d);
    if (!wait) return wait.error();
    if (*wait == UdpSocket::Wait::timeout) return out;
    if (*wait == UdpSocket::Wait::port_unreachable) {
      if (!out.good) out.end = TryEnd::port_unreachable;
      return out;
    }
    Received r{to.text, d.from, d.bytes.size(), decode(d.bytes), *nonce, t1, d.received};
    if (judge(object, r, out, report, until, options, deadline)) return out;
  }
}

NtpMeasurement build_measurement(const ServerReport& report, const std::vector<Good>& goods) {
  const auto best = std::min_element(goods.begin(), goods.end(), [](const Good& a, const Good& b) {
    return a.verdict.sample.delay < b.verdict.sample.delay;
  });
  NtpMeasurement m;
  m.server = report.server;
  m.address = report.address;
  m.offset = best->verdict.sample.offset;
  m.offset_s = to_seconds(m.offset);
  m.delay_s = to_seconds(best->verdict.sample.delay);
  m.error_bound_s = error_bound_s(best->reply, m.delay_s);
  m.root_delay_s = short_to_s(best->reply.root_delay);
  m.root_dispersion_s = short_to_s(best->reply.root_dispersion);
  m.stratum = best->reply.stratum;
  m.refid = format_refid(m.stratum, best->reply.reference_id);
  m.leap = best->reply.leap;
  m.version = best->reply.version;
  m.precision = best->reply.precision;
  m.server_time = best->verdict.t3;
  m.local_time = best->t4;
  for (const Good& g : goods) {
    m.samples.push_back({to_seconds(g.verdict.sample.offset), to_seconds(g.verdict.sample.delay)});
  }
  return m;
}

// Why a server gave no good sample, naming the rule when replies were bad.
Error no_sample_error(const ServerReport& report, const ServerSpec& spec, int tries,
                      const QueryOptions& options, bool unreachable) {
  const std::string object = "NTP server " + report.server;
  if (unreachable) {
    return failure(object, "nothing answers on " + report.address + " (ICMP port unreachable)",
                   "check that an NTP server runs there and listens on UDP port " +
                       std::to_string(spec.port));
  }
  if (!report.ignored.empty()) {
    std::string last = report.ignored.back().cause;
    const std::string prefix = "reply ignored: ";
    if (last.starts_with(prefix)) last = "the last reply broke " + last.substr(prefix.size());
    const std::string cause = "no usable reply in " + std::to_string(tries) + " tries; " + last;
    return failure(object, cause, report.ignored.back().fix);
  }
  return failure(object,
                 "no reply from " + report.address + " within " +
                     seconds_text(options.try_timeout) + " in " +
                     std::to_string(tries) + " tries",
                 "check that an NTP server runs there and UDP port " + std::to_string(spec.port) +
                     " is reachable; a slow server needs a longer --timeout");
}

ServerReport query_one(const std::string& server, const QueryOptions& options, Nanos deadline) {
  ServerReport report;
  report.server = server;
  auto spec = parse_server(server);
  if (!spec) { report.failure = spec.error(); return report; }
  const std::string object = "NTP server " + server;
  auto endpoints = resolve(spec->host, spec->port, object);
  if (!endpoints) { report.failure = endpoints.error(); return report; }
  const Endpoint& to = endpoints->front();
  report.address = to.text;

  std::vector<Good> goods;
  int silent = 0, tries = 0;
  bool unreachable = false;
  while (tries < options.samples && monotonic_now() < deadline) {
    ++tries;
    auto outcome = exchange(to, object, options, deadline, report);
    if (!outcome) { report.failure = outcome.error(); break; }
    if (outcome->good) { goods.push_back(*outcome->good); silent = 0; continue; }
    if (outcome->kiss) {  // DENY/RSTR: stop asking; RATE: back off. Either way, stop now.
      if (goods.empty()) report.failure = *outcome->kiss;
      else report.ignored.push_back(*outcome->kiss);
      break;
    }
    unreachable = outcome->end == TryEnd::port_unreachable;
    if (unreachable || ++silent >= options.max_silent_tries) break;
  }
  if (!goods.empty()) {
    report.measurement = build_measurement(report, goods);
    report.failure.reset();
  } else if (!report.failure) {
    report.failure = no_sample_error(report, *spec, tries, options, unreachable);
  }
  return report;
}

}  // namespace

Result<ServerSpec> parse_server(std::string_view text) {
  const auto bad = [&](const std::string& why) {
    return usage_error("server '" + std::string(text) + "'", why,
                       "write HOST, HOST:PORT, [IPV6]:PORT or an IPv6 address");
  };
  ServerSpec spec;
  std::string_view port;
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return bad("'[' without ']'");
    spec.host = std::string(text.substr(1, close - 1));
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty() && !rest.starts_with(':')) return bad("junk after ']'");
    if (!rest.empty()) port = rest.substr(1);
    if (rest == ":") return bad("empty port");
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    const auto colon = text.find(':');
    spec.host = std::string(text.substr(0, colon));
    port = text.substr(colon + 1);
    if (port.empty()) return bad("empty port");
  } else {
    spec.host = std::string(text);  // a name, an IPv4 address or a bare IPv6 address
  }
  if (spec.host.empty()) return bad("empty host");
  if (!port.empty()) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535)
      return bad("port '" + std::string(port) + "' is not 1-65535");
    spec.port = static_cast<uint16_t>(value);
  }
  return spec;
}

Status validate(const QueryOptions& options) {
  if (options.samples < 1 || options.samples > kMaxSamples)
    return usage_error("--samples", "must be 1-16, got " + std::to_string(options.samples),
                       "give a number from 1 to 16");
  if (options.try_timeout <= Nanos(0) || options.try_timeout > std::chrono::seconds(60))
    return usage_error("--timeout", "must be more than 0 and at most 60 s", "e.g. --timeout 1");
  if (options.deadline <= Nanos(0) || options.deadline > std::chrono::seconds(600))
    return usage_error("--deadline", "must be more than 0 and at most 600 s", "e.g. --deadline 5");
  return Status::success();
}

std::vector<ServerReport> query_servers(const std::vector<std::string>& servers,
                                        const QueryOptions& options, bool all) {
  const Nanos deadline = monotonic_now() + options.deadline;
  std::vector<ServerReport> reports;
  for (const std::string& server : servers) {
    if (!reports.empty() && monotonic_now() >= deadline) {
      ServerReport late;
      late.server = server;
      late.failure = failure("NTP server " + server, "not asked: the overall deadline passed",
                             "raise --deadline");
      reports.push_back(late);
      continue;
    }
    reports.push_back(query_one(server, options, deadline));
    if (!all && reports.back().measurement) break;
  }
  return reports;
}

Result<NtpMeasurement> measure_offset(const std::vector<std::string>& servers,
                                      const QueryOptions& options, std::vector<Error>* ignored) {
  if (servers.empty()) return usage_error("SERVER", "no NTP server given", "name at least one");
  std::vector<ServerReport> reports = query_servers(servers, options, false);
  for (const ServerReport& r : reports) {
    if (ignored) ignored->insert(ignored->end(), r.ignored.begin(), r.ignored.end());
  }
  const ServerReport& last = reports.back();
  if (last.measurement) return *last.measurement;
  return *last.failure;
}

}  // namespace rtcal::ntp

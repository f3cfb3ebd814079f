// hwclock / clock command lines -> rtcal command lines (see dropin.h).
#include "src/cli/dropin.h"

#include <algorithm>
#include <cstdlib>
#include <optional>

#include "src/cli/exit_codes.h"

namespace rtcal {
namespace {

enum class Opt {
  show, get, set, hctosys, systohc, systz, adjust, predict, param_get, param_set, getepoch, setepoch,
  utc, localtime, rtc, directisa, date, delay, update_drift, noadjfile, adjfile, test, verbose, debug,
  help, version, epoch,
};

struct OptSpec {
  const char* long_name;  // without "--"; nullptr for short-only
  char short_name;        // 0 for long-only
  bool has_arg;
  Opt opt;
};

// hwclock 2.38.1's options (getopt string "hvVDalrsuwf:").
constexpr OptSpec kOptions[] = {
    {"show", 'r', false, Opt::show},           {"get", 0, false, Opt::get},
    {"set", 0, false, Opt::set},               {"hctosys", 's', false, Opt::hctosys},
    {"systohc", 'w', false, Opt::systohc},     {"systz", 0, false, Opt::systz},
    {"adjust", 'a', false, Opt::adjust},       {"predict", 0, false, Opt::predict},
    {"param-get", 0, true, Opt::param_get},    {"param-set", 0, true, Opt::param_set},
    {"getepoch", 0, false, Opt::getepoch},     {"setepoch", 0, false, Opt::setepoch},
    {"utc", 'u', false, Opt::utc},             {"localtime", 'l', false, Opt::localtime},
    {"rtc", 'f', true, Opt::rtc},              {"directisa", 0, false, Opt::directisa},
    {"date", 0, true, Opt::date},              {"delay", 0, true, Opt::delay},
    {"update-drift", 0, false, Opt::update_drift}, {"noadjfile", 0, false, Opt::noadjfile},
    {"adjfile", 0, true, Opt::adjfile},        {"test", 0, false, Opt::test},
    {"verbose", 'v', false, Opt::verbose},     {"debug", 'D', false, Opt::debug},
    {"help", 'h', false, Opt::help},           {"version", 'V', false, Opt::version},
    {"epoch", 0, true, Opt::epoch},
};

bool is_function(Opt o) { return o <= Opt::setepoch; }

const char* function_name(Opt o) {
  for (const auto& spec : kOptions) {
    if (spec.opt == o) return spec.long_name;
  }
  return "?";
}

Error bad(const std::string& object, const std::string& cause, const std::string& fix = "see hwclock --help") {
  return usage_error(object, cause, fix);
}

// What the command line asked for.
struct Parsed {
  std::optional<Opt> function;
  bool utc = false, localtime = false, directisa = false, update_drift = false, noadjfile = false;
  bool test = false, help = false, version = false, debug = false;
  int verbose = 0;
  std::optional<std::string> rtc, date, delay, adjfile, param;
  std::vector<std::string> extra;  // non-option arguments
};

Status take(Parsed& p, Opt o, const std::optional<std::string>& arg) {
  if (is_function(o)) {
    if (p.function && *p.function != o) {
      return bad(std::string("--") + function_name(*p.function) + ", --" + function_name(o),
                 "mutually exclusive arguments: give one function");
    }
    p.function = o;
    if (o == Opt::param_get || o == Opt::param_set) p.param = arg;
    return Status::success();
  }
  switch (o) {
    case Opt::utc: p.utc = true; break;
    case Opt::localtime: p.localtime = true; break;
    case Opt::rtc: p.rtc = arg; break;
    case Opt::directisa: p.directisa = true; break;
    case Opt::date: p.date = arg; break;
    case Opt::delay: p.delay = arg; break;
    case Opt::update_drift: p.update_drift = true; break;
    case Opt::noadjfile: p.noadjfile = true; break;
    case Opt::adjfile: p.adjfile = arg; break;
    case Opt::test: p.test = true; break;
    case Opt::verbose: ++p.verbose; break;
    case Opt::debug: p.debug = true; ++p.verbose; break;
    case Opt::help: p.help = true; break;
    case Opt::version: p.version = true; break;
    default: return bad("--epoch", "is for Alpha machines only; rtcal does not support it", "leave it out");
  }
  return Status::success();
}

// A long option by exact name or unique prefix, as getopt_long matches.
Result<const OptSpec*> find_long(const std::string& name) {
  const OptSpec* found = nullptr;
  int matches = 0;
  for (const auto& spec : kOptions) {
    const std::string_view full = spec.long_name;
    if (full == name) return &spec;
    if (full.starts_with(name)) { found = &spec; ++matches; }
  }
  if (matches == 1) return found;
  return bad("--" + name, matches == 0 ? "unrecognized option" : "ambiguous option");
}

const OptSpec* find_short(char c) {
  for (const auto& spec : kOptions) {
    if (spec.short_name == c) return &spec;
  }
  return nullptr;
}

// Parse one "--name[=arg]"; may consume the next argument.
Status parse_long(Parsed& p, const std::vector<std::string>& args, size_t& i) {
  const std::string body = args[i].substr(2);
  const size_t eq = body.find('=');
  auto spec = find_long(body.substr(0, eq));
  if (!spec) return spec.error();
  std::optional<std::string> arg;
  const std::string shown = std::string("--") + spec.value()->long_name;
  if (spec.value()->has_arg) {
    if (eq != std::string::npos) arg = body.substr(eq + 1);
    else if (i + 1 < args.size()) arg = args[++i];
    else return bad(shown, "requires an argument");
  } else if (eq != std::string::npos) {
    return bad(shown, "doesn't allow an argument");
  }
  return take(p, spec.value()->opt, arg);
}

// Parse one cluster of short flags ("-ua", "-f/dev/rtc1", "-f" "DEV").
Status parse_short(Parsed& p, const std::vector<std::string>& args, size_t& i) {
  const std::string& cluster = args[i];
  for (size_t k = 1; k < cluster.size(); ++k) {
    const OptSpec* spec = find_short(cluster[k]);
    if (!spec) return bad(std::string("-") + cluster[k], "invalid option");
    if (!spec->has_arg) {
      if (Status s = take(p, spec->opt, std::nullopt); !s) return s;
      continue;
    }
    std::optional<std::string> arg;
    if (k + 1 < cluster.size()) arg = cluster.substr(k + 1);
    else if (i + 1 < args.size()) arg = args[++i];
    else return bad(std::string("-") + cluster[k], "requires an argument");
    return take(p, spec->opt, arg);
  }
  return Status::success();
}

Result<Parsed> parse(const std::vector<std::string>& args) {
  Parsed p;
  bool options_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    Status s;
    if (options_done || a == "-" || !a.starts_with("-")) p.extra.push_back(a);
    else if (a == "--") options_done = true;
    else if (a.starts_with("--")) s = parse_long(p, args, i);
    else s = parse_short(p, args, i);
    if (!s) return s.error();
    if (p.help || p.version) break;  // getopt acts on -h / -V at once, ignoring the rest
  }
  return p;
}

Status check(const Parsed& p) {
  if (!p.extra.empty()) {
    return bad("'" + p.extra.front() + "'", std::to_string(p.extra.size()) + " too many arguments given");
  }
  if (p.utc && p.localtime) return bad("--utc, --localtime", "mutually exclusive arguments");
  if (p.adjfile && p.noadjfile) return bad("--adjfile, --noadjfile", "mutually exclusive arguments");
  if (p.update_drift && p.noadjfile) return bad("--noadjfile, --update-drift", "mutually exclusive arguments");
  if (p.noadjfile && !p.utc && !p.localtime) {
    return bad("--noadjfile", "you must specify either --utc or --localtime with it", "add --utc or --localtime");
  }
  const Opt f = p.function.value_or(Opt::show);
  if (f == Opt::getepoch || f == Opt::setepoch) {
    return bad(std::string("--") + function_name(f), "is not supported by rtcal's hwclock drop-in",
               "the Alpha epoch options are for Alpha machines only");
  }
  if (p.update_drift && f != Opt::set && f != Opt::systohc) {
    return bad("--update-drift", "requires --set or --systohc", "add --set --date DATE or --systohc, or leave it out");
  }
  if ((f == Opt::set || f == Opt::predict) && !p.date) {
    return bad("--date", "is required for --set or --predict", "add --date DATE");
  }
  if (f == Opt::param_set && p.param->find('=') == std::string::npos) {
    return bad("--param-set", "expected <param>=<value>", "e.g. --param-set correction=0x10");
  }
  if (p.delay) {
    char* end = nullptr;
    const double delay_s = std::strtod(p.delay->c_str(), &end);
    if (p.delay->empty() || *end != '\0') return bad("--delay", "invalid --delay argument: '" + *p.delay + "'", "give seconds, e.g. 0.5");
    if (!(delay_s >= 0.0)) return bad("--delay", "must not be negative, got '" + *p.delay + "'", "give seconds, e.g. 0.5");
  }
  return Status::success();
}

// The rtcal command and its own options for hwclock's function.
std::vector<std::string> command_args(const Parsed& p, Opt f) {
  const bool writes_rtc = f == Opt::set || f == Opt::systohc || f == Opt::adjust;
  std::vector<std::string> out;
  switch (f) {
    case Opt::get: out = {"show", "--corrected"}; break;
    case Opt::set: out = {"set", "--date", *p.date}; break;
    case Opt::predict: out = {"predict", "--date", *p.date}; break;
    case Opt::param_get: out = {"param", "--get", *p.param}; break;
    case Opt::param_set: out = {"param", "--set", *p.param}; break;
    case Opt::show: case Opt::hctosys: case Opt::systohc: case Opt::systz: case Opt::adjust:
      out = {function_name(f)};
      break;
    default: break;
  }
  if (writes_rtc && p.delay) out.insert(out.end(), {"--delay", *p.delay});
  if ((f == Opt::set || f == Opt::systohc) && p.update_drift) out.push_back("--update-drift");
  return out;
}

std::vector<std::string> global_args(const Parsed& p, const DropinEnv& env, std::string_view name) {
  std::vector<std::string> out = {"--hwclock-output"};
  if (name != "hwclock") out.insert(out.end(), {"--hwclock-name", std::string(name)});
  // RTCAL_RTC wins; then --directisa (hwclock tries the ISA ports before any -f device).
  if (!env.rtc.empty()) out.insert(out.end(), {"--rtc", env.rtc});
  else if (p.directisa) out.push_back("--directisa");
  else if (p.rtc) out.insert(out.end(), {"--rtc", *p.rtc});
  if (p.noadjfile) out.push_back("--noadjfile");
  else if (p.adjfile) out.insert(out.end(), {"--adjfile", *p.adjfile});
  else if (!env.adjfile.empty()) out.insert(out.end(), {"--adjfile", env.adjfile});
  if (!env.log.empty()) out.insert(out.end(), {"--log", env.log});
  if (p.utc) out.push_back("--utc");
  if (p.localtime) out.push_back("--localtime");
  if (p.test) out.push_back("--dry-run");
  for (int v = 0; v < p.verbose + (p.test ? 1 : 0); ++v) out.push_back("-v");
  return out;
}

}  // namespace

bool is_dropin_name(std::string_view argv0) {
  const size_t slash = argv0.rfind('/');
  const std::string_view base = slash == std::string_view::npos ? argv0 : argv0.substr(slash + 1);
  return base == "hwclock" || base == "clock";
}

Result<DropinPlan> translate_hwclock_args(const std::vector<std::string>& args, const DropinEnv& env,
                                          std::string_view name) {
  auto parsed = parse(args);
  if (!parsed) return parsed.error();
  const Parsed& p = parsed.value();
  DropinPlan plan;
  if (p.help) { plan.action = DropinPlan::Action::help; return plan; }
  if (p.version) { plan.action = DropinPlan::Action::version; return plan; }
  if (Status s = check(p); !s) return s.error();
  if (p.debug) plan.warnings.push_back("use --verbose, --debug has been deprecated.");
  const Opt f = p.function.value_or(Opt::show);
  plan.function = function_name(f);
  plan.rtcal_args = global_args(p, env, name);
  const auto command = command_args(p, f);
  plan.test_mode = p.test;
  if (f == Opt::adjust && name == "clock") {  // clock(8): -a also sets the system clock from the RTC
    plan.then_args = plan.rtcal_args;
    plan.then_args.push_back("hctosys");
  }
  plan.rtcal_args.insert(plan.rtcal_args.end(), command.begin(), command.end());
  return plan;
}

int dropin_exit_code(int rtcal_code, const std::string& function) {
  if (rtcal_code == 0) return 0;
  if (rtcal_code == as_int(ExitCode::refused) && function == "adjust") return 0;
  return 1;
}

int dropin_exit_code_then(int adjust_code, int hctosys_code) {
  if (hctosys_code != 0) return 1;
  return dropin_exit_code(adjust_code, "adjust");
}

std::string dropin_help(std::string_view name) {
  const std::string n(name);
  return "\nUsage:\n " + n + " [function] [option...]\n\n"
         "Query or set the RTC: rtcal's drop-in for util-linux hwclock 2.38.1 and clock(8).\n\n"
         "Functions:\n"
         " -r, --show           display the RTC time\n"
         "     --get            display the drift corrected RTC time\n"
         "     --set            set the RTC according to --date\n"
         " -s, --hctosys        set the system time from the RTC\n"
         " -w, --systohc        set the RTC from the system time\n"
         "     --systz          send timescale configurations to the kernel\n"
         " -a, --adjust         adjust the RTC to account for systematic drift\n"
         "                      (as clock: then set the system time from the RTC)\n"
         "     --predict        predict the drifted RTC time according to --date\n"
         "     --param-get <param>          display the RTC parameter\n"
         "     --param-set <param>=<value>  set the RTC parameter\n\n"
         "Options:\n"
         " -u, --utc            the RTC timescale is UTC\n"
         " -l, --localtime      the RTC timescale is Local\n"
         " -f, --rtc <file>     use an alternate file to /dev/rtc0\n"
         "     --directisa      use the ISA bus instead of /dev/rtc0 access\n"
         "     --date <time>    date/time input for --set and --predict\n"
         "     --delay <sec>    delay used when set new RTC time\n"
         "     --update-drift   update the RTC drift factor\n"
         "     --noadjfile      do not use /etc/adjtime\n"
         "     --adjfile <file> use an alternate file to /etc/adjtime\n"
         "     --test           dry run; implies --verbose\n"
         " -v, --verbose        display more details\n"
         " -h, --help           display this help\n"
         " -V, --version        display version\n\n"
         "Clock mini-HOWTO forms: -r, -w, -s, -a, -u and clusters such as -ua, -us, -uw.\n"
         "Environment: RTCAL_RTC, RTCAL_ADJFILE, RTCAL_LOG replace the RTC, the adjtime file\n"
         "and the measurement log. The full tool: rtcal --help.\n"
         "<param> is a number (0x for hexadecimal) or one of: features, correction, bsm.\n";
}

}  // namespace rtcal

// rtcal param: read or set an RTC parameter (hwclock --param-get and
// --param-set; linux/rtc.h RTC_PARAM_GET/SET). <param> is a number (0x for
// hexadecimal) or one of hwclock's aliases: features (0), correction (1),
// bsm (2, the backup switch mode). Prints as hwclock does:
// "The RTC parameter 0x1 is set to 0x0.".
#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <memory>

#include "src/cli/command.h"
#include "src/cli/output.h"

namespace rtcal {
namespace {

struct ParamArgs {
  std::string get, set;
};

Result<uint64_t> number(const std::string& text, const std::string& what) {
  const bool hex = text.starts_with("0x") || text.starts_with("0X");
  const std::string digits = hex ? text.substr(2) : text;
  uint64_t value = 0;
  const char* end = digits.data() + digits.size();
  const auto [ptr, ec] = std::from_chars(digits.data(), end, value, hex ? 16 : 10);
  if (digits.empty() || ec != std::errc() || ptr != end) {
    return usage_error(what, "could not convert '" + text + "' to a number",
                       "give a number (0x for hexadecimal) or features, correction, bsm");
  }
  return value;
}

Result<uint64_t> param_number(const std::string& name) {
  if (name == "features") return uint64_t{0};
  if (name == "correction") return uint64_t{1};
  if (name == "bsm") return uint64_t{2};
  return number(name, "<param> '" + name + "'");
}

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%" PRIx64, v);
  return buf;
}

// hwclock's second line after a failure ("unable to read the RTC parameter
// features"), in drop-in mode; then the exit code.
ExitCode failed(Context& ctx, const Error& error, const std::string& line) {
  const ExitCode code = report(ctx, error);
  if (ctx.options().hwclock_output) ctx.err() << ctx.options().hwclock_name << ": " << line << '\n';
  return code;
}

ExitCode run_param(Context& ctx, const ParamArgs& args) {
  if (args.get.empty() == args.set.empty()) {
    return report(ctx, usage_error("param", "needs exactly one of --get and --set", "e.g. rtcal param --get features"));
  }
  if (!args.get.empty()) {
    const std::string unable = "unable to read the RTC parameter " + args.get;
    auto param = param_number(args.get);
    if (!param) return failed(ctx, param.error(), unable);
    auto rtc = ctx.rtc();
    if (!rtc) return failed(ctx, rtc.error(), unable);
    auto value = rtc.value()->get_param(param.value());
    if (!value) return failed(ctx, value.error(), unable);
    ctx.out() << "The RTC parameter " << hex(param.value()) << " is set to " << hex(value.value()) << ".\n";
    return ExitCode::ok;
  }
  const size_t eq = args.set.find('=');
  const std::string unable = "unable to set the RTC parameter " + args.set.substr(0, eq);
  if (eq == std::string::npos) {
    return report(ctx, usage_error("--set '" + args.set + "'", "expected <param>=<value>", "e.g. --set correction=0x10"));
  }
  auto param = param_number(args.set.substr(0, eq));
  if (!param) return failed(ctx, param.error(), unable);
  auto value = number(args.set.substr(eq + 1), "<value> '" + args.set.substr(eq + 1) + "'");
  if (!value) return failed(ctx, value.error(), unable);
  auto rtc = ctx.rtc();
  if (!rtc) return failed(ctx, rtc.error(), unable);
  if (ctx.options().dry_run) {
    say(ctx, "Would set the RTC parameter " + hex(param.value()) + " to " + hex(value.value()));
    return ExitCode::ok;
  }
  if (Status s = rtc.value()->set_param(param.value(), value.value()); !s) return failed(ctx, s.error(), unable);
  say(ctx, "Set the RTC parameter " + hex(param.value()) + " to " + hex(value.value()));
  return ExitCode::ok;
}

}  // namespace

Command add_param_command(CLI::App& root) {
  auto args = std::make_shared<ParamArgs>();
  CLI::App* app = root.add_subcommand(
      "param",
      "Read or set an RTC parameter (hwclock --param-get/--param-set; the kernel's RTC_PARAM_GET/SET,\n"
      "Linux 5.16 or later): features, correction (the RTC's own rate correction, where the\n"
      "driver has it), bsm (backup switch mode), or a number.");
  app->add_option("--get", args->get, "The parameter to read")->type_name("PARAM");
  app->add_option("--set", args->set, "The parameter and its new value")->type_name("PARAM=VALUE");
  app->footer(
      "Examples:\n"
      "  rtcal param --get features\n"
      "  rtcal param --get correction\n"
      "  rtcal --dry-run param --set correction=0x10\n"
      "Exit status: 0 done, 1 the RTC lacks the parameter or cannot be opened, 2 usage error.");
  return {app, [args](Context& ctx) { return run_param(ctx, *args); }};
}

}  // namespace rtcal

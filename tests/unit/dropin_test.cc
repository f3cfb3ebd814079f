// Drop-in mode (src/dropin.*): hwclock and clock(8) command lines in, rtcal
// command lines out; hwclock's usage errors; the exit-code mapping.
#include "src/cli/dropin.h"

#include <doctest/doctest.h>

#include <sstream>

using namespace rtcal;

namespace {

using Args = std::vector<std::string>;

// The translation joined by spaces, or "ERROR: <message>".
std::string tr(const Args& args, const DropinEnv& env = {}) {
  auto plan = translate_hwclock_args(args, env);
  if (!plan) return "ERROR: " + plan.error().message();
  std::ostringstream text;
  for (size_t i = 0; i < plan->rtcal_args.size(); ++i) text << (i ? " " : "") << plan->rtcal_args[i];
  return text.str();
}

}  // namespace

TEST_CASE("dropin: the program names that switch drop-in mode on") {
  CHECK(is_dropin_name("hwclock"));
  CHECK(is_dropin_name("/sbin/hwclock"));
  CHECK(is_dropin_name("/tmp/x/clock"));
  CHECK_FALSE(is_dropin_name("rtcal"));
  CHECK_FALSE(is_dropin_name("/usr/bin/hwclock2"));
  CHECK_FALSE(is_dropin_name("clock/rtcal"));
}

TEST_CASE("dropin: hwclock functions become rtcal commands") {
  CHECK(tr({}) == "--hwclock-output show");
  CHECK(tr({"-r"}) == "--hwclock-output show");
  CHECK(tr({"--show"}) == "--hwclock-output show");
  CHECK(tr({"--get"}) == "--hwclock-output show --corrected");
  CHECK(tr({"-s"}) == "--hwclock-output hctosys");
  CHECK(tr({"--hctosys"}) == "--hwclock-output hctosys");
  CHECK(tr({"-w"}) == "--hwclock-output systohc");
  CHECK(tr({"--systohc", "--update-drift"}) == "--hwclock-output systohc --update-drift");
  CHECK(tr({"--systz"}) == "--hwclock-output systz");
  CHECK(tr({"-a"}) == "--hwclock-output adjust");
  CHECK(tr({"--adjust", "--delay", "0.5"}) == "--hwclock-output adjust --delay 0.5");
  CHECK(tr({"--set", "--date", "2026-11-23 10:56"}) == "--hwclock-output set --date 2026-11-23 10:56");
  CHECK(tr({"--set", "--date=@1795427168", "--update-drift", "--delay=0"}) ==
        "--hwclock-output set --date @1795427168 --delay 0 --update-drift");
  CHECK(tr({"--predict", "--date", "+1 day"}) == "--hwclock-output predict --date +1 day");
}

TEST_CASE("dropin: options become rtcal's global options") {
  CHECK(tr({"-u", "-r"}) == "--hwclock-output --utc show");
  CHECK(tr({"--localtime", "-w"}) == "--hwclock-output --localtime systohc");
  CHECK(tr({"-l", "-w"}) == "--hwclock-output --localtime systohc");
  CHECK(tr({"--rtc=/dev/rtc1", "--show"}) == "--hwclock-output --rtc /dev/rtc1 show");
  CHECK(tr({"-f", "/dev/rtc1"}) == "--hwclock-output --rtc /dev/rtc1 show");
  CHECK(tr({"-f/dev/rtc1", "-w"}) == "--hwclock-output --rtc /dev/rtc1 systohc");
  CHECK(tr({"--directisa", "-r"}) == "--hwclock-output --directisa show");
  CHECK(tr({"-f", "/dev/rtc1", "--directisa"}) == "--hwclock-output --directisa show");  // ISA first, as hwclock
  CHECK(tr({"--adjfile", "/tmp/adj", "-a"}) == "--hwclock-output --adjfile /tmp/adj adjust");
  CHECK(tr({"--noadjfile", "-u", "-w"}) == "--hwclock-output --noadjfile --utc systohc");
  CHECK(tr({"--test", "-w"}) == "--hwclock-output --dry-run -v systohc");
  CHECK(tr({"-v", "-s"}) == "--hwclock-output -v hctosys");
  CHECK(tr({"--verbose", "--verbose", "-s"}) == "--hwclock-output -v -v hctosys");
}

TEST_CASE("dropin: clock(8) as the Clock mini-HOWTO uses it: clustered short flags") {
  CHECK(tr({"-ua"}) == "--hwclock-output --utc adjust");
  CHECK(tr({"-us"}) == "--hwclock-output --utc hctosys");
  CHECK(tr({"-uw"}) == "--hwclock-output --utc systohc");
  CHECK(tr({"-ur"}) == "--hwclock-output --utc show");
  CHECK(tr({"-u"}) == "--hwclock-output --utc show");
  CHECK(tr({"-uf", "/dev/rtc0"}) == "--hwclock-output --rtc /dev/rtc0 --utc show");
  CHECK(tr({"-wuf/dev/rtc0"}) == "--hwclock-output --rtc /dev/rtc0 --utc systohc");
}

TEST_CASE("dropin: long options by unique prefix, as getopt_long") {
  CHECK(tr({"--hcto"}) == "--hwclock-output hctosys");
  CHECK(tr({"--upd", "-w"}) == "--hwclock-output systohc --update-drift");
  CHECK(tr({"--sys"}).starts_with("ERROR: --sys: ambiguous option"));
  CHECK(tr({"--bogus"}) == "ERROR: --bogus: unrecognized option (see hwclock --help)");
}

TEST_CASE("dropin: the environment replaces the RTC, adjtime and log") {
  const DropinEnv env{"sim:/tmp/w.json", "/tmp/adjtime", "/tmp/log.jsonl"};
  CHECK(tr({"--rtc=/dev/rtc0", "--systohc"}, env) ==
        "--hwclock-output --rtc sim:/tmp/w.json --adjfile /tmp/adjtime --log /tmp/log.jsonl systohc");
  CHECK(tr({"--directisa", "-r"}, env) ==
        "--hwclock-output --rtc sim:/tmp/w.json --adjfile /tmp/adjtime --log /tmp/log.jsonl show");
  // An explicit --adjfile / --noadjfile on the command line wins over RTCAL_ADJFILE.
  CHECK(tr({"--adjfile=/etc/x", "-r"}, env) ==
        "--hwclock-output --rtc sim:/tmp/w.json --adjfile /etc/x --log /tmp/log.jsonl show");
  CHECK(tr({"--noadjfile", "-u", "-r"}, env) ==
        "--hwclock-output --rtc sim:/tmp/w.json --noadjfile --log /tmp/log.jsonl --utc show");
}

TEST_CASE("dropin: what hwclock refuses is a usage error") {
  CHECK(tr({"-r", "-w"}) == "ERROR: --show, --systohc: mutually exclusive arguments: give one function (see hwclock --help)");
  CHECK(tr({"-r", "-r"}) == "--hwclock-output show");  // the same function twice is fine
  CHECK(tr({"-ua", "--predict"}).starts_with("ERROR: --adjust, --predict: mutually exclusive"));
  CHECK(tr({"-u", "-l"}).starts_with("ERROR: --utc, --localtime: mutually exclusive"));
  CHECK(tr({"--adjfile", "x", "--noadjfile", "-u"}).starts_with("ERROR: --adjfile, --noadjfile"));
  CHECK(tr({"--noadjfile", "--update-drift", "-u", "-w"}).starts_with("ERROR: --noadjfile, --update-drift"));
  CHECK(tr({"--noadjfile", "-r"}) ==
        "ERROR: --noadjfile: you must specify either --utc or --localtime with it (add --utc or --localtime)");
  CHECK(tr({"--set"}) == "ERROR: --date: is required for --set or --predict (add --date DATE)");
  CHECK(tr({"--predict"}).starts_with("ERROR: --date: is required"));
  CHECK(tr({"extra"}) == "ERROR: 'extra': 1 too many arguments given (see hwclock --help)");
  CHECK(tr({"-r", "a", "b"}).starts_with("ERROR: 'a': 2 too many arguments"));
  CHECK(tr({"--", "-r"}).starts_with("ERROR: '-r': 1 too many arguments"));
  CHECK(tr({"-x"}) == "ERROR: -x: invalid option (see hwclock --help)");
  CHECK(tr({"-f"}) == "ERROR: -f: requires an argument (see hwclock --help)");
  CHECK(tr({"--date"}) == "ERROR: --date: requires an argument (see hwclock --help)");
  CHECK(tr({"--show=now"}) == "ERROR: --show: doesn't allow an argument (see hwclock --help)");
  CHECK(tr({"--delay", "abc", "-w"}) == "ERROR: --delay: invalid --delay argument: 'abc' (give seconds, e.g. 0.5)");
  CHECK(tr({"--delay", "-1", "-w"}) == "ERROR: --delay: must not be negative, got '-1' (give seconds, e.g. 0.5)");
  CHECK(tr({"--delay", "2.5", "-w"}) == "--hwclock-output systohc --delay 2.5");  // any non-negative value
  // hwclock: "--update-drift requires --set or --systohc"
  CHECK(tr({"--update-drift", "-r"}) ==
        "ERROR: --update-drift: requires --set or --systohc (add --set --date DATE or --systohc, or leave it out)");
  CHECK(tr({"--update-drift", "-a"}).starts_with("ERROR: --update-drift: requires --set or --systohc"));
  CHECK(tr({"--update-drift", "--predict", "--date", "now"}).starts_with("ERROR: --update-drift: requires"));
  CHECK(tr({"--update-drift", "-w"}) == "--hwclock-output systohc --update-drift");
  CHECK(tr({"--param-set", "features"}) == "ERROR: --param-set: expected <param>=<value> (e.g. --param-set correction=0x10)");
  CHECK(tr({"--epoch", "1952"}).starts_with("ERROR: --epoch: is for Alpha machines only"));
}

TEST_CASE("dropin: RTC parameters, --test, and clock -a setting the system clock") {
  CHECK(tr({"--param-get", "features"}) == "--hwclock-output param --get features");
  CHECK(tr({"--param-set", "correction=0x10"}) == "--hwclock-output param --set correction=0x10");
  auto test = translate_hwclock_args({"--test", "-w"}, {});
  REQUIRE(test.ok());
  CHECK(test->test_mode);
  CHECK_FALSE(translate_hwclock_args({"-w"}, {})->test_mode);
  // clock(8): -a adjusts the RTC, then sets the system clock from it; hwclock -a only adjusts.
  auto clock_a = translate_hwclock_args({"-ua"}, {}, "clock");
  REQUIRE(clock_a.ok());
  CHECK(clock_a->rtcal_args == Args{"--hwclock-output", "--hwclock-name", "clock", "--utc", "adjust"});
  CHECK(clock_a->then_args == Args{"--hwclock-output", "--hwclock-name", "clock", "--utc", "hctosys"});
  CHECK(translate_hwclock_args({"-ua"}, {}, "hwclock")->then_args.empty());
  CHECK(translate_hwclock_args({"-us"}, {}, "clock")->then_args.empty());
  CHECK(dropin_exit_code_then(0, 0) == 0);
  CHECK(dropin_exit_code_then(4, 0) == 0);  // adjust refused (no history): hwclock says so only with -v
  CHECK(dropin_exit_code_then(1, 0) == 1);
  CHECK(dropin_exit_code_then(0, 1) == 1);
}

TEST_CASE("dropin: help, version, and the deprecated --debug") {
  CHECK(translate_hwclock_args({"-h"}, {})->action == DropinPlan::Action::help);
  CHECK(translate_hwclock_args({"--help", "--bogus-later"}, {})->action == DropinPlan::Action::help);
  CHECK_FALSE(translate_hwclock_args({"--bogus", "--help"}, {}).ok());  // getopt stops at the first bad one
  CHECK(translate_hwclock_args({"-V"}, {})->action == DropinPlan::Action::version);
  CHECK(translate_hwclock_args({"--version"}, {})->action == DropinPlan::Action::version);
  auto debug = translate_hwclock_args({"-D", "-r"}, {});
  REQUIRE(debug.ok());
  CHECK(debug->warnings == std::vector<std::string>{"use --verbose, --debug has been deprecated."});
  CHECK(tr({"-D", "-r"}) == "--hwclock-output -v show");
  CHECK(debug->function == "show");
  CHECK(translate_hwclock_args({"-ua"}, {})->function == "adjust");
  CHECK(dropin_help("clock").find("Usage:\n clock [function]") != std::string::npos);
}

TEST_CASE("dropin: exit codes as hwclock's") {
  CHECK(dropin_exit_code(0, "show") == 0);
  CHECK(dropin_exit_code(1, "show") == 1);
  CHECK(dropin_exit_code(2, "set") == 1);
  CHECK(dropin_exit_code(3, "systohc") == 1);
  CHECK(dropin_exit_code(4, "adjust") == 0);  // "history is bad": hwclock says so only with -v, exits 0
  CHECK(dropin_exit_code(4, "systohc") == 1);
}

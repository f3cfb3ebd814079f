// libFuzzer target: the whole command line. The input is split on '\n' into
// at most 16 arguments that follow a fixed prefix
//
//   rtcal --rtc sim:sim.json --adjfile adjtime --log log.jsonl ARGS...
//
// and run through run_cli() in a private temp directory that is reset before
// every input, so each run starts from the same simulated RTC, adjtime and
// log. Nothing may crash, leak or be undefined, and every exit code must be
// one of the documented ones.
//
// Safety (this runs as root on a machine whose clock must not change):
//   - the RTC is always the simulated one, whose system clock is simulated
//     too; RTCAL_FORBID_REAL_CLOCK=1 guards the real clock besides;
//   - arguments that could name another RTC, CMOS ports, another adjtime or
//     log, or an NTP server are refused (the input is skipped): anything
//     containing "rtc", "directisa", "adj", "log" after "--", "ntp", any '/'
//     (so every file named is relative, inside the temp directory), any
//     short-option cluster or "-f";
//   - the program name is always "rtcal", never the hwclock drop-in.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "src/cli/cli.h"

namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxArgs = 16;
constexpr size_t kMaxArgBytes = 64;

std::string g_dir;
std::string g_sim_bytes;

const char* const kAdjtime = "-9.600000 1795340768 -0.250655\n1795340768\nUTC\n";
const char* const kLog =
    "{\"type\":\"measurement\",\"time\":1795340768,\"rtc_error\":1.5,\"sigma\":0.2,\"source\":\"typed\"}\n"
    "{\"type\":\"step\",\"time\":1795380000,\"amount\":-1.25,\"reason\":\"adjust\"}\n"
    "{\"type\":\"measurement\",\"time\":1795427000,\"rtc_error\":0.75,\"sigma\":0.1,\"source\":\"typed\"}\n";

void write_file(const std::string& name, std::string_view bytes) {
  std::ofstream(name, std::ios::binary | std::ios::trunc).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Empty the temp directory and put back the three files every run starts from.
void reset_dir() {
  for (const auto& entry : fs::directory_iterator(g_dir)) fs::remove_all(entry.path());
  write_file("sim.json", g_sim_bytes);
  write_file("adjtime", kAdjtime);
  write_file("log.jsonl", kLog);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>((c >= 'A' && c <= 'Z') ? c + 32 : c);
  return out;
}

// True when `arg` could reach outside the sandbox (see the file comment).
bool unsafe(std::string_view arg) {
  const std::string a = lower(arg);
  if (a.find('/') != std::string::npos || a.find("ntp") != std::string::npos) return true;
  if (a.find("rtc") != std::string::npos || a.find("directisa") != std::string::npos) return true;
  if (a.starts_with("--") && (a.find("adj") != std::string::npos || a.find("log") != std::string::npos)) return true;
  if (a.size() >= 2 && a[0] == '-' && a[1] != '-' && !(a[1] >= '0' && a[1] <= '9') && a[1] != '.') {
    return a.size() > 2 || a[1] == 'f';  // a short-option cluster, "-fDEV", or "-f"
  }
  return false;
}

bool valid_exit_code(int code) { return code >= 0 && code <= 4; }

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  setenv("RTCAL_FORBID_REAL_CLOCK", "1", 1);
  setenv("TZ", "Europe/Berlin", 1);
  char tmpl[] = "/tmp/rtcal-fuzz-cli-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) std::abort();
  g_dir = tmpl;
  if (chdir(g_dir.c_str()) != 0) std::abort();
  // One simulated world, made once by rtcal itself: RTC 3 s fast, gaining
  // 50 ppm, on a virtual clock (time moves only when rtcal waits).
  const char* init[] = {"rtcal", "sim", "init", "sim.json", "--at", "1795427168", "--offset", "3", "--rate-ppm", "50"};
  std::ostringstream out, err;
  if (rtcal::run_cli(10, init, out, err) != 0) std::abort();
  std::ifstream in("sim.json", std::ios::binary);
  g_sim_bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (g_sim_bytes.empty()) std::abort();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> args;
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  while (!rest.empty()) {
    const size_t nl = rest.find('\n');
    const std::string_view arg = rest.substr(0, nl);
    if (args.size() == kMaxArgs || arg.size() > kMaxArgBytes || arg.find('\0') != std::string_view::npos ||
        unsafe(arg)) {
      return -1;  // not added to the corpus
    }
    args.emplace_back(arg);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
  }
  reset_dir();
  std::vector<const char*> argv = {"rtcal", "--rtc", "sim:sim.json", "--adjfile", "adjtime", "--log", "log.jsonl"};
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  const int code = rtcal::run_cli(static_cast<int>(argv.size()), argv.data(), out, err);
  if (!valid_exit_code(code)) std::abort();
  return 0;
}

// Time-keeping configuration: NTP servers and other RTC writers (see time_config.h).
#include "src/hwclock/time_config.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

namespace rtcal {
namespace {

std::vector<std::string> words_of(std::string_view line) {
  std::istringstream in{std::string(line)};
  std::vector<std::string> words;
  for (std::string w; in >> w;) {
    if (w.starts_with('#') || w.starts_with(';') || w.starts_with('!')) break;
    words.push_back(w);
  }
  return words;
}

template <typename Fn>
void each_line(std::string_view text, Fn fn) {
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) fn(line);
}

std::optional<std::string> read_text(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// chrony's main file and its conf.d snippets, in the order chrony reads them.
std::vector<std::string> chrony_files(const std::string& root) {
  std::vector<std::string> files = {root + "/etc/chrony/chrony.conf", root + "/etc/chrony.conf"};
  std::error_code ec;
  std::vector<std::string> snippets;
  for (const auto& entry : std::filesystem::directory_iterator(root + "/etc/chrony/conf.d", ec)) {
    if (entry.path().extension() == ".conf") snippets.push_back(entry.path().string());
  }
  std::sort(snippets.begin(), snippets.end());
  files.insert(files.end(), snippets.begin(), snippets.end());
  return files;
}

}  // namespace

std::vector<std::string> ntp_conf_servers(std::string_view text) {
  std::vector<std::string> servers;
  each_line(text, [&](const std::string& line) {
    const auto w = words_of(line);
    if (w.size() >= 2 && (w[0] == "server" || w[0] == "pool" || w[0] == "peer")) servers.push_back(w[1]);
  });
  return servers;
}

std::vector<std::string> timesyncd_conf_servers(std::string_view text) {
  std::vector<std::string> primary, fallback;
  each_line(text, [&](const std::string& line) {
    const std::string_view l(line);
    const bool main = l.starts_with("NTP=");
    if (!main && !l.starts_with("FallbackNTP=")) return;
    for (const std::string& host : words_of(l.substr(l.find('=') + 1))) (main ? primary : fallback).push_back(host);
  });
  primary.insert(primary.end(), fallback.begin(), fallback.end());
  return primary;
}

bool chrony_conf_has_rtcsync(std::string_view text) {
  bool found = false;
  each_line(text, [&](const std::string& line) {
    const auto w = words_of(line);
    if (!w.empty() && w[0] == "rtcsync") found = true;
  });
  return found;
}

std::string sysconf_root() {
  const char* root = std::getenv("RTCAL_SYSCONF_ROOT");
  return root ? root : "";
}

ConfiguredServers configured_ntp_servers(const std::string& root) {
  for (const std::string& file : chrony_files(root)) {
    if (auto text = read_text(file); text && !ntp_conf_servers(*text).empty()) return {ntp_conf_servers(*text), file};
  }
  const std::string ntp = root + "/etc/ntp.conf";
  if (auto text = read_text(ntp); text && !ntp_conf_servers(*text).empty()) return {ntp_conf_servers(*text), ntp};
  const std::string timesyncd = root + "/etc/systemd/timesyncd.conf";
  if (auto text = read_text(timesyncd); text && !timesyncd_conf_servers(*text).empty()) {
    return {timesyncd_conf_servers(*text), timesyncd};
  }
  return {};
}

std::vector<std::string> rtc_writer_warnings(const std::string& root) {
  std::vector<std::string> warnings;
  for (const std::string& file : chrony_files(root)) {
    if (auto text = read_text(file); text && chrony_conf_has_rtcsync(*text)) {
      warnings.push_back(file + ": chronyd 'rtcsync' turns on the kernel's 11-minute RTC writes, which spoil the "
                         "calibration (remove the line, restart chronyd)");
    }
  }
  struct stat st {};
  const std::string timesyncd = root + "/run/systemd/units/invocation:systemd-timesyncd.service";
  if (::lstat(timesyncd.c_str(), &st) == 0) {
    warnings.push_back("systemd-timesyncd is active: once synchronised it lets the kernel write the RTC every "
                       "11 minutes (systemctl disable --now systemd-timesyncd while calibrating)");
  }
  return warnings;
}

}  // namespace rtcal

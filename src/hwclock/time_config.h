// What this machine's time-keeping configuration says, for rtcal's guided
// commands: which NTP servers are configured (chrony, ntpd, systemd-timesyncd),
// and what else writes the RTC and would spoil a calibration (chronyd
// `rtcsync`, an active systemd-timesyncd; the kernel's 11-minute mode is asked
// of SystemClock::kernel_synchronized()). The parsers take text and are pure;
// the file layer reads below a root directory: "" (the real /etc and /run) or
// $RTCAL_SYSCONF_ROOT, so tests can plant their own files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rtcal {

// `server`/`pool`/`peer` hosts in a chrony.conf or ntp.conf text, in order.
std::vector<std::string> ntp_conf_servers(std::string_view text);

// `NTP=` and `FallbackNTP=` hosts (NTP= first) in a timesyncd.conf text.
std::vector<std::string> timesyncd_conf_servers(std::string_view text);

// True when a chrony.conf text has an active `rtcsync` directive.
bool chrony_conf_has_rtcsync(std::string_view text);

// $RTCAL_SYSCONF_ROOT, or "" for the real root.
std::string sysconf_root();

// The configured NTP servers found below `root`, and the file they came from.
struct ConfiguredServers {
  std::vector<std::string> servers;
  std::string file;  // "" when none was found
};
ConfiguredServers configured_ntp_servers(const std::string& root);

// Warnings about other RTC writers configured below `root` (chronyd rtcsync,
// systemd-timesyncd active): one line each, naming the file and the fix.
std::vector<std::string> rtc_writer_warnings(const std::string& root);

}  // namespace rtcal

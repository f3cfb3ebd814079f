// apply's plausibility checks (calibration/apply_check) and the parsers of
// the time-keeping configuration (src/time_config).
#include "calibration/apply_check.h"

#include <doctest/doctest.h>

#include "src/hwclock/time_config.h"

using namespace rtcal;
using namespace rtcal::calibration;

TEST_CASE("apply_check: plausible corrections pass, implausible ones name the reason") {
  const DriftState ok{-2.0, 1795000000, 0.0, 1795000000};
  CHECK(apply_problem(ok, 1795400000, -9.3).empty());
  CHECK(apply_problem(DriftState{-90.0, 1795000000, 0, 0}, 1795400000, -1.0).find("beyond the plausible") !=
        std::string::npos);
  CHECK(apply_problem(DriftState{86.4, 1795000000, 0, 0}, 1795400000, 1.0).empty());
  CHECK(apply_problem(ok, 1794999000, 0.1).find("lies after the RTC's reading") != std::string::npos);
  CHECK(apply_problem(ok, 1794999998, 0.1).empty());  // within the slack
  CHECK(apply_problem(ok, 1795400000, -3600.0).find("an hour or more") != std::string::npos);
  CHECK(apply_problem(ok, 1795400000, 3599.0).empty());
}

TEST_CASE("time_config: servers and rtcsync from chrony, ntpd and timesyncd texts") {
  const char* chrony =
      "# Use Debian vendor zone.\npool 2.debian.pool.ntp.org iburst\nserver 127.0.0.1 port 11123\n"
      "#rtcsync\nmakestep 1 3\n";
  CHECK(ntp_conf_servers(chrony) == std::vector<std::string>{"2.debian.pool.ntp.org", "127.0.0.1"});
  CHECK_FALSE(chrony_conf_has_rtcsync(chrony));
  CHECK(chrony_conf_has_rtcsync("driftfile /var/lib/chrony/drift\n  rtcsync # keep the RTC\n"));
  CHECK(timesyncd_conf_servers("[Time]\n#NTP=\nFallbackNTP=a.example b.example\nNTP=time.example\n") ==
        std::vector<std::string>{"time.example", "a.example", "b.example"});
}

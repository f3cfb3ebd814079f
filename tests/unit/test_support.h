// What the unit tests share: the instants every file means by "start" and
// "November 1st", the seed of the property tests, and a TZ set for one test.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <random>
#include <string>

#include <doctest/doctest.h>

namespace rtcal::test_support {

inline constexpr int64_t kStart_s = 1795427168;  // 2026-11-23 09:46:08 UTC
inline constexpr double kNov1 = 1793491200;      // 2026-11-01 00:00:00 UTC
inline constexpr double kHour = 3600;
inline constexpr double kDay = 86400;

// A random seed for a property test, or RTCAL_SEED=<n> to replay a failure;
// the test's output names it either way.
inline unsigned test_seed() {
  const char* given = std::getenv("RTCAL_SEED");
  const unsigned seed = given ? static_cast<unsigned>(std::strtoul(given, nullptr, 10)) : std::random_device{}();
  MESSAGE("seed " << seed << " (replay with RTCAL_SEED=" << seed << ")");
  return seed;
}

// Sets TZ for one test and restores the previous value (or its absence).
class ScopedTz {
 public:
  explicit ScopedTz(const char* zone) {
    if (const char* old = std::getenv("TZ")) saved_ = old;
    setenv("TZ", zone, 1);
    tzset();
  }
  ~ScopedTz() {
    if (saved_) {
      setenv("TZ", saved_->c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }
  ScopedTz(const ScopedTz&) = delete;
  ScopedTz& operator=(const ScopedTz&) = delete;

 private:
  std::optional<std::string> saved_;
};

}  // namespace rtcal::test_support

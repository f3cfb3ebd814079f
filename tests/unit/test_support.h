// What the unit tests share: the instants every file means by "start" and
// "November 1st", and the seed of the property tests.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <random>

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

}  // namespace rtcal::test_support

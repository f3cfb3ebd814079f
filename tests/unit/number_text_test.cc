// Numbers as text for people (src/number_text): fixed decimals, an optional
// plus, and no "-0.000" for a value that rounds to zero.
#include "base/number_text.h"

#include <doctest/doctest.h>

using rtcal::fixed;

TEST_CASE("number text: fixed decimals, rounded, in the C locale") {
  CHECK(fixed(12.4, 3) == "12.400");
  CHECK(fixed(-3.45591, 2) == "-3.46");
  CHECK(fixed(0.0000006) == "0.000001");
  CHECK(fixed(1e6, 0) == "1000000");
}

TEST_CASE("number text: a plus on request, never on a negative value") {
  CHECK(fixed(0.25, 2, true) == "+0.25");
  CHECK(fixed(-0.25, 2, true) == "-0.25");
  CHECK(fixed(0.0, 1, true) == "+0.0");
}

TEST_CASE("number text: a value that rounds to zero shows no minus") {
  CHECK(fixed(-0.0001, 3) == "0.000");
  CHECK(fixed(-0.0, 2) == "0.00");
  CHECK(fixed(-0.0001, 3, true) == "+0.000");
  CHECK(fixed(-0.4, 0) == "0");
  CHECK(fixed(-0.6, 0) == "-1");
}

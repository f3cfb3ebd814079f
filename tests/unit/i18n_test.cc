// Messages in the user's language (src/i18n): the numbered placeholders that
// let a translation reorder its parts, and English when rtcal has not chosen
// a language (the unit tests, drop-in mode).
#include "src/cli/i18n.h"

#include <doctest/doctest.h>

using rtcal::i18n::format;

TEST_CASE("i18n: placeholders are filled by number, in any order") {
  CHECK(format("Measurement {1} of {2}.", 1, 3) == "Measurement 1 of 3.");
  CHECK(format("측정 {2}번 중 {1}번째.", 1, 3) == "측정 3번 중 1번째.");
  CHECK(format("{1}: {1}", std::string("x")) == "x: x");
  CHECK(format("{2}{1}", "a", std::string_view("b")) == "ba");
  CHECK(format("size {1}", static_cast<size_t>(42)) == "size 42");
  CHECK(format("{1} s", -7) == "-7 s");
}

TEST_CASE("i18n: what is not a known placeholder stays as it is") {
  CHECK(format("{3} and {1}", "a") == "{3} and a");  // no third argument
  CHECK(format("{0} {x} {12}", "a") == "{0} {x} {12}");  // one digit only
  CHECK(format("{{1}} is {1}", "it") == "{1}} is it");  // "{{" is a literal '{'
  CHECK(format("no placeholders") == "no placeholders");
  CHECK(format("{1", "a") == "{1");
}

TEST_CASE("i18n: without init() every message is its English msgid") {
  CHECK(std::string(_("Options")) == "Options");
  CHECK(std::string(rtcal::i18n::plural("{1} reset", "{1} resets", 1)) == "{1} reset");
  CHECK(std::string(rtcal::i18n::plural("{1} reset", "{1} resets", 2)) == "{1} resets");
  CHECK(std::string(N_("marked only")) == "marked only");
}

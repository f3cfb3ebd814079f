// rtcal: keep the hardware clock right. Everything happens in run_cli().
#include <iostream>
#include <string_view>

#include "src/cli/cli.h"
#include "src/cli/dropin.h"
#include "src/cli/i18n.h"

namespace {

// Messages in the user's language (src/cli/i18n.h), but not for machines: the
// hwclock/clock drop-in (boot scripts parse it) and `rtcal completion` (the
// scripts are generated once, at build time, for every user) speak English.
bool for_a_person(int argc, char** argv) {
  if (argc < 1 || rtcal::is_dropin_name(argv[0])) return false;
  for (int i = 1; i < argc; ++i) {
    if (argv[i][0] != '-') return std::string_view(argv[i]) != "completion";
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (for_a_person(argc, argv)) rtcal::i18n::init();
  return rtcal::run_cli(argc, argv, std::cout, std::cerr);
}

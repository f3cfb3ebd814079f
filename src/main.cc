// rtcal: keep the hardware clock right. Everything happens in run_cli().
#include <iostream>

#include "src/cli.h"

int main(int argc, char** argv) { return rtcal::run_cli(argc, argv, std::cout, std::cerr); }

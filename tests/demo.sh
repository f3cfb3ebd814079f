#!/usr/bin/env bash
# rtcal's main job out of the box: install what is missing (Debian 12), build,
# then show what rtcal sees of the hardware clock.
#  - On a machine with an RTC (/dev/rtc0): read-only: `rtcal status` and
#    `rtcal show` (the RTC, drift-corrected, and its sub-second offset from the
#    system clock). Nothing is changed.
#  - On a machine without one (containers, CI): boot the QEMU lab — a real
#    Linux kernel with its real rtc_cmos driver over an emulated MC146818 — and
#    run the main job there: status, show, systohc (set the RTC on its edge),
#    show, status. This machine's own clock is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target rtcal >/dev/null
if [ -e /dev/rtc0 ] || [ -e /dev/rtc ]; then
  echo "== This machine has an RTC: showing it, read-only."
  build/rtcal status
  build/rtcal show
  exit
fi
echo "== No RTC here: running rtcal's main job in the QEMU lab (a real kernel RTC driver)."
echo "== First run: fetching the Debian kernel and building a static rtcal takes a few minutes."
RTCAL_BUILD_DIR=$PWD/build bash tests/lab/lab.sh prepare >/dev/null
RTCAL_BUILD_DIR=$PWD/build bash tests/lab/lab.sh run tests/lab/scenarios/demo.sh |
  grep -E '^(\$ |  \| |LAB-)' | sed 's/^  | /    /'

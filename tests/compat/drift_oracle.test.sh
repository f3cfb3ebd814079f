#!/usr/bin/env bash
# Compatibility: the adjtime files rtcal writes while calibrating (systohc,
# drift --write, apply, adjust) are right for util-linux hwclock too. The
# scenarios of tests/cli/drift_exact.test.sh run with util-linux hwclock as
# the oracle: at each boot the drift hwclock would add at the RTC's reading
# (from `hwclock --predict --date READING`, which evaluates the drift at the
# date given) must bring the reading within 1 ms of the true time.
. "$(dirname "$0")/../lib.sh"
hwclock=$(command -v hwclock || echo /usr/sbin/hwclock)
[ -x "$hwclock" ] || skip "util-linux hwclock not installed (Debian package util-linux-extra)"
"$hwclock" --version | grep -q "util-linux" || skip "$hwclock is not util-linux's"
HWCLOCK_ORACLE=$hwclock RTCAL_CASES=${RTCAL_CASES:-6} bash "$RTCAL_SOURCE_DIR/tests/cli/drift_exact.test.sh"

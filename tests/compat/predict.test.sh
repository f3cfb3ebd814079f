#!/usr/bin/env bash
# Compatibility: rtcal predict agrees with util-linux hwclock --predict to the
# microsecond on random well-formed adjtime files (200 cases, several zones),
# and adjtime files written by rtcal read back by hwclock with the same meaning.
. "$(dirname "$0")/../lib.sh"
hwclock=$(command -v hwclock || echo /usr/sbin/hwclock)
[ -x "$hwclock" ] || skip "util-linux hwclock not installed (Debian package util-linux-extra)"
"$hwclock" --version | grep -q "util-linux" || skip "$hwclock is not util-linux's"
python3 "$RTCAL_SOURCE_DIR/tests/compat/predict_oracle.py" "$RTCAL" "$hwclock" "$T" \
  "${RTCAL_ORACLE_CASES:-200}" ${RTCAL_ORACLE_SEED:-}

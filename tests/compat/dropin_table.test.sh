#!/usr/bin/env bash
# Drop-in table: util-linux hwclock 2.38.1 and rtcal as `hwclock` on good and
# damaged adjtime files (NUL-filled, `utc`, CRLF, junk, long lines, ...) x
# command lines that never touch this machine's clocks (--predict, -r/--get
# with no RTC here, usage errors): exit codes, adjtime bytes after, hwclock's
# warnings, verbose adjtime lines and predicted times must agree, and with
# -v/--test all of hwclock's verbose lines (numbers masked). The RTC
# parts run in the lab (tests/lab/scenarios/compat.sh).
. "$(dirname "$0")/../lib.sh"
hwclock=$(command -v hwclock || echo /usr/sbin/hwclock)
[ -x "$hwclock" ] || skip "util-linux hwclock not installed (Debian package util-linux-extra)"
"$hwclock" --version | grep -q "util-linux 2.38" || skip "$hwclock is not util-linux 2.38"
ls /dev/rtc* >/dev/null 2>&1 && skip "this machine has an RTC: the no-RTC rows would read it"
python3 "$RTCAL_SOURCE_DIR/tests/compat/dropin_table.py" "$RTCAL" "$hwclock" "$T"

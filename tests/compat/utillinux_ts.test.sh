#!/usr/bin/env bash
# util-linux's own hwclock tests (tests/ts/hwclock/* of util-linux 2.38.1,
# from Debian's source package, which tests/install-deps.sh caches under
# /var/cache/rtcal-tests) with rtcal as the hwclock binary, on the simulated
# RTC and system clock (RTCAL_RTC, RTCAL_ADJFILE, RTCAL_LOG point drop-in
# mode at a sim world, so this machine's clocks are never touched).
#
# 2.38.1 has one: ts/hwclock/systohc. It needs root, bc and an SNTP client
# and server: it measures the system clock's offset with `sntp`, runs
# `hwclock --show`, then 10 rounds of `--systohc` and `--hctosys`, and
# fails when the offset moved by 1 s or more. Here its `sntp` tells the
# simulated system clock's offset from true time (what sntp measures against
# a perfect server) and its `dig` answers 127.0.0.1: no network is used.
# The test must report OK (a SKIP fails here, unless this is not root);
# rtcal is then held to its own target too: the offset moved by under 2 ms.
. "$(dirname "$0")/../lib.sh"
command -v jq >/dev/null || skip "jq is needed to read the sim"
command -v bc >/dev/null || skip "bc is needed by util-linux's test harness"
[ "$(id -u)" = 0 ] || skip "util-linux's hwclock test runs as root only (ts_skip_nonroot)"
cache=${RTCAL_TEST_CACHE:-/var/cache/rtcal-tests}
orig=$(ls "$cache"/util-linux_2.38.1.orig.tar.xz 2>/dev/null | head -n 1)
[ -n "$orig" ] || skip "util-linux's source is not in $cache (tests/install-deps.sh fetches it with apt-get source)"

tar -xJf "$orig" -C "$T" --wildcards '*/tests/*' || fail "cannot unpack util-linux's tests from $orig"
top=$(ls -d "$T"/util-linux-*/tests)
tests=("$top"/ts/hwclock/*)
[ "${#tests[@]}" -ge 1 ] && [ -f "${tests[0]}" ] || fail "no ts/hwclock tests in $orig"

# The "build tree" the harness takes commands from: hwclock is rtcal.
bin=$T/ulbuild
mkdir -p "$bin"
ln -s "$(readlink -f "$RTCAL")" "$bin/hwclock"
W=$T/world.json
cat >"$bin/sntp" <<EOF
#!/bin/sh
# sntp's line for the simulated system clock: the offset to add to it (true - system).
e=\$("$RTCAL" sim show "$W" --json | jq -r .system_error_s) || exit 1
printf '%s (+0000) %+.6f +/- 0.000010 127.0.0.1 s1 no-leap\n' "\$(date -u '+%Y-%m-%d %H:%M:%S.000000')" "\$(echo "0 - \$e" | bc -l)"
EOF
printf '#!/bin/sh\necho 127.0.0.1\n' >"$bin/dig"
chmod +x "$bin/sntp" "$bin/dig"

export RTCAL_RTC=sim:$W RTCAL_ADJFILE=$T/adjtime RTCAL_LOG=$T/log.jsonl
unset TRAVIS_DIST GITHUB_ACTIONS
# The RTC 3.7 s slow and gaining 40 ppm, the system clock 12.345 ms ahead.
expect_code 0 "$RTCAL" sim init "$W" --at 1795427168.25 --offset -3.7 --rate-ppm 40 --system-error 0.012345
for t in "${tests[@]}"; do
  name=hwclock/$(basename "$t")
  before=$(jq -r .system_error_s < <("$RTCAL" sim show "$W" --json))
  out=$(cd "$top" && PATH="$bin:$PATH" bash "$t" --nolocks --builddir="$bin" --srcdir="$top/.." 2>&1) ||
    { echo "$out"; fail "util-linux's $name failed with rtcal as hwclock"; }
  echo "$out"
  grep -q ' OK' <<<"$out" || { cat "$bin"/tests/output/hwclock/* 2>/dev/null; fail "util-linux's $name did not pass: $out"; }
  after=$(jq -r .system_error_s < <("$RTCAL" sim show "$W" --json))
  awk -v a="$before" -v b="$after" 'BEGIN { d = a - b; exit !(d < 0.002 && d > -0.002) }' ||
    fail "$name: the system clock's offset moved from $before to $after s (rtcal's target: under 2 ms)"
  echo "ok: util-linux's $name with rtcal as hwclock (system clock error $before -> $after s)"
done

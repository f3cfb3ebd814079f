#!/usr/bin/env bash
# Lab: util-linux 2.38.1's own hwclock tests (tests/ts/hwclock/*, from
# Debian's source package, which tests/install-deps.sh caches under
# /var/cache/rtcal-tests) with rtcal as hwclock, in the guest on the real
# rtc_cmos, against a real chronyd (-x, its clock right) on this machine's
# loopback, reached as 10.0.2.2 (see scenarios/utillinux_ts.sh). The guest
# gets the harness, and bash, bc and coreutils' sort with their libraries,
# through lab.sh --file. compat.utillinux_ts runs the same on the sim.
# LAB_UL_ROUNDS=N (lab.utillinux_ts_smoke: 2) trims the test's 10 rounds of
# --systohc and --hctosys to N in the guest's copy.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lab-lib.sh"
cache=${RTCAL_TEST_CACHE:-/var/cache/rtcal-tests}
orig=$(ls "$cache"/util-linux_2.38.1.orig.tar.xz 2>/dev/null | head -n 1)
[ -n "$orig" ] || skip "util-linux's source is not in $cache (tests/install-deps.sh fetches it with apt-get source)"
for prog in bash bc sort; do command -v $prog >/dev/null || skip "$prog is missing on this machine"; done
. "$RTCAL_SOURCE_DIR/tests/ntp/chronyd_lib.sh"

tar -xJf "$orig" -C "$T" --wildcards '*/tests/functions.sh' '*/tests/commands.sh' '*/tests/ts/hwclock/*' ||
  fail "cannot unpack util-linux's test harness from $orig"
top=$(ls -d "$T"/util-linux-*/tests)
files=()
while IFS= read -r f; do files+=(--file "$f:/ul/tests/${f#"$top"/}"); done < <(find "$top" -type f)
[ "${#files[@]}" -ge 6 ] || fail "no ts/hwclock tests in $orig"
for prog in bash bc sort; do
  path=$(readlink -f "$(command -v $prog)")
  files+=(--file "$path:/ul/bin/$prog")
  for lib in $(ldd "$path" | grep -oE '/[^ ]+' | sort -u); do
    case " ${files[*]} " in *":$lib "*) ;; *) files+=(--file "$(readlink -f "$lib"):$lib") ;; esac
  done
done
start_chronyd 0
export LAB_BOOT_TIMEOUT_S=${LAB_BOOT_TIMEOUT_S:-300}
lab_boot --net --base "$(date -u +%Y-%m-%dT%H:%M:%S)" --env "LAB_NTP_PORT=$CPORT" --env "LAB_UL_ROUNDS=${LAB_UL_ROUNDS:-}" "${files[@]}" \
  "$(lab_scenario utillinux_ts.sh)"

#!/usr/bin/env bash
# The Debian package: CPack builds it from this build tree; dpkg installs it
# into a throwaway root whose package database is a copy of this system's
# (so its Depends, from dpkg-shlibdeps, must be satisfied by Debian 12), the
# installed rtcal answers --version and predicts from an adjtime file, the
# man page renders, the files under /etc are conffiles; then dpkg purges it
# and nothing of it is left.
. "$(dirname "$0")/../lib.sh"

for tool in cpack dpkg dpkg-deb dpkg-shlibdeps man; do
  command -v "$tool" >/dev/null || skip "$tool is not installed"
done
[ -f "$RTCAL_BUILD_DIR/CPackConfig.cmake" ] || fail "no CPackConfig.cmake in $RTCAL_BUILD_DIR"

start_s=$SECONDS
cpack -G DEB --config "$RTCAL_BUILD_DIR/CPackConfig.cmake" -B "$T/pkg" >"$T/cpack.log" 2>&1 \
  || { cat "$T/cpack.log"; fail "cpack could not build the .deb"; }
deb=$(ls "$T"/pkg/rtcal_*.deb)
echo "built $(basename "$deb") in $((SECONDS - start_s)) s"

# --- the control file -------------------------------------------------------------
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = rtcal ] || fail "Package: $(field Package)"
[ "$(field Section)" = admin ] || fail "Section: $(field Section)"
[ -n "$(field Maintainer)" ] || fail "no Maintainer"
field Depends | grep -q 'libc6' || fail "Depends lacks libc6 (dpkg-shlibdeps): $(field Depends)"
field Depends | grep -q 'libstdc++6' || fail "Depends lacks libstdc++6 (dpkg-shlibdeps): $(field Depends)"
version=$(field Version)

# --- install into a throwaway root ---------------------------------------------------
root="$T/root"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers"
# The root's package database: this system's records of the packages the .deb
# depends on, so dpkg checks its Depends against what Debian 12 has here.
: >"$root/var/lib/dpkg/status"
: >"$root/var/lib/dpkg/available"
for dep in $(field Depends | tr ',|' '\n\n' | sed 's/(.*)//; s/ //g' | sort -u); do
  dpkg-query -s "$dep" >>"$root/var/lib/dpkg/status" 2>/dev/null || fail "dependency $dep is not installed here"
  echo >>"$root/var/lib/dpkg/status"
  : >"$root/var/lib/dpkg/info/$(dpkg-query -W -f='${binary:Package}' "$dep").list"
done
dpkg_root() { dpkg --root="$root" --force-not-root --force-script-chrootless --log=/dev/null "$@"; }
dpkg_root -i "$deb" >"$T/dpkg.log" 2>&1 || { head -20 "$T/dpkg.log"; fail "dpkg -i into $root failed"; }
grep -i 'warning' "$T/dpkg.log" | head -5 | grep . && fail "dpkg -i warned (above)"
status=$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Status} ${Version}' rtcal)
[ "$status" = "install ok installed $version" ] || fail "dpkg-query: $status"

for f in usr/sbin/rtcal usr/share/man/man8/rtcal.8.gz usr/share/bash-completion/completions/rtcal \
         usr/share/zsh/vendor-completions/_rtcal usr/share/doc/rtcal/copyright usr/share/doc/rtcal/changelog.gz; do
  [ -f "$root/$f" ] || fail "the package did not install /$f"
done
[ -d "$root/var/lib/rtcal" ] || fail "the package did not create /var/lib/rtcal"
# Every file the package puts under /etc is a conffile.
etc_files=$(dpkg-deb -c "$deb" | awk '$6 ~ /^\.\/etc\/.*[^\/]$/ {print substr($6, 2)}' | sort)
conffiles=$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Conffiles}\n' rtcal | awk 'NF {print $1}' | sort)
[ "$etc_files" = "$conffiles" ] || fail "files under /etc [$etc_files] are not the conffiles [$conffiles]"

# --- the installed rtcal works ----------------------------------------------------------
rtcal="$root/usr/sbin/rtcal"
expect_code 0 "$rtcal" --version
head -1 "$T/out" | grep -qx "rtcal $version" || fail "--version: $(head -1 "$T/out") (package $version)"
expect_contains "git commit:" "$T/out"
printf -- '-9.600000 1795427168 0.000000\n1795427168\nUTC\n' >"$T/adjtime"
expect_code 0 "$rtcal" --json predict --adjfile "$T/adjtime" --date @1796291168  # 10 days later
near "$(json_get drift)" -96 1e-9 "predict: drift after 10 days at -9.6 s/day"
near "$(json_get predicted_rtc)" 1796291264 1e-6 "predict: the RTC's reading"
warnings=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l "$root/usr/share/man/man8/rtcal.8.gz" 2>&1 >/dev/null)
[ -z "$warnings" ] || fail "the installed man page: $warnings"

# --- and leaves nothing behind ---------------------------------------------------------
dpkg_root -P rtcal >"$T/dpkg.log" 2>&1 || { head -20 "$T/dpkg.log"; fail "dpkg -P rtcal failed"; }
left=$(cd "$root" && find . -path ./var/lib/dpkg -prune -o ! -type d -print)
[ -z "$left" ] || fail "files left after purge: $left"
echo "package: $(basename "$deb") ($(field Depends)) installs, works, purges cleanly in $((SECONDS - start_s)) s"

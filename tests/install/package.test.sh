#!/usr/bin/env bash
# The Debian packages: CPack builds rtcal and rtcal-hwclock from this build
# tree; lintian finds no error and no warning in either; dpkg installs them
# into a throwaway root whose package database is a copy of this system's
# (so the Depends, from dpkg-shlibdeps, must be satisfied by Debian 12) and
# holds util-linux-extra's hwclock. The maintainer scripts register the boot
# units and the rc script in that root (and touch nothing of this system's),
# rtcal-hwclock diverts util-linux's hwclock and man page and gives them back
# when removed; the installed rtcal answers --version and predicts from an
# adjtime file, the man page renders, the files under /etc are conffiles;
# then dpkg purges both and nothing of them is left.
. "$(dirname "$0")/../lib.sh"

for tool in cpack dpkg dpkg-deb dpkg-shlibdeps dpkg-divert deb-systemd-helper update-rc.d lintian man; do
  command -v "$tool" >/dev/null || skip "$tool is not installed"
done
[ -f "$RTCAL_BUILD_DIR/CPackConfig.cmake" ] || fail "no CPackConfig.cmake in $RTCAL_BUILD_DIR"

start_s=$SECONDS
cpack -G DEB --config "$RTCAL_BUILD_DIR/CPackConfig.cmake" -B "$T/pkg" >"$T/cpack.log" 2>&1 \
  || { cat "$T/cpack.log"; fail "cpack could not build the .deb"; }
deb=$(ls "$T"/pkg/rtcal_*.deb)
hwdeb=$(ls "$T"/pkg/rtcal-hwclock_*.deb)
echo "built $(basename "$deb") and $(basename "$hwdeb") in $((SECONDS - start_s)) s"

# --- lintian: no error, no warning ----------------------------------------------------
lintian --no-tag-display-limit "$deb" "$hwdeb" >"$T/lintian" 2>&1 || true
grep -v 'running with root privileges' "$T/lintian" | grep -E '^(E|W):' && fail "lintian (above)"
echo "lintian: 0 errors, 0 warnings"

# --- the control file -------------------------------------------------------------
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = rtcal ] || fail "Package: $(field Package)"
[ "$(field Section)" = admin ] || fail "Section: $(field Section)"
[ -n "$(field Maintainer)" ] || fail "no Maintainer"
field Depends | grep -q 'libc6' || fail "Depends lacks libc6 (dpkg-shlibdeps): $(field Depends)"
field Depends | grep -q 'libstdc++6' || fail "Depends lacks libstdc++6 (dpkg-shlibdeps): $(field Depends)"
version=$(field Version)
[ "$(dpkg-deb -f "$hwdeb" Depends)" = "rtcal (= $version)" ] || fail "rtcal-hwclock Depends: $(dpkg-deb -f "$hwdeb" Depends)"

# --- install into a throwaway root ---------------------------------------------------
root="$T/root"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers"
# The root's package database: this system's records of the packages the .deb
# depends on, so dpkg checks its Depends against what Debian 12 has here.
: >"$root/var/lib/dpkg/status"
: >"$root/var/lib/dpkg/available"
for dep in $(field Depends | tr ',|' '\n\n' | sed 's/(.*)//; s/ //g' | sort -u) util-linux-extra; do
  dpkg-query -s "$dep" >>"$root/var/lib/dpkg/status" 2>/dev/null || fail "dependency $dep is not installed here"
  echo >>"$root/var/lib/dpkg/status"
  : >"$root/var/lib/dpkg/info/$(dpkg-query -W -f='${binary:Package}' "$dep").list"
done
# util-linux-extra's hwclock and man page, as dpkg knows them, for the diversion.
mkdir -p "$root/sbin" "$root/usr/share/man/man8"
cp /sbin/hwclock "$root/sbin/hwclock"
cp /usr/share/man/man8/hwclock.8.gz "$root/usr/share/man/man8/hwclock.8.gz"
printf '/sbin\n/sbin/hwclock\n/usr/share/man/man8/hwclock.8.gz\n' >"$root/var/lib/dpkg/info/util-linux-extra.list"
# The maintainer scripts run here (chrootless) with DPKG_ROOT: this system's
# registrations must not change.
host_state() { ls -la /etc/rc?.d /etc/systemd/system /etc/systemd/system/*.wants /var/lib/systemd/deb-systemd-helper-enabled 2>/dev/null | md5sum; }
host_before=$(host_state)
dpkg_root() { dpkg --root="$root" --force-not-root --force-script-chrootless --log=/dev/null "$@"; }
dpkg_root -i "$deb" "$hwdeb" >"$T/dpkg.log" 2>&1 || { head -20 "$T/dpkg.log"; fail "dpkg -i into $root failed"; }
grep -i 'warning' "$T/dpkg.log" | head -5 | grep . && fail "dpkg -i warned (above)"
for pkg in rtcal rtcal-hwclock; do
  status=$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Status} ${Version}' "$pkg")
  [ "$status" = "install ok installed $version" ] || fail "dpkg-query $pkg: $status"
done

# --- registered, not started -------------------------------------------------------------
units=$(cd "$RTCAL_SOURCE_DIR/dist/systemd" && ls)
for unit in $units; do
  wanted_by=$(sed -n 's/^WantedBy=//p' "$RTCAL_SOURCE_DIR/dist/systemd/$unit")
  for target in $wanted_by; do
    [ "$(readlink "$root/etc/systemd/system/$target.wants/$unit")" = "/lib/systemd/system/$unit" ] \
      || [ "$(readlink "$root/etc/systemd/system/$target.wants/$unit")" = "/usr/lib/systemd/system/$unit" ] \
      || fail "postinst did not enable $unit ($target.wants: $(ls -l "$root/etc/systemd/system/$target.wants" 2>&1))"
  done
done
[ "$(readlink "$root/usr/lib/systemd/system/rtcal.service")" = rtcal-apply.service ] \
  || fail "no rtcal.service alias for the rc script's name"
ls "$root"/etc/rcS.d/S??rtcal >/dev/null 2>&1 || fail "postinst did not register /etc/init.d/rtcal (rcS.d: $(ls "$root/etc/rcS.d" 2>&1))"
[ "$(host_state)" = "$host_before" ] || fail "the maintainer scripts changed this system's boot registrations"

# --- rtcal-hwclock: the drop-in names over a diverted util-linux hwclock -------------------
for link in hwclock clock; do
  [ "$(readlink "$root/sbin/$link")" = /usr/sbin/rtcal ] || fail "/sbin/$link: $(ls -l "$root/sbin/$link" 2>&1)"
  [ "$(readlink "$root/usr/share/man/man8/$link.8.gz")" = rtcal.8.gz ] || fail "man8/$link.8.gz is not rtcal's"
done
cmp -s "$root/sbin/hwclock.util-linux" /sbin/hwclock || fail "util-linux's hwclock was not diverted to /sbin/hwclock.util-linux"
dpkg-divert --admindir "$root/var/lib/dpkg" --list 'rtcal-hwclock' >"$T/diversions"
[ "$(grep -c 'by rtcal-hwclock' "$T/diversions")" = 2 ] || fail "diversions: $(cat "$T/diversions")"
RTCAL_RTC="sim:$T/hw.json" expect_code 0 "$root/usr/sbin/rtcal" sim init "$T/hw.json" --at 1795427168
printf -- '0.000000 0 0.000000\n0\nUTC\n' >"$T/hwadj"
# /sbin/hwclock is absolute: run the installed rtcal under the name hwclock.
ln -s "$root/usr/sbin/rtcal" "$T/hwclock"
TZ=UTC RTCAL_RTC="sim:$T/hw.json" RTCAL_ADJFILE="$T/hwadj" expect_code 0 "$T/hwclock" -r
grep -Eq '^2026-11-23 09:46:(0[789]|1[01])\.[0-9]{6}\+00:00$' "$T/out" || fail "hwclock -r from the package: $(cat "$T/out")"

for f in usr/sbin/rtcal usr/share/man/man8/rtcal.8.gz usr/share/bash-completion/completions/rtcal \
         usr/share/zsh/vendor-completions/_rtcal usr/share/doc/rtcal/copyright usr/share/doc/rtcal/changelog.gz; do
  [ -f "$root/$f" ] || fail "the package did not install /$f"
done
[ -d "$root/var/lib/rtcal" ] || fail "the package did not create /var/lib/rtcal"
# The catalogs, found beside the installed binary (<exe>/../share/locale), not in the build tree.
for lang in ko zh_CN; do
  [ -f "$root/usr/share/locale/$lang/LC_MESSAGES/rtcal.mo" ] || fail "the package did not install the $lang messages"
done
env -u RTCAL_LOCALEDIR LANGUAGE=ko "$root/usr/sbin/rtcal" --help >"$T/help.ko"
expect_contains "공통 옵션" "$T/help.ko"
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
dpkg_root -P rtcal-hwclock >"$T/dpkg.log" 2>&1 || { head -20 "$T/dpkg.log"; fail "dpkg -P rtcal-hwclock failed"; }
cmp -s "$root/sbin/hwclock" /sbin/hwclock || fail "removing rtcal-hwclock did not give util-linux its /sbin/hwclock back"
cmp -s "$root/usr/share/man/man8/hwclock.8.gz" /usr/share/man/man8/hwclock.8.gz || fail "util-linux's hwclock.8.gz was not given back"
[ -z "$(dpkg-divert --admindir "$root/var/lib/dpkg" --list 'rtcal-hwclock')" ] || fail "diversions left after removal"
dpkg_root -P rtcal >"$T/dpkg.log" 2>&1 || { head -20 "$T/dpkg.log"; fail "dpkg -P rtcal failed"; }
left=$(cd "$root" && find . -path ./var/lib/dpkg -prune -o ! -type d -print | grep -v -x -e ./sbin/hwclock -e ./usr/share/man/man8/hwclock.8.gz || true)
[ -z "$left" ] || fail "files left after purge: $left"
[ "$(host_state)" = "$host_before" ] || fail "purging changed this system's boot registrations"
echo "package: $(basename "$deb") ($(field Depends)) and $(basename "$hwdeb") install, register $(echo $units) and the rc script, divert and give back hwclock, purge cleanly in $((SECONDS - start_s)) s"

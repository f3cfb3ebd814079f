#!/usr/bin/env bash
# `cmake --install` with DESTDIR and a prefix puts exactly the expected files
# in their usual places; RTCAL_INSTALL_COMPAT_LINKS adds hwclock and clock
# links that run rtcal in drop-in mode; the boot files from dist/ are
# installed when the source tree has them.
. "$(dirname "$0")/../lib.sh"

command -v cmake >/dev/null || skip "cmake is not installed"
src=$RTCAL_SOURCE_DIR
# install PREFIX DESTDIR [-DVAR=VALUE...]: run the build's install script.
install_to() {
  local prefix=$1 dest=$2; shift 2
  DESTDIR=$dest cmake -DCMAKE_INSTALL_PREFIX="$prefix" "$@" -P "$RTCAL_BUILD_DIR/cmake_install.cmake" >"$T/install.log" 2>&1 \
    || { cat "$T/install.log"; fail "cmake --install to $dest$prefix failed"; }
}
# tree DIR: every file, link and directory under DIR, relative.
tree() { (cd "$1" && find . -mindepth 1 | sed 's|^\./||' | sort); }

# --- prefix /usr: /etc for the rc script --------------------------------------------
install_to /usr "$T/d1"
expected="usr/sbin/rtcal
usr/share/man/man8/rtcal.8.gz
usr/share/bash-completion/completions/rtcal
usr/share/zsh/vendor-completions/_rtcal
usr/share/doc/rtcal/changelog.gz
usr/share/doc/rtcal/copyright
var/lib/rtcal"
for unit in "$src"/dist/systemd/*.service "$src"/dist/systemd/*.timer; do
  [ -f "$unit" ] && expected+=$'\n'"usr/lib/systemd/system/$(basename "$unit")"
done
[ -f "$src/dist/init.d/rtcal" ] && expected+=$'\n'"etc/init.d/rtcal"
for po in "$src"/po/*.po; do  # the message catalogs (cmake/Translations.cmake)
  expected+=$'\n'"usr/share/locale/$(basename "$po" .po)/LC_MESSAGES/rtcal.mo"
done
# Beside the rc script, rtcal.service names rtcal-apply.service for systemd.
[ -f "$src/dist/init.d/rtcal" ] && [ -f "$src/dist/systemd/rtcal-apply.service" ] \
  && expected+=$'\n'"usr/lib/systemd/system/rtcal.service"
got_files=$(cd "$T/d1" && find . ! -type d -o -type d -empty | sed 's|^\./||' | sort)
[ "$got_files" = "$(sort <<<"$expected")" ] || fail "install tree (prefix /usr):
$(diff <(sort <<<"$expected") <(echo "$got_files"))"
[ -x "$T/d1/usr/sbin/rtcal" ] || fail "usr/sbin/rtcal is not executable"
[ ! -f "$src/dist/init.d/rtcal" ] || [ -x "$T/d1/etc/init.d/rtcal" ] || fail "etc/init.d/rtcal is not executable"
[ ! -e "$T/d1/usr/sbin/hwclock" ] || fail "hwclock link installed although RTCAL_INSTALL_COMPAT_LINKS is off"
[ ! -e "$T/d1/sbin" ] || fail "cmake --install put rtcal-hwclock's /sbin links (only its package has them)"
gzip -t "$T/d1/usr/share/man/man8/rtcal.8.gz" || fail "rtcal.8.gz is not gzip"
cmp -s <(gzip -dc "$T/d1/usr/share/man/man8/rtcal.8.gz") "$src/man/rtcal.8" || fail "installed man page differs from man/rtcal.8"
"$T/d1/usr/sbin/rtcal" --version | head -1 | grep -q '^rtcal ' || fail "the installed rtcal does not run"

# --- prefix /usr/local with the compatibility links ------------------------------------
install_to /usr/local "$T/d2" -DRTCAL_INSTALL_COMPAT_LINKS=ON
for link in hwclock clock; do
  [ "$(readlink "$T/d2/usr/local/sbin/$link")" = rtcal ] || fail "usr/local/sbin/$link is not a link to rtcal"
  expect_code 0 "$T/d2/usr/local/sbin/$link" --version
  expect_contains "$link from rtcal" "$T/out"
done
[ -f "$T/d2/usr/local/share/man/man8/rtcal.8.gz" ] || fail "prefix /usr/local: no man page"
[ ! -f "$src/dist/init.d/rtcal" ] || [ -x "$T/d2/usr/local/etc/init.d/rtcal" ] || fail "prefix /usr/local: rc script not in usr/local/etc/init.d"
[ -d "$T/d2/var/lib/rtcal" ] || fail "no /var/lib/rtcal (the log's directory is absolute)"
# The drop-in link works on a sim RTC.
expect_code 0 "$RTCAL" sim init "$T/w.json" --at 1795427168 --offset 2
printf -- '0.000000 0 0.000000\n0\nUTC\n' >"$T/adjtime"
TZ=UTC RTCAL_RTC="sim:$T/w.json" RTCAL_ADJFILE="$T/adjtime" expect_code 0 "$T/d2/usr/local/sbin/hwclock" -r
grep -Eq '^2026-11-23 09:46:(09|1[01])\.[0-9]{6}\+00:00$' "$T/out" || fail "hwclock -r through the link: $(cat "$T/out")"
echo "install: $(wc -l <<<"$expected") entries under /usr; links hwclock and clock run drop-in mode under /usr/local"
echo "$(tree "$T/d1")"

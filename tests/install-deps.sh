#!/usr/bin/env bash
# Install what rtcal's build and test suite need on Debian 12, from Debian's
# packages only. Installs only what is missing; needs root (or sudo).
set -euo pipefail

packages=(
  build-essential cmake pkg-config         # the build
  libcli11-dev nlohmann-json3-dev doctest-dev  # the libraries
  util-linux-extra                          # util-linux hwclock: the compatibility oracle
  chrony faketime                           # a real NTP server on loopback
  clang libclang-rt-14-dev                  # libFuzzer targets (tests/fuzz)
  ccache                                    # faster rebuilds of the three build dirs
  ntpsec-ntpdig                             # a peer SNTP client for the ntp benchmark
  qemu-system-x86 busybox-static cpio       # the QEMU lab: a real kernel RTC driver
  tmux                                      # a real terminal for the interactive flow
  python3 jq                                # small test servers and relays; JSON in shell tests
  locales                                   # localedef: the state tests' comma-decimal locale
  gettext                                   # msgfmt, xgettext, msgmerge: the ko and zh_CN catalogs (po/)
  tzdata                                    # zones for the date parser tests (Europe/Berlin, America/New_York, ...)
  lintian                                   # the .deb's check (tests/install/package.test.sh)
  man-db groff-base zsh                     # the man page check; zsh completion driven on a pty
  bc dpkg-dev xz-utils                      # util-linux's own test harness (tests/compat/utillinux_ts.test.sh)
)

# The lab's own RTC module (tests/lab/module) builds against the headers of
# the lab's kernel: the package linux-image-cloud-amd64 depends on, as
# tests/lab/lab.sh derives it, with linux-headers- for linux-image-.
lab_kernel=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '/Depends: linux-image-/ {print $2; exit}' || true)
[ -n "$lab_kernel" ] && packages+=("${lab_kernel/linux-image-/linux-headers-}")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "install-deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  # chrony's package must not start a system chronyd that could touch the clock.
  echo exit 101 | $sudo tee /usr/sbin/policy-rc.d >/dev/null
  $sudo chmod +x /usr/sbin/policy-rc.d
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  $sudo rm -f /usr/sbin/policy-rc.d
fi

# util-linux's own tests (tests/ts/hwclock) come only in its source package:
# a deb-src entry derived from the machine's deb lines, then `apt-get source
# --download-only` into the cache tests/compat/utillinux_ts.test.sh reads.
cache=/var/cache/rtcal-tests
if ! ls "$cache"/util-linux_*.orig.tar.xz >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  src_list=/etc/apt/sources.list.d/rtcal-deb-src.sources
  if [ ! -e "$src_list" ] && [ -e /etc/apt/sources.list.d/debian.sources ]; then
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources | $sudo tee "$src_list" >/dev/null
  elif [ ! -e "$src_list" ] && [ -e /etc/apt/sources.list ]; then
    grep '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' | $sudo tee "${src_list%.sources}.list" >/dev/null
  fi
  $sudo apt-get update -qq
  $sudo mkdir -p "$cache"
  (cd "$cache" && $sudo apt-get source -qq --download-only util-linux) ||
    echo "install-deps: util-linux's source package could not be fetched: compat.utillinux_ts will skip" >&2
fi

# Korean and Chinese locales, to try rtcal's translations by hand (LANG=ko_KR.UTF-8;
# tests/i18n build their own with localedef and need none of this).
if [ -f /etc/locale.gen ] && command -v locale-gen >/dev/null && ! locale -a 2>/dev/null | grep -qix 'ko_KR.utf8'; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo sed -i -E 's/^# *((ko_KR|zh_CN)\.UTF-8 UTF-8)/\1/' /etc/locale.gen
  $sudo locale-gen >/dev/null
fi

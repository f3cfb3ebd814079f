#!/usr/bin/env bash
# The QEMU lab: a real Linux kernel with its real rtc_cmos driver over QEMU's
# emulated MC146818, so rtcal's drivers can set a real RTC without touching
# this machine's clock (all clock setting happens inside the guest).
#
#   tests/lab/lab.sh prepare
#       Fetch and cache everything under ${RTCAL_BUILD_DIR:-build}/lab: the
#       Debian cloud kernel and its virtio-net modules, busybox-static,
#       util-linux hwclock with its libraries, static rtcal, rtcal_lab_tool and
#       rtcal_lab_probe (linked from the build's objects: target
#       rtcal_lab_static), Debian's hwclock boot scripts and two zones, the
#       lab's own trim RTC module (tests/lab/module, against Debian's headers
#       for the same kernel); then the base initramfs.
#   tests/lab/lab.sh run [--base DATE] [--net] [--machine q35] [--cpu MODEL] [--env K=V]... [--file HOST:GUEST]... [--log FILE] SCENARIO.sh
#       Boot the guest with -rtc base=DATE (default 2021-03-04T05:06:07; past
#       2038-01-19 QEMU wraps it, so the guest sets such a date itself), run
#       SCENARIO.sh as root inside it, copy the serial console to stdout (and
#       FILE), and judge it: every "LAB-RESULT name ok|fail detail" line the
#       guest printed must say ok, there must be at least one, and the guest
#       must reach "LAB-DONE". Exit 0 pass, 1 fail, 77 the lab cannot run here.
#       Every boot's console is kept in $lab/logs/SCENARIO-DATE.log.
#       --net gives the guest virtio-net with QEMU user networking (the guest
#       calls lab_net_up; 10.0.2.2 is this machine's loopback); --env adds
#       K=V to the guest's /lab/env; --file puts the file HOST at GUEST in the
#       guest (state carried from one boot to the next, lab.autocal);
#       --machine q35 for an ACPI century field.
#       --cpu (default $LAB_CPU, else Nehalem) is QEMU's CPU model: an Intel
#       one (Nehalem), where rtc_cmos restarts the MC146818's divider on a set,
#       or an AMD one (EPYC), where it does not and a set keeps the RTC's
#       sub-second phase (rtc-mc146818-lib.c); the guest sees it as LAB_CPU.
#       For experiments, LAB_QEMU_ARGS adds QEMU arguments (e.g. "-icount
#       shift=auto,sleep=on") and LAB_KERNEL_ARGS kernel command line words
#       (e.g. "clocksource=hpet"); see tests/bench/rtc_bench.sh.
#
# Guest helpers for scenarios: tests/lab/guest-lib.sh (sourced by /init).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${RTCAL_BUILD_DIR:-$src/build}
lab=$(mkdir -p "$build/lab" && cd "$build/lab" && pwd)
boot_timeout_s=${LAB_BOOT_TIMEOUT_S:-120}

say() { echo "lab: $*" >&2; }
cannot() { say "cannot run: $*"; exit 77; }

# --- prepare -------------------------------------------------------------------

prepare_kernel() {
  [ -s "$lab/kernel/vmlinuz" ] && return 0
  local meta=linux-image-cloud-amd64 pkg scratch
  pkg=$(apt-cache depends "$meta" 2>/dev/null | awk '/Depends: linux-image-/ {print $2; exit}')
  [ -n "$pkg" ] || cannot "apt-cache knows no package behind $meta (apt-get update?)"
  scratch=$(mktemp -d "$lab/kernel.XXXXXX")
  (cd "$scratch" && apt-get download "$pkg" >/dev/null 2>&1) || { rm -rf "$scratch"; cannot "apt-get download $pkg failed"; }
  dpkg -x "$scratch"/*.deb "$scratch/x"
  mkdir -p "$scratch/kernel/modules"
  cp "$scratch"/x/boot/vmlinuz-* "$scratch/kernel/vmlinuz"
  local m
  for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci failover net_failover virtio_net; do
    find "$scratch/x/lib/modules" -name "$m.ko*" -exec cp {} "$scratch/kernel/modules/" \;
  done
  echo "$pkg" >"$scratch/kernel/package"
  rm -rf "$lab/kernel"
  mv "$scratch/kernel" "$lab/kernel"
  rm -rf "$scratch"
  say "kernel: $pkg"
}

# The lab's own RTC with a trim register (tests/lab/module/rtcal_lab_rtc.c),
# built against Debian's headers for the lab kernel (tests/install-deps.sh
# installs linux-headers- of the same version); cached in $lab/module until
# its source or the kernel changes. Without the headers the guest has no such
# RTC and lab.trim skips.
prepare_module() {
  local kver headers dir="$lab/module" scratch
  kver=$(sed 's/^linux-image-//' "$lab/kernel/package")
  headers=/usr/src/linux-headers-$kver
  if [ -s "$dir/rtcal_lab_rtc.ko" ] && [ "$(cat "$dir/kver" 2>/dev/null)" = "$kver" ] &&
    [ "$dir/rtcal_lab_rtc.ko" -nt "$here/module/rtcal_lab_rtc.c" ]; then
    return 0
  fi
  rm -rf "$dir"
  if [ ! -d "$headers" ]; then
    say "no $headers (tests/install-deps.sh installs it): the lab has no trim RTC"
    return 0
  fi
  scratch=$(mktemp -d "$lab/module.XXXXXX")
  cp "$here/module/rtcal_lab_rtc.c" "$here/module/Kbuild" "$scratch/"
  make -C "$headers" M="$scratch" modules >"$lab/module-build.log" 2>&1 ||
    { tail -20 "$lab/module-build.log" >&2; rm -rf "$scratch"; exit 1; }
  echo "$kver" >"$scratch/kver"
  mv "$scratch" "$dir"
  say "module: rtcal_lab_rtc.ko for $kver"
}

# The static rtcal and guest tools, into $static_bin. Preferably linked from
# the main build's own objects (target rtcal_lab_static: seconds, no second
# compile); otherwise (no configured main build, or a sanitizer build) a
# separate RTCAL_STATIC build under $lab/static, with ccache when present.
prepare_static_build() {
  if [ -f "$build/CMakeCache.txt" ] && ! grep -q '^RTCAL_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" &&
    cmake --build "$build" -j2 --target rtcal_lab_static >"$lab/static-build.log" 2>&1; then
    static_bin="$build/tests/lab/static"
    return 0
  fi
  local dir="$lab/static" launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    cmake -S "$src" -B "$dir" -DRTCAL_STATIC=ON -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" >"$lab/static-configure.log" 2>&1 ||
      { cat "$lab/static-configure.log" >&2; exit 1; }
  fi
  cmake --build "$dir" -j2 --target rtcal rtcal_lab_tool rtcal_lab_probe >"$lab/static-build.log" 2>&1 ||
    { tail -40 "$lab/static-build.log" >&2; exit 1; }
  mkdir -p "$dir/bin"
  cp "$dir/rtcal" "$dir/tests/lab/rtcal_lab_tool" "$dir/tests/lab/rtcal_lab_probe" "$dir/bin/"
  static_bin="$dir/bin"
}

# Copy a dynamically linked program and every library ldd names, keeping paths.
copy_with_libraries() {
  local program=$1 dest=$2 root=$3 lib
  install -D -m 755 "$program" "$root$dest"
  for lib in $(ldd "$program" | grep -oE '/[^ ]+' | sort -u); do
    install -D -m 755 "$lib" "$root$lib"
  done
}

# This machine's boot scripts that call hwclock, unchanged (Debian's
# hwclock.sh and its LSB functions, udev's hwclock-set), and the zones the
# LOCAL-time scenarios use (UTC, and Europe/Berlin with its DST changes).
copy_boot_scripts() {
  local root=$1 f
  for f in /etc/init.d/hwclock.sh /usr/lib/udev/hwclock-set /lib/lsb/init-functions \
    /lib/lsb/init-functions.d/00-verbose /usr/share/zoneinfo/Etc/UTC /usr/share/zoneinfo/Europe/Berlin; do
    [ -r "$f" ] && install -D -m 755 "$f" "$root$f"
  done
  return 0
}

prepare_root() {
  local root="$lab/root.new"
  rm -rf "$root"
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,etc,lab,lib/modules}
  cp /bin/busybox "$root/bin/busybox"
  ldd /bin/busybox >/dev/null 2>&1 && cannot "/bin/busybox is not busybox-static"
  copy_with_libraries /usr/sbin/hwclock /usr/sbin/hwclock.util-linux "$root"
  local tool
  for tool in rtcal rtcal_lab_tool rtcal_lab_probe; do
    install -s -m 755 "$static_bin/$tool" "$root/bin/$tool"  # stripped: a smaller initramfs
  done
  cp "$lab"/kernel/modules/*.ko* "$root/lib/modules/"
  [ -s "$lab/module/rtcal_lab_rtc.ko" ] && cp "$lab/module/rtcal_lab_rtc.ko" "$root/lib/modules/"
  copy_boot_scripts "$root"
  install -m 755 "$here/guest-init.sh" "$root/init"
  install -m 644 "$here/guest-lib.sh" "$root/lab/guest-lib.sh"
  rm -rf "$lab/root"
  mv "$root" "$lab/root"
}

prepare() {
  for tool in qemu-system-x86_64 cpio gzip apt-get dpkg flock; do
    command -v "$tool" >/dev/null || cannot "$tool is missing (tests/install-deps.sh installs it)"
  done
  [ -x /bin/busybox ] || cannot "busybox-static is missing (tests/install-deps.sh installs it)"
  [ -x /usr/sbin/hwclock ] || cannot "util-linux hwclock is missing (util-linux-extra)"
  mkdir -p "$lab"
  exec 9>"$lab/.lock"
  flock 9  # parallel tests share one cache
  prepare_kernel
  prepare_module
  prepare_static_build
  prepare_root
  (cd "$lab/root" && find . | sort | cpio -o -H newc --quiet | gzip -1) >"$lab/base.cpio.gz.new"
  mv "$lab/base.cpio.gz.new" "$lab/base.cpio.gz"
  flock -u 9
}

# --- run -----------------------------------------------------------------------

# The initramfs for one boot: the base archive plus a second one holding the
# scenario and its settings (the kernel unpacks concatenated archives in order).
make_initrd() {
  local scenario=$1 base_date=$2 out=$3 extra
  extra=$(mktemp -d)
  chmod 755 "$extra"  # it becomes the guest's /: mktemp's 0700 would lock out non-root
  mkdir -p "$extra/lab"
  install -m 755 "$scenario" "$extra/lab/scenario.sh"
  local pair
  for pair in "${extra_files[@]}"; do install -D -m 644 "${pair%%:*}" "$extra${pair#*:}"; done
  {
    echo "LAB_BASE='$base_date'"
    echo "LAB_BASE_UNIX=$(date -u -d "${base_date/T/ }" +%s)"
    echo "LAB_SCENARIO='$(basename "$scenario")'"
    [ "$(date -u -d "${base_date/T/ }" +%s)" -le 2147483647 ] || echo "LAB_SET_RTC='${base_date/T/ }'"
    local assignment
    for assignment in "${extra_env[@]}"; do echo "${assignment%%=*}='${assignment#*=}'"; done
  } >"$extra/lab/env"
  (cd "$extra" && find . | cpio -o -H newc --quiet | gzip -1) >"$out.extra"
  cat "$lab/base.cpio.gz" "$out.extra" >"$out"
  rm -rf "$extra" "$out.extra"
}

# PASS when every LAB-RESULT is ok, there is one at least, and LAB-DONE came.
judge() {
  local log=$1 results fails
  results=$(grep -c '^LAB-RESULT ' "$log" || true)
  fails=$(grep -c '^LAB-RESULT [^ ]* fail' "$log" || true)
  say "results: $results, failed: $fails"
  if ! grep -q '^LAB-DONE' "$log"; then say "FAIL: the guest did not finish (no LAB-DONE)"; return 1; fi
  if [ "$results" -eq 0 ]; then say "FAIL: the guest reported no LAB-RESULT"; return 1; fi
  if [ "$fails" -ne 0 ]; then grep '^LAB-RESULT [^ ]* fail' "$log" >&2; return 1; fi
  return 0
}

run() {
  local base_date=2021-03-04T05:06:07 net=0 log="" scenario machine_type="" cpu=${LAB_CPU:-Nehalem}
  extra_env=() extra_files=()
  while [ $# -gt 1 ]; do
    case $1 in
      --base) base_date=$2; shift 2 ;;
      --net) net=1; shift ;;
      --machine) machine_type=$2; shift 2 ;;
      --cpu) cpu=$2; shift 2 ;;
      --env) extra_env+=("$2"); shift 2 ;;
      --file) extra_files+=("$2"); shift 2 ;;
      --log) log=$2; shift 2 ;;
      *) say "unknown option $1"; exit 2 ;;
    esac
  done
  scenario=$1
  [ -f "$scenario" ] || { say "no scenario $scenario"; exit 2; }
  extra_env+=("LAB_CPU=$cpu")
  prepare
  local work initrd serial
  work=$(mktemp -d)
  initrd="$work/initrd.gz"
  serial="$work/serial.log"
  make_initrd "$scenario" "$base_date" "$initrd"
  local qemu_base=$base_date
  if [ "$(date -u -d "${base_date/T/ }" +%s)" -gt 2147483647 ]; then
    # QEMU 7.2 wraps -rtc base dates past 2038-01-19 03:14:07 (signed 32 bit):
    # 2099-12-31T23:59:59 came up as 2063-11-25. Start earlier; the guest's
    # /init sets the RTC to the date by direct CMOS I/O before the scenario.
    qemu_base=2038-01-01T00:00:00
  fi
  local netargs=(-nic none) machine=()
  [ -n "$machine_type" ] && machine=(-M "$machine_type")
  [ "$net" = 1 ] && netargs=(-netdev user,id=n0 -device virtio-net-pci,netdev=n0)
  local start end status=0
  start=$(date +%s.%N)
  timeout "$boot_timeout_s" qemu-system-x86_64 -cpu "$cpu" -m 256 -smp 1 -nographic -no-reboot \
    -kernel "$lab/kernel/vmlinuz" -initrd "$initrd" \
    -append "console=ttyS0 quiet panic=-1 ${LAB_KERNEL_ARGS:-}" -rtc "base=$qemu_base" "${netargs[@]}" "${machine[@]}" \
    ${LAB_QEMU_ARGS:-} \
    </dev/null 2>&1 | tr -d '\r' | tee "$serial" || true
  end=$(date +%s.%N)
  say "boot with -cpu $cpu -rtc base=$qemu_base took $(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.1f", b - a}') s"
  mkdir -p "$lab/logs"
  cp "$serial" "$lab/logs/$(basename "$scenario" .sh)-$cpu-$base_date.log"
  [ -n "$log" ] && cp "$serial" "$log"
  judge "$serial" || status=1
  rm -rf "$work"
  return $status
}

case ${1:-} in
  prepare) prepare; say "ready: $lab" ;;
  run) shift; run "$@" ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed 's/^# \{0,1\}//; /^set -euo/d' >&2; exit 2 ;;
esac

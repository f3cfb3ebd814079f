#!/usr/bin/env bash
# Benchmark (not a test): rtcal against util-linux hwclock and busybox hwclock
# on a real kernel RTC (rtc_cmos over QEMU's MC146818), side by side in one lab
# guest (tests/lab/scenarios/rtc_bench.sh), N trials at random sub-second
# phases, judged by the project's independent probe (tests/lab/probe.c):
#   - set error after systohc: the RTC's seconds edge minus the system clock;
#   - read error of show: the offset the tool states (or implies by the time
#     it prints, for hwclock -r) minus the probe's reference;
#   - wall time of show, show --fast, hctosys (process start to exit).
#
#   tests/bench/rtc_bench.sh [N]            (default N=20; the lab, ~40 s a trial)
#   cmake --build build --target bench-rtc
#   BENCH_SEED=7 LAB_QEMU_ARGS="-icount shift=auto,sleep=on" tests/bench/rtc_bench.sh 20
#   LAB_CPU=EPYC tests/bench/rtc_bench.sh 20   (an AMD CPU model: rtc_cmos keeps the RTC's phase)
#   BENCH_PARTS=set tests/bench/rtc_bench.sh 20 (the systohc table only, ~15 s a trial)
#   RTC_BENCH_LOG=/tmp/bench.log tests/bench/rtc_bench.sh 20 (keeps the per-trial lines)
#
# Exit 0 with the tables, 77 when the lab cannot run here, 1 when a tool or
# the probe produced no figures (tests/lab/rtc_bench.test.sh runs N=2 as a
# smoke test). The guest's console log is kept in $RTCAL_BUILD_DIR/lab/logs/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
export RTCAL_BUILD_DIR=${RTCAL_BUILD_DIR:-$src/build}
N=${1:-20}
seed=${BENCH_SEED:-$(( $(date +%s) % 100000 ))}
# RTC_BENCH_LOG=FILE keeps the guest's per-trial lines (BENCH ...) for a closer look.
if [ -n "${RTC_BENCH_LOG:-}" ]; then
  log=$RTC_BENCH_LOG
else
  log=$(mktemp)
  trap 'rm -f "$log"' EXIT
fi

export LAB_BOOT_TIMEOUT_S=${LAB_BOOT_TIMEOUT_S:-$((120 + 90 * N))}  # ~40 s a trial; room for a busy host
echo "rtc bench: $N trials, seed $seed (BENCH_SEED=$seed reproduces the phases)" >&2
rc=0
bash "$src/tests/lab/lab.sh" run --env "BENCH_TRIALS=$N" --env "BENCH_SEED=$seed" \
  --env "BENCH_PARTS=${BENCH_PARTS:-all}" --log "$log" \
  "$src/tests/lab/scenarios/rtc_bench.sh" >"$log.console" 2>&1 || rc=$?
rm -f "$log.console"
[ "$rc" != 77 ] || { echo "rtc bench: the QEMU lab cannot run here" >&2; exit 77; }
[ "$rc" = 0 ] || { tail -30 "$log" >&2; echo "rtc bench: the guest failed (exit $rc)" >&2; exit 1; }

python3 "$here/rtc_bench_table.py" "$log" "$N" "$seed" "${LAB_QEMU_ARGS:-}" "${LAB_KERNEL_ARGS:-}"

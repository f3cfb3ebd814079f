#!/usr/bin/env bash
# Lab: a smoke run of the RTC benchmark (tests/bench/rtc_bench.sh, 2 trials):
# it runs, and every tool and the probe produce figures. The figures are not
# judged here; the benchmark proper is `cmake --build build --target bench-rtc`.
. "$(dirname "$0")/../lib.sh"
rc=0
BENCH_SEED=1 bash "$RTCAL_SOURCE_DIR/tests/bench/rtc_bench.sh" 2 >"$T/table" || rc=$?
cat "$T/table"
[ "$rc" != 77 ] || skip "the QEMU lab cannot run here"
[ "$rc" = 0 ] || fail "the RTC benchmark failed (exit $rc)"
for row in "| rtcal | 2 |" "| util-linux hwclock | 2 |" "| busybox hwclock | 2 |" \
  "| rtcal --directisa | 2 |" "| rtcal show --fast | 2 |" "| rtcal hctosys | 2 |"; do
  expect_contains "$row" "$T/table"
done
grep -qE '^\| rtcal \| 2 \| [-+][0-9]+\.[0-9] \|' "$T/table" || fail "no set error figure for rtcal"

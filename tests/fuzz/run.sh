#!/usr/bin/env bash
# Run one libFuzzer target for SECONDS from its committed seed corpus.
#
#   tests/fuzz/run.sh TARGET SECONDS [LIBFUZZER_ARGS...]
#   TARGET: adjtime | measurement_log | date | ntp_reply | cli | clocks_log | log_corrections
#
# The fuzz build (clang, -fsanitize=fuzzer,address,undefined):
#   cmake -S . -B build-asan -DRTCAL_FUZZ=ON -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++
#   cmake --build build-asan --target fuzz
# RTCAL_FUZZ_BUILD_DIR names it (default build-asan, as tests/run-all.sh makes it). A long run, e.g. an hour
# on two cores:  tests/fuzz/run.sh cli 3600 -jobs=2 -workers=2
#
# New inputs go to build-asan/fuzz-corpus/TARGET (never into the committed
# seeds; copy interesting ones into tests/fuzz/corpus/TARGET by hand). A crash,
# leak, UB report or timeout leaves its input as build-asan/fuzz-artifacts/
# TARGET/crash-* (or leak-*, timeout-*) and exits non-zero; replay it with
#   build-asan/tests/fuzz/fuzz_TARGET build-asan/fuzz-artifacts/TARGET/crash-...
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 TARGET SECONDS [LIBFUZZER_ARGS...]" >&2; exit 2; }
target=$1 seconds=$2
shift 2
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${RTCAL_FUZZ_BUILD_DIR:-$src/build-asan}
bin=$build/tests/fuzz/fuzz_$target
seeds=$src/tests/fuzz/corpus/$target
[ -x "$bin" ] || { echo "run.sh: $bin: not built (cmake --build $build --target fuzz)" >&2; exit 2; }
[ -d "$seeds" ] || { echo "run.sh: $seeds: no seed corpus" >&2; exit 2; }
work=$build/fuzz-corpus/$target
artifacts=$build/fuzz-artifacts/$target
mkdir -p "$work" "$artifacts"

export RTCAL_FORBID_REAL_CLOCK=1
export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
echo "fuzz $target: ${seconds}s from $(ls "$seeds" | wc -l) seeds (+ $(ls "$work" | wc -l) found before)"
# -timeout: one input taking 10 s is a hang; -rss_limit_mb: a leak or blow-up.
exec "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
  -print_final_stats=1 -artifact_prefix="$artifacts/" "$@" "$work" "$seeds"

#!/usr/bin/env bash
# The whole test suite from a clean clone: install what is missing, build with
# warnings as errors, run every test (unit, CLI scenarios, util-linux
# compatibility, NTP against a real chronyd, the QEMU lab) but those labelled
# long (run by hand: ctest -L long); then, in a second
# build with clang, AddressSanitizer, UBSan and libFuzzer's instrumentation,
# the whole suite again but the lab, plus a short run of each fuzz target.
#
#   RTCAL_BUILD            the main build dir (default build)
#   RTCAL_SANITIZE_BUILD   the sanitizer + fuzz build dir (default build-asan);
#                          RTCAL_SANITIZE_BUILD= (empty) skips it
# Extra arguments go to the main ctest run only.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/install-deps.sh
build=${RTCAL_BUILD:-build}
asan_build=${RTCAL_SANITIZE_BUILD-build-asan}
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
# A test that cannot run here would exit 77 (skipped); RTCAL_REQUIRE_ALL=1
# turns that into a failure, so a green run means every test really ran.
export RTCAL_REQUIRE_ALL=${RTCAL_REQUIRE_ALL:-1}
# Sanitizers stop at the first report, and leaks count.
export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
stamp() { echo "run-all: $(date -u +%H:%M:%S) $*"; }

stamp "main build"
cmake -S . -B "$build" "${launcher[@]}" -DRTCAL_WERROR=ON -DRTCAL_UNITY=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" -j"$(nproc)"

# One clang build serves both: RTCAL_FUZZ compiles everything with
# -fsanitize=address,undefined (and libFuzzer's coverage hooks), so the
# suite runs under the sanitizers and the fuzz targets link against the same
# objects. It compiles, and then runs its tests, at the lowest priority while
# the main tests run: the lab's guest (QEMU without KVM) spends most of its
# time waiting on the emulated RTC's seconds edges and keeps its priority, so
# the two together take about the time of the main tests alone.
asan_log=
asan_pid=
if [ -n "$asan_build" ]; then
  asan_log=$(mktemp)
  stamp "ASan+UBSan+fuzz build (clang, at nice 19, log follows the main tests)"
  (
    set -e
    # -O1 with line tables only: about a third quicker to build than -O2 -g,
    # and sanitizer reports still name file and line.
    cmake -S . -B "$asan_build" "${launcher[@]}" -DRTCAL_WERROR=ON -DRTCAL_UNITY=ON -DRTCAL_FUZZ=ON \
      -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug \
      -DCMAKE_C_FLAGS_DEBUG="-O1 -gline-tables-only" -DCMAKE_CXX_FLAGS_DEBUG="-O1 -gline-tables-only" \
      -DRTCAL_FUZZ_SECONDS="${RTCAL_FUZZ_SECONDS:-10}"
    nice -n 19 cmake --build "$asan_build" -j"$(nproc)" --target rtcal rtcal_unit_tests rtcal_bench_drift rtcal-translations fuzz
    echo "run-all: $(date -u +%H:%M:%S) ASan+UBSan tests and fuzz runs (at nice 19, beside the main tests)"
    # The fuzz tests (label "fuzz") run each target for RTCAL_FUZZ_SECONDS
    # (10 s in CI) from its seeds. Left out under the sanitizers: the lab (its
    # guest runs a static binary, and the sanitizer runtimes cannot be linked
    # statically) and install (packaging and file placement; the build above
    # makes no man page or completion files, and the code it runs is run here
    # by the cli tests). The SIGKILL test takes 50 rounds here (200 above).
    # They start as soon as their build is done, while the main run's lab
    # (one QEMU guest at a time, mostly waiting on the emulated RTC) still
    # goes on: at nice 19 they take the CPU it leaves idle.
    RTCAL_CRASH_ROUNDS=${RTCAL_CRASH_ROUNDS:-50} \
      nice -n 19 ctest --test-dir "$asan_build" --output-on-failure -j2 -LE 'lab|install'
  ) >"$asan_log" 2>&1 &
  asan_pid=$!
fi

stamp "main tests"
main_status=0
# Label long (lab.autocal's six boots): by hand, `ctest --test-dir build -L long`.
ctest --test-dir "$build" --output-on-failure -j2 -LE '^long$' "$@" || main_status=$?

if [ -n "$asan_build" ]; then
  asan_status=0
  stamp "main tests finished (status $main_status); waiting for the ASan+UBSan build and tests"
  wait "$asan_pid" || asan_status=$?
  stamp "ASan+UBSan build and tests finished (status $asan_status); their log:"
  cat "$asan_log"
  rm -f "$asan_log"
  [ "$asan_status" -eq 0 ] || { stamp "ASan+UBSan build or tests FAILED (status $asan_status)"; exit "$asan_status"; }
fi
[ "$main_status" -eq 0 ] || { stamp "main tests FAILED (status $main_status)"; exit "$main_status"; }
stamp "done"

#!/usr/bin/env bash
# Calibrate -> wait -> apply is exact (issue 12, item 1), on the simulated RTC
# (virtual clock, deterministic). Each case: an RTC with a random rate
# (±500 ppm), first tick (0.5 s MC146818 or 1.0 s), starting error and
# sub-second phase; `systohc`; four `measure --system-error` readings days
# apart (the system clock itself wrong by a known amount at each); `drift
# --write`; a random gap (up to a year, less than an hour of drift in all);
# the system clock left wrong by up to ±1000 s, as at a boot; then one of
# `apply`, `hctosys`, `adjust` + `hctosys`. The system clock must then be
# within 1 ms of the true time, and again after a second `apply` and after
# a further gap and `hctosys` (the anchor adjtime got from the write).
# Cases come from a seed (printed; RTCAL_SEED=N replays, RTCAL_CASES=N sets
# how many). With HWCLOCK_ORACLE=/path/to/hwclock (tests/compat/drift_oracle)
# util-linux hwclock reads the same adjtime files: the drift it would add at
# the RTC's reading (hwclock --predict --date READING gives READING - drift)
# must bring that reading within 1 ms of the true time too.
. "$(dirname "$0")/../lib.sh"
sim_world
seed=${RTCAL_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
cases=${RTCAL_CASES:-6}
echo "drift_exact: seed $seed, $cases cases (replay: RTCAL_SEED=$seed)"
worst=0

# case_numbers I: 16 uniform numbers in [0, 1) for case I, from the seed.
case_numbers() {
  awk -v s="$seed" -v i="$1" 'BEGIN { srand(s); for (k = 0; k < 16 * i; k++) rand();
    for (k = 0; k < 16; k++) printf "%.9f ", rand() }'
}

# The simulated system clock off the true time by S seconds (a boot's clock,
# or a measurement taken with a wrong clock): the sim file's documented field.
set_system_error() {
  jq --argjson ns "$(awk -v s="$1" 'BEGIN { printf "%.0f", s * 1e9 }')" '.system_error_ns = $ns' "$W" >"$T/w.tmp"
  mv "$T/w.tmp" "$W"
}

# check_system WHAT: the system clock within 1 ms of the true time.
check_system() {
  local err
  err=$(sim system_error_s)
  near "$err" 0 0.001 "case $i ($what): system clock error after $1"
  worst=$(awk -v a="$err" -v w="$worst" 'BEGIN { if (a < 0) a = -a; print (a > w ? a : w) }')
}

# check_hwclock WHAT: hwclock's reading of adjtime corrects the RTC's
# reading at its next edge to the true time within 1 ms.
check_hwclock() {
  [ -n "${HWCLOCK_ORACLE:-}" ] || return 0
  expect_code 0 rt --json show
  local reading system sys_err date predicted
  reading=$(json_get rtc_time) system=$(json_get system_time) sys_err=$(sim system_error_s)
  date=$(date -u -d "@$reading" '+%Y-%m-%d %H:%M:%S')
  predicted=$("$HWCLOCK_ORACLE" --predict --date "$date" --adjfile "$A" --utc | sed 's/+00:00$//')
  predicted=$(date -u -d "$predicted" '+%s.%N')
  # hwclock would set reading + drift = 2 * reading - predicted.
  local err
  err=$(awk -v r="$reading" -v p="$predicted" -v s="$system" -v e="$sys_err" \
    'BEGIN { printf "%.6f", (2 * r - p) - (s - e) }')
  near "$err" 0 0.001 "case $i ($what): util-linux hwclock's correction of the RTC at $1"
  echo "  hwclock oracle at $1: $err s"
}

for i in $(seq 1 "$cases"); do
  read -r -a u <<<"$(case_numbers "$i")"
  ppm=$(awk -v u="${u[0]}" 'BEGIN { printf "%.3f", 1000 * u - 500 }')
  tick=$(awk -v u="${u[1]}" 'BEGIN { print (u < 0.5 ? 0.5 : 1.0) }')
  at=$(awk -v u="${u[2]}" -v f="${u[3]}" 'BEGIN { printf "%d.%06d", 1700000000 + 400000000 * u, 1e6 * f }')
  offset=$(awk -v u="${u[4]}" 'BEGIN { printf "%.3f", 60 * u - 30 }')
  step=$(awk -v u="${u[5]}" 'BEGIN { printf "%.3f", 1 + 9 * u }')  # days between readings
  # The gap: up to a year, all drift since the systohc under an hour.
  gap=$(awk -v u="${u[6]}" -v p="$ppm" -v s="$step" 'BEGIN {
    r = (p < 0 ? -p : p) * 1e-6; m = 3500 / (r * 86400 + 1e-12) - 4 * s; if (m > 365) m = 365
    printf "%.4f", (0.05 + 0.95 * u) * m }')
  boot_error=$(awk -v u="${u[7]}" 'BEGIN { printf "%.4f", 2000 * u - 1000 }')
  case $((i % 3)) in 0) what=apply ;; 1) what=hctosys ;; 2) what="adjust+hctosys" ;; esac
  # Every fourth case is at the extremes: ±500 ppm.
  if [ $((i % 4)) = 0 ]; then
    ppm=$(awk -v u="${u[12]}" 'BEGIN { print (u < 0.5 ? -500 : 500) }')
    gap=$(awk -v s="$step" 'BEGIN { printf "%.4f", 3500 / (500e-6 * 86400) - 4 * s }')
  fi
  echo "case $i: $ppm ppm, first tick $tick, start $at, RTC $offset s off, readings every $step d, gap $gap d, boot clock $boot_error s, $what"

  rm -f "$W" "$A" "$L"
  expect_code 0 "$RTCAL" sim init "$W" --at "$at" --rate-ppm "$ppm" --offset "$offset" --first-tick "$tick"
  expect_code 0 rt systohc
  for k in 1 2 3 4; do
    expect_code 0 "$RTCAL" sim advance "$W" "${step}d"
    sys=$(awk -v u="${u[$((7 + k))]}" 'BEGIN { printf "%.6f", 4 * u - 2 }')
    set_system_error "$sys"
    expect_code 0 rt measure --system-error "$sys" --sigma 0.001
  done
  expect_code 0 rt drift --write
  expect_code 0 "$RTCAL" sim advance "$W" "${gap}d"
  check_hwclock "the boot after the gap"
  set_system_error "$boot_error"
  case $what in
    apply) expect_code 0 rt apply ;;
    hctosys) expect_code 0 rt hctosys ;;
    adjust+hctosys) expect_code 0 rt adjust; expect_code 0 rt hctosys ;;
  esac
  check_system "$what"
  echo "  after $what: system clock $(sim system_error_s) s, RTC $(sim rtc_error_s) s, adjtime: $(head -1 "$A")"
  expect_code 0 rt apply
  check_system "a second apply"
  # A further gap on the anchor the adjustment (if any) wrote.
  expect_code 0 "$RTCAL" sim advance "$W" "$(awk -v g="$gap" 'BEGIN { printf "%.4f", g / 3 + 0.5 }')d"
  check_hwclock "a later boot"
  set_system_error "$boot_error"
  expect_code 0 rt hctosys
  check_system "a later hctosys"
done
echo "drift_exact: all $cases cases within 1 ms; worst $worst s"

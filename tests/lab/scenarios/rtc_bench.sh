# Guest scenario of the RTC benchmark (tests/bench/rtc_bench.sh runs it and
# makes the table): rtcal, util-linux hwclock and busybox hwclock side by
# side in one guest, BENCH_TRIALS trials, each tool run after sleeping a
# random fraction of a second (awk's rand() from BENCH_SEED). Raw figures go
# out as "BENCH ..." lines; the host computes the errors. Judged only on
# having run (every tool produced its figures); the figures are for the table.
#
# Per trial:
#   set    each tool's systohc, timed (rtcal_lab_probe time), then the
#          independent probe: the RTC's edge minus the system clock, by
#          polling (poll_ms) and, after rtcal's, by update interrupts (uie_ms);
#   read   after an rtcal systohc and a reference probe (ref_ms), each tool's
#          show: what it prints, with the system time at its start;
#   fast   rtcal show --fast (whole seconds, no edge wait), timed;
#   hctosys each tool's hctosys, timed, then the probe (poll_ms); the RTC was
#          aligned by rtcal before the reads, hctosys leaves it alone.

trials=${BENCH_TRIALS:-20}
seed=${BENCH_SEED:-1}
probe_edges=${BENCH_PROBE_EDGES:-2}
parts=${BENCH_PARTS:-all}  # "set": the systohc runs only (a third of the time)
HW=/usr/sbin/hwclock.util-linux
mkdir -p /tmp/dropin && ln -sf /bin/rtcal /tmp/dropin/hwclock
lab_info "bench cpu=${LAB_CPU:-Nehalem} trials=$trials seed=$seed parts=$parts probe_edges=$probe_edges clocksource=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource) cmdline=$(cat /proc/cmdline)"
date -u -s '2031-07-08 09:10:11' >/dev/null

awk -v s="$seed" 'BEGIN { srand(s); for (i = 0; i < 100000; i++) printf "%.3f\n", rand() }' >/tmp/phases
phase_line=0
# random_sleep: sleep the next random fraction of a second; sets $phase.
random_sleep() {
  phase_line=$((phase_line + 1))
  phase=$(sed -n "${phase_line}p" /tmp/phases)
  sleep "$phase"
}

# timed NAME CMD...: run CMD after a random sleep; sets $out (its output
# without the timing line) and $timing ("start_unix_s=.. wall_ms=.. status=..").
timed() {
  random_sleep
  local all
  all=$(rtcal_lab_probe time "$@" 2>&1)
  timing=$(echo "$all" | grep '^start_unix_s=' | tail -n 1)
  out=$(echo "$all" | grep -v '^start_unix_s=' | tr '\n' ' ' | tr -s ' ')
}

# probe MODE: the probe's median RTC-minus-system offset (ms) at the next edges.
probe() {
  if [ "$1" = poll ]; then
    lab_field median_offset_ms "$(rtcal_lab_probe poll /dev/rtc0 "$probe_edges")"
  else
    lab_field median_offset_ms "$(rtcal_lab_probe /dev/rtc0 2)"
  fi
}

# The update-interrupt probe runs after rtcal's set only (for the comparison
# of the two probes; it costs 3 s a run).
bench_set() {
  local name=$1; shift
  timed "$@"
  local uie=""
  [ "$name" = rtcal ] && uie=" uie_ms=$(probe uie)"
  echo "BENCH set tool=$name trial=$trial phase_s=$phase $timing poll_ms=$(probe poll)$uie out=$out"
}

bench_read() {
  local name=$1; shift
  timed "$@"
  echo "BENCH read tool=$name trial=$trial phase_s=$phase $timing ref_ms=$ref_ms out=$out"
}

bench_hctosys() {
  local name=$1; shift
  timed "$@"
  echo "BENCH hctosys tool=$name trial=$trial phase_s=$phase $timing poll_ms=$(probe poll) out=$out"
}

trial=1
while [ $trial -le "$trials" ]; do
  bench_set rtcal rtcal --utc --noadjfile -v systohc
  bench_set rtcal--directisa rtcal --utc --noadjfile --directisa -v systohc
  bench_set util-linux $HW --systohc --utc --noadjfile
  bench_set util-linux--directisa $HW --systohc --utc --noadjfile --directisa
  bench_set busybox hwclock -w -u
  if [ "$parts" = set ]; then trial=$((trial + 1)); continue; fi

  rtcal --utc --noadjfile systohc >/dev/null 2>&1
  ref_ms=$(probe poll)
  bench_read rtcal rtcal --utc --noadjfile --json show
  bench_read rtcal-dropin /tmp/dropin/hwclock -r --utc --noadjfile
  bench_read util-linux $HW -r -v --utc --noadjfile
  bench_read util-linux--directisa $HW -r -v --utc --noadjfile --directisa
  bench_read busybox hwclock -r -u
  bench_read rtcal--fast rtcal --utc --noadjfile --json show --fast

  bench_hctosys rtcal rtcal --utc --noadjfile hctosys
  bench_hctosys util-linux $HW --hctosys --utc --noadjfile
  bench_hctosys busybox hwclock -s -u
  trial=$((trial + 1))
done

lab_result bench-ran ok "$trials trials (the host script checks the figures)"

#!/bin/bash
# Scale benchmark of the drift fit end to end: a generated log of N
# measurements (default 1e6: one an hour for 114 years' worth of readings,
# hourly over a shorter span here), with 0.1% gross typos, fitted by the real
# binary: `drift`, `report` and `status`, each timed with /usr/bin/time -v
# (wall and CPU seconds, maximum resident set). Targets: <= 1 s and <= 200 MB
# (CPU time is the fair figure on a busy machine; wall is shown beside it).
#   RTCAL=build/rtcal tests/bench/scale_bench.sh [N]
# SCALE_STEP_S=37 adds an unlogged step of that many seconds from 60% of the
# log on (drift then refits with a reset there: a second fit in memory).
set -euo pipefail
N=${1:-1000000}
STEP_S=${SCALE_STEP_S:-0}
RTCAL=${RTCAL:-build/rtcal}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
python3 - "$N" "$STEP_S" >"$T/m.jsonl" <<'PY'
import random, sys
n = int(sys.argv[1]); step_s = float(sys.argv[2]); random.seed(1)
t0, rate = 1700000000.0, 0.4 / 86400          # the RTC gains 0.4 s/day
step = 3600.0 if n <= 100000 else 300.0        # hourly, or every 5 min for 1e6
out = sys.stdout
for i in range(n):
    t = t0 + i * step
    e = 2.0 + rate * (t - t0) + random.gauss(0, 0.002) + (step_s if i >= 0.6 * n else 0.0)
    if random.random() < 0.001: e += random.choice([-1, 1]) * random.uniform(10, 1e5)
    out.write('{"type":"measurement","time":%r,"rtc_error":%r,"sigma":0.002,"source":"ntp"}\n' % (t, e))
PY
printf '%s measurements, %s MB of log\n' "$N" "$(( $(stat -c %s "$T/m.jsonl") / 1000000 ))"
"$RTCAL" sim init "$T/sim.json" --offset 0 --rate-ppm 0 >/dev/null
printf '%-8s %8s %8s %10s  %s\n' command wall_s cpu_s max_rss_MB exit
for cmd in drift report status; do
  set +e
  /usr/bin/time -v "$RTCAL" --log "$T/m.jsonl" --adjfile "$T/adjtime" --rtc "sim:$T/sim.json" $cmd \
    >"$T/$cmd.out" 2>"$T/$cmd.time"
  rc=$?
  set -e
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$T/$cmd.time" | awk -F: '{print $(NF-1)*60+$NF}')
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$T/$cmd.time")
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$T/$cmd.time")
  printf '%-8s %8s %8s %10s  %s\n' "$cmd" "$wall" "$cpu" "$((rss / 1024))" "$rc"
done
grep -m1 "The RTC" "$T/drift.out" || true

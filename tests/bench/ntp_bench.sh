#!/usr/bin/env bash
# Benchmark (not a test): how close `rtcal ntp` gets to a known clock offset,
# next to chronyd's client (chronyd -x -Q) and NTPsec's ntpdig, and how long a
# query takes. Each tool asks, N times, a real chronyd whose clock libfaketime
# puts exactly +123.456 s ahead; the table gives |measured - 123.456| and the
# wall time per query (process start included).
#
#   RTCAL=build/rtcal tests/bench/ntp_bench.sh [N]      (default N=50)
#   cmake --build build --target bench-ntp
#
# ntpdig has no port option, so when run as root with UDP port 123 free on
# 127.0.0.1 the faked chronyd listens on port 123 (for every tool), and is
# stopped by its PID at the end; otherwise ntpdig is left out.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${RTCAL:=$here/../../build/rtcal}"
export RTCAL
. "$here/../lib.sh"
. "$here/../ntp/chronyd_lib.sh"

N=${1:-50}
KNOWN=123.456
port=
have_ntpdig=0
if [ "$(id -u)" = 0 ] && command -v ntpdig >/dev/null && ! ss -Hlun 'sport = :123' | grep -q .; then
  port=123
  have_ntpdig=1
fi
start_chronyd "$KNOWN" $port
echo "chronyd (faked +$KNOWN s) on 127.0.0.1:$CPORT; $N queries per tool" >&2
[ "$have_ntpdig" = 1 ] || echo "ntpdig left out (needs root, port 123 free, package ntpsec-ntpdig)" >&2

now_ns() { date +%s%N; }
# run_tool NAME PARSER CMD...: time CMD alone, then PARSER turns its output into
# an offset (s); appends "offset nanoseconds" to $T/NAME.
run_tool() {
  local name=$1 parser=$2; shift 2
  local start end output offset
  start=$(now_ns)
  output=$("$@" 2>&1 || true)
  end=$(now_ns)
  offset=$(printf '%s\n' "$output" | $parser 2>/dev/null || true)
  [ -n "$offset" ] || { echo "$name: no offset: $output" >&2; return 0; }
  echo "$offset $(( end - start ))" >>"$T/$name"
}
json_offset() { "$PY" -c 'import json,sys; print(json.load(sys.stdin)["offset"])'; }
chronyd_q_parse() { sed -n 's/.*System clock wrong by \([-+0-9.]*\) seconds.*/\1/p' | head -n1; }
chronyd_q() { timeout 20 chronyd -x -Q -t 3 -f /dev/null "server 127.0.0.1 port $CPORT iburst maxsamples 1"; }

for _ in $(seq "$N"); do
  run_tool "rtcal_ntp" json_offset "$RTCAL" --json ntp "127.0.0.1:$CPORT"
  run_tool "rtcal_ntp_--samples_1" json_offset "$RTCAL" --json ntp --samples 1 "127.0.0.1:$CPORT"
  run_tool "chronyd_-Q" chronyd_q_parse chronyd_q
  if [ "$have_ntpdig" = 1 ]; then run_tool "ntpdig" json_offset timeout 10 ntpdig -j -t 2 127.0.0.1; fi
done
stop_chronyd

"$PY" - "$T" "$KNOWN" <<'PY'
import os, statistics, sys
d, known = sys.argv[1], float(sys.argv[2])
def pct(xs, p):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]
print("| tool | queries | median abs err (ms) | p90 (ms) | worst (ms) | mean bias (ms) | median time/query (ms) |")
print("|---|---|---|---|---|---|---|")
for name in ["rtcal_ntp", "rtcal_ntp_--samples_1", "chronyd_-Q", "ntpdig"]:
    path = os.path.join(d, name)
    if not os.path.exists(path):
        continue
    rows = [tuple(map(float, line.split())) for line in open(path) if line.strip()]
    err = [abs(o - known) * 1e3 for o, _ in rows]
    bias = statistics.mean((o - known) * 1e3 for o, _ in rows)
    ms = [t / 1e6 for _, t in rows]
    print("| %s | %d | %.3f | %.3f | %.3f | %+.3f | %.0f |" % (
        name.replace("_", " "),
        len(rows), statistics.median(err), pct(err, 90), max(err), bias, statistics.median(ms)))
PY

# Helpers for the lab's guest scenarios (tests/lab/scenarios/*.sh), sourced by
# the guest's /init. Results go to the serial console as
#   LAB-RESULT NAME ok|fail DETAIL
# which tests/lab/lab.sh turns into the test's verdict; LAB-INFO lines are
# figures for the record, never judged.

lab_result() { echo "LAB-RESULT $1 $2 ${3:-}"; }
lab_info() { echo "LAB-INFO $*"; }

# lab_run CMD...: run CMD, show its output indented, keep it in $LAB_OUT.
lab_run() {
  echo "\$ $*"
  LAB_OUT=$("$@" 2>&1)
  LAB_RC=$?
  echo "$LAB_OUT" | sed 's/^/  | /'
  return $LAB_RC
}

# lab_field KEY TEXT: the value of KEY=VALUE or KEY="VALUE" in TEXT (first match).
lab_field() {
  echo "$2" | sed 's/^/ /' | sed -n "s/.* $1=\"\([^\"]*\)\".*/\1/p; t; s/.* $1=\([^ ]*\).*/\1/p" | head -n 1
}

# lab_within NAME VALUE LOW HIGH [WHAT]: ok when LOW <= VALUE <= HIGH (numbers).
lab_within() {
  if [ -n "$2" ] && awk -v v="$2" -v lo="$3" -v hi="$4" 'BEGIN { exit !(v + 0 >= lo && v + 0 <= hi) }'; then
    lab_result "$1" ok "$2 in [$3, $4] ${5:-}"
  else
    lab_result "$1" fail "'$2' not in [$3, $4] ${5:-}"
  fi
}

# lab_equal NAME GOT WANT [WHAT]
lab_equal() {
  if [ "$2" = "$3" ]; then lab_result "$1" ok "'$2' ${4:-}"; else lab_result "$1" fail "got '$2', want '$3' ${4:-}"; fi
}

# lab_contains NAME TEXT NEEDLE [WHAT]
lab_contains() {
  case $2 in
    *"$3"*) lab_result "$1" ok "says '$3' ${4:-}" ;;
    *) lab_result "$1" fail "'$3' missing from: $2" ;;
  esac
}

# lab_unix "YYYY-MM-DD HH:MM:SS": seconds since the epoch (UTC).
lab_unix() { date -u -d "$1" +%s; }

# lab_net_up: virtio-net and 10.0.2.15; QEMU user networking maps 10.0.2.2 to
# the host's loopback.
lab_net_up() {
  for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci failover net_failover virtio_net; do
    insmod /lib/modules/$m.ko 2>/dev/null
  done
  ip link set eth0 up && ip addr add 10.0.2.15/24 dev eth0 && ip route add default via 10.0.2.2
  local i=0  # the carrier comes a moment after "up" (bounded: 5 s)
  while [ "$(cat /sys/class/net/eth0/carrier 2>/dev/null)" != 1 ] && [ $i -lt 50 ]; do
    sleep 0.1
    i=$((i + 1))
  done
}

# lab_json KEY TEXT: the value of "KEY": VALUE in rtcal's --json output (one key a line).
lab_json() {
  echo "$2" | sed -n "s/^ *\"$1\": *\"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}\$/\1/p" | head -n 1
}

# lab_calc EXPR: a floating-point awk expression, printed with 6 decimals.
lab_calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }

# lab_set_read_near NAME DATE_S T0_S: after `set --date` of DATE_S (unix s),
# begun at T0_S (`date +%s` just before it: whole seconds), and a `show --json`
# in $LAB_OUT: the RTC shows the date plus the seconds since the set began
# (set --date counts its own run, as hwclock --set does, re-writes included),
# within a second.
lab_set_read_near() {
  local want
  want=$(lab_calc "$2 + $(lab_json system_time "$LAB_OUT") - $3 - 0.5")
  lab_within "$1" "$(lab_json rtc_time "$LAB_OUT")" "$(lab_calc "$want - 1")" "$(lab_calc "$want + 1")" \
    "(the date set plus the seconds since the set began)"
}

# lab_uptime: seconds since the guest booted (monotonic: unmoved when a test
# steps the system clock), to judge a date against the time a command took.
lab_uptime() { cut -d' ' -f1 /proc/uptime; }

# lab_latest_after DATE_S UP0: the latest time (unix s) a clock set to DATE_S
# by a command begun at uptime UP0 may show now: the date plus the seconds
# since (set --date counts its own run and may write again), plus 1 for whole
# seconds.
lab_latest_after() { lab_calc "$1 + $(lab_uptime) - $2 + 1"; }

# lab_sums FILE...: one line of checksums (missing files count as "none").
lab_sums() {
  local f
  for f in "$@"; do
    if [ -e "$f" ]; then md5sum <"$f" | cut -c1-32; else echo none; fi
  done | tr '\n' ' '
}

# lab_system_minus_rtc [RTCAL GLOBAL OPTIONS]: sets $LAB_SMR to rtcal show
# --json's system_minus_rtc (s), empty when show failed.
lab_system_minus_rtc() {
  LAB_OUT=$(rtcal "$@" --json show 2>&1)
  LAB_SMR=$(lab_json system_minus_rtc "$LAB_OUT")
  [ -n "$LAB_SMR" ] || echo "  | show failed: $LAB_OUT"
}

# lab_smr_near NAME WANT TOL [RTCAL GLOBAL OPTIONS]: rtcal show's system
# clock minus RTC is within TOL of WANT (s). Up to 3 reads: under TCG on a
# busy host an update interrupt can reach the guest 0.1-0.3 s late (seen), and
# a late edge reads as an RTC behind; an RTC that is really off fails all
# three reads (re-reading changes no clock). Every read is in the detail.
lab_smr_near() {
  local name=$1 want=$2 tol=$3 seen="" i
  shift 3
  for i in 1 2 3; do
    lab_system_minus_rtc "$@"
    seen="$seen ${LAB_SMR:-none}"
    if awk -v v="${LAB_SMR:-x}" -v w="$want" -v t="$tol" 'BEGIN { exit !(v != "x" && v - w <= t && w - v <= t) }'; then
      lab_result "$name" ok "within $want ±$tol s (system clock minus RTC; reads:$seen)"
      return 0
    fi
  done
  lab_result "$name" fail "system clock minus RTC not within $want ±$tol s in 3 reads:$seen"
}

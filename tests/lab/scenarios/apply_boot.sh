# Guest scenario: `rtcal apply` at boot after days of drift, on the real
# rtc_cmos driver. True time comes from a chronyd on the host's loopback
# (10.0.2.2:LAB_NTP_PORT, its clock right): first both clocks are set right
# from it; then five days of a 100 ppm gain are staged: the RTC is set
# 43.2 s fast and adjtime gets the factor -8.64 s/day with the last
# adjustment five days ago; the system clock is thrown years off (as if
# nothing had set it at boot). `rtcal apply` must correct the RTC, set the
# system clock right (NTP checks it), take under 1.2 s, log the step, leave
# the RTC's edges where adjtime's not_adjusted says (the probe checks), and
# change nothing on a second run.
tolerance_ms=25  # the lab's clock wanders by up to ~10 ms between runs (LAB.md)
lab_net_up
r() { rtcal --utc --adjfile /tmp/adjtime --log /tmp/log.jsonl "$@"; }
server=10.0.2.2:$LAB_NTP_PORT
# The guest's NTP offset in ms (empty when rtcal ntp failed). Not lab_run:
# inside $(...) its echo of the command would become the figure.
ntp_offset_ms() {
  local out
  out=$(rtcal ntp --json --samples 4 "$server" 2>&1)
  echo "$out" | sed 's/^/  | /' >&2
  echo "$out" | sed -n 's/.*"offset": *\([-0-9.e+]*\).*/\1/p' | head -n1 | awk '{ printf "%.3f", $1 * 1000 }'
}

lab_run r set --from-ntp "$server" --samples 4 --force
lab_equal truth-exit "$LAB_RC" 0 "(both clocks from NTP)"
lab_run r set --date '+43.2 seconds'
lab_equal stage-exit "$LAB_RC" 0 "(the RTC 43.2 s fast)"
# On an AMD CPU model the sets keep the RTC's phase and adjtime carries the
# residual (not adjusted, s): staged with it (0 on Intel).
na=$(awk 'NR == 1 { printf "%.6f", $3 }' /tmp/adjtime)
lab_info "not_adjusted after the staging set: $na s"
last=$(( $(date +%s) - 5 * 86400 ))
printf -- '-8.640000 %s %s\n%s\nUTC\n' "$last" "$na" "$last" >/tmp/adjtime
lab_run date -u -s '2031-07-08 09:10:11'

lab_run r --json apply
lab_equal apply-exit "$LAB_RC" 0
lab_contains apply-adjusted "$LAB_OUT" '"rtc": "adjusted"'
lab_contains apply-says "$LAB_OUT" "Adjusted the RTC by -4"
elapsed=$(echo "$LAB_OUT" | sed -n 's/.*"elapsed_s": *\([0-9.e+-]*\).*/\1/p')
lab_within apply-bounded "$elapsed" 0 1.2 "s: apply's own duration"
offset_ms=$(ntp_offset_ms)
lab_within system-right "$offset_ms" -$tolerance_ms $tolerance_ms "ms: NTP offset of the guest's clock after apply"
lab_run cat /tmp/adjtime
not_adjusted=$(echo "$LAB_OUT" | awk 'NR==1 { print $3 }')
lab_info "not_adjusted after apply: $not_adjusted s"
want_ms=$(awk -v n="$not_adjusted" 'BEGIN { printf "%.3f", -n * 1000 }')
lab_run rtcal_lab_probe poll /dev/rtc0 5
got_ms=$(lab_field median_offset_ms "$LAB_OUT")
lab_within rtc-as-adjtime-says "$(awk -v g="$got_ms" -v w="$want_ms" 'BEGIN { printf "%.3f", g - w }')" \
  -$tolerance_ms $tolerance_ms "ms: probe's RTC edge offset minus -not_adjusted ($got_ms vs $want_ms)"
# Where a set keeps the RTC's phase (AMD) the nearest second is written: the
# RTC within half a second of true time (on Intel within the tolerance).
lab_within rtc-nearest-second "$got_ms" -$((500 + tolerance_ms)) $((500 + tolerance_ms)) "ms: probe's RTC edge offset after apply"
lab_run cat /tmp/log.jsonl
lab_contains log-step "$LAB_OUT" '"reason":"adjust"'

cp /tmp/adjtime /tmp/adjtime.before
lab_run r --json apply
lab_equal again-exit "$LAB_RC" 0
lab_contains again-dead-band "$LAB_OUT" '"rtc": "dead band"'
lab_equal again-adjtime "$(cmp -s /tmp/adjtime /tmp/adjtime.before && echo same || echo changed)" same
offset_ms=$(ntp_offset_ms)
lab_within again-system-right "$offset_ms" -$tolerance_ms $tolerance_ms "ms: NTP offset after the second apply"

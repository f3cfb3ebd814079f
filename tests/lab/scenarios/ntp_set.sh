# Guest scenario: the guest's system clock and RTC are hours wrong; `rtcal set
# --from-ntp` against a chronyd on the host's loopback (10.0.2.2:LAB_NTP_PORT,
# its clock right) first refuses the step beyond 1000 s (exit 4, nothing
# changed), then with --force leaves both right: NTP finds the system clock
# within a few ms, the independent probe finds the RTC's edges on the system
# clock's, and the log holds the measurement and the step.
tolerance_ms=25  # the lab's clock wanders by up to ~10 ms between runs (LAB.md)
lab_net_up
lab_run date -u -s '2031-07-08 09:10:11'  # the system clock years off, the RTC (-rtc base) 3 h behind
r() { rtcal --utc --adjfile /tmp/adjtime --log /tmp/log.jsonl "$@"; }
server=10.0.2.2:$LAB_NTP_PORT

lab_run r set --from-ntp "$server" --samples 2
lab_equal refused-exit "$LAB_RC" 4 "(step beyond 1000 s without --force)"
lab_contains refused-says "$LAB_OUT" "--force"
lab_equal refused-no-log "$(test -e /tmp/log.jsonl && echo exists || echo absent)" absent

lab_run r set --from-ntp "$server" --samples 4 --force
lab_equal set-exit "$LAB_RC" 0
lab_run rtcal ntp --json --samples 4 "$server"
offset_ms=$(echo "$LAB_OUT" | sed -n 's/.*"offset": *\([-0-9.e+]*\).*/\1/p' | head -n1 | awk '{ printf "%.3f", $1 * 1000 }')
lab_within system-right "$offset_ms" -$tolerance_ms $tolerance_ms "ms: NTP offset of the guest's clock after the set"
lab_run rtcal_lab_probe poll /dev/rtc0 5
lab_within rtc-right "$(lab_field median_offset_ms "$LAB_OUT")" -$tolerance_ms $tolerance_ms "ms: probe's RTC edge offset after the set"
lab_run cat /tmp/log.jsonl
lab_contains log-measurement "$LAB_OUT" '"type":"measurement"'
lab_contains log-step "$LAB_OUT" '"reason":"set --from-ntp"'
lab_run cat /tmp/adjtime
lab_contains adjtime-utc "$LAB_OUT" "UTC"

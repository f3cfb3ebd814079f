# Guest scenario: set the RTC from the system clock through each driver so
# that its seconds edges fall on the system clock's, and let the independent
# probe (rtcal_lab_probe, no rtcal code) judge where the edges fall. A write at
# the wrong phase must show up as a half-second error: the probe can fail.
# rtcal's own edge timing (update interrupts, polling, CMOS) must agree.

tolerance_ms=25  # the lab's clock wanders by up to ~10 ms between runs (LAB.md)
lab_run date -u -s '2031-07-08 09:10:11'  # any time: the guest's clock is ours

# Sets $probe_ms: the probe's median RTC-minus-system offset at the edges it
# times by polling RTC_RD_TIME (no update-interrupt latency in it).
probe() {
  lab_run rtcal_lab_probe poll /dev/rtc0 5
  probe_ms=$(lab_field median_offset_ms "$LAB_OUT")
}

for dev in /dev/rtc0 cmos; do
  tag=${dev##*/}
  lab_run rtcal_lab_tool sync $dev
  probe
  lab_within sync-$tag "$probe_ms" -$tolerance_ms $tolerance_ms "ms: probe's RTC edge offset after sync via $dev"
done

# Negative control: written at .000 instead of .500, rtc_cmos runs 500 ms ahead.
lab_run rtcal_lab_tool sync /dev/rtc0 0
probe
lab_within misaligned-seen "$probe_ms" $((500 - tolerance_ms)) $((500 + tolerance_ms)) "ms: probe after a write at phase 0 (should be +500)"

# rtcal's own edge timing against the same RTC, aligned again first.
lab_run rtcal_lab_tool sync /dev/rtc0
lab_run rtcal_lab_probe poll /dev/rtc0 3
for how in "/dev/rtc0" "/dev/rtc0 --poll" "cmos"; do
  tag=$(echo "$how" | tr -d ' /-')
  lab_run rtcal_lab_tool edges $how 3
  lab_within edge-$tag "$(lab_field offset_ms "$(echo "$LAB_OUT" | tail -n 1)")" -$tolerance_ms $tolerance_ms "ms: rtcal's edge offset via $how"
done

# rtcal's precise module (rtc/precise: set_on_edge, read_at_edge) over both
# real drivers, judged by the same probe.
for dev in /dev/rtc0 cmos; do
  tag=${dev##*/}
  lab_run rtcal_lab_tool precise-set $dev
  probe
  lab_within precise-set-$tag "$probe_ms" -$tolerance_ms $tolerance_ms "ms: probe's RTC edge offset after rtc/precise set_on_edge via $dev"
  lab_run rtcal_lab_tool precise-read $dev
  lab_within precise-read-$tag "$(lab_field rtc_minus_system_ms "$LAB_OUT")" $(awk -v p="$probe_ms" -v t=$tolerance_ms 'BEGIN { print p - t, p + t }') "ms: rtc/precise read_at_edge via $dev vs the probe's $probe_ms"
done

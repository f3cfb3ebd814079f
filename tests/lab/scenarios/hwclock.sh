# Guest scenario: util-linux hwclock (the reference tool) and rtcal's drivers
# read what the other wrote, through /dev/rtc0 and through direct CMOS I/O
# (hwclock --directisa). Then, for the record, where the edge lands after
# each tool sets the RTC from the system clock, by the independent probe.

HW=/usr/sbin/hwclock.util-linux
lab_run $HW --version
lab_run rtcal --version  # the static rtcal runs in the guest (its commands come later)
lab_contains rtcal-static-runs "$LAB_OUT" "rtcal "

# hwclock_read ARGS...: sets $hw_unix to hwclock -r's time (whole seconds, UTC).
hwclock_read() {
  lab_run $HW -r --utc --noadjfile "$@"
  hw_unix=$(lab_unix "$(echo "$LAB_OUT" | tail -n 1 | cut -c1-19)")
}

# check_both_ways VIA DEVICE HWCLOCK_OPTION DATE1 DATE2
check_both_ways() {
  lab_run rtcal_lab_tool set $2 "$4"
  hwclock_read $3
  lab_within hwclock-reads-rtcal-$1 "$((hw_unix - $(lab_unix "$4")))" 0 5 "s: hwclock $3 -r after rtcal set $4 via $2"

  lab_run $HW --set --date "$5" --utc --noadjfile $3
  lab_run rtcal_lab_tool read $2
  lab_within rtcal-reads-hwclock-$1 "$(($(lab_field unix "$LAB_OUT") - $(lab_unix "$5")))" 0 5 "s: rtcal read via $2 after hwclock $3 --set $5"
}

check_both_ways dev /dev/rtc0 "" "2031-05-06 07:08:09" "2032-06-07 08:09:10"
check_both_ways isa cmos --directisa "2034-05-06 19:08:09" "2036-02-29 21:22:23"

# Side by side, not judged: the probe's edge offset after each tool's systohc.
lab_run date -u -s '2035-01-02 03:04:05'
for tool in "$HW --systohc --utc --noadjfile" "rtcal_lab_tool sync /dev/rtc0" "hwclock -w -u"; do
  lab_run $tool
  lab_run rtcal_lab_probe poll /dev/rtc0 3
  lab_info "after '$tool': median_offset_ms=$(lab_field median_offset_ms "$LAB_OUT")"
done

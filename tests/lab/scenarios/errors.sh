# Guest scenario: the errors a user meets on real hardware. A busy device
# (another program holds /dev/rtc0 open) and a user who is not root must get
# messages that say what to do; and what a dead battery leaves behind (the divider stopped,
# impossible fields: rtcal_lab_tool cmos-kill; QEMU's VRT bit cannot be
# cleared from the guest) must give clear errors from both drivers, quickly;
# setting the RTC through rtcal's CMOS driver brings it back to life.

uptime_ms() { awk '{ printf "%d", $1 * 1000 }' /proc/uptime; }

# expect_error NAME CMD...: CMD must fail within 5 s saying the RTC holds no valid time.
expect_error() {
  local name=$1 start
  shift
  start=$(uptime_ms)
  if lab_run "$@"; then
    lab_result $name fail "succeeded on a dead RTC"
  else
    lab_contains $name "$LAB_OUT" "holds no valid time" "($*)"
  fi
  lab_within $name-bounded "$(($(uptime_ms) - start))" 0 5000 "ms: how long '$*' took to fail"
}

# Busy: the probe holds /dev/rtc0 for about 3 s; rtcal retries ~1 s, then names the holder.
rtcal_lab_probe /dev/rtc0 2 >/dev/null &
holder=$!
sleep 0.5
start=$(uptime_ms)
lab_run rtcal_lab_tool read /dev/rtc0
lab_contains busy-names-holder "$LAB_OUT" "another program holds it open"
lab_contains busy-suggests-chronyd "$LAB_OUT" "chronyd with 'rtcfile'"
lab_within busy-bounded "$(($(uptime_ms) - start))" 500 3000 "ms: retried, then gave up"
wait $holder

# Not root: no access to /dev/rtc0 (root's 0600 in devtmpfs) nor to the CMOS ports.
echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>/etc/passwd
echo 'nogroup:x:65534:' >>/etc/group
lab_run su -s /bin/sh nobody -c "rtcal_lab_tool read /dev/rtc0"
lab_contains non-root-dev "$LAB_OUT" "cannot open: Permission denied (run as root)"
lab_run su -s /bin/sh nobody -c "rtcal_lab_tool read cmos"
lab_contains non-root-cmos "$LAB_OUT" "run as root (CAP_SYS_RAWIO)"

lab_run rtcal_lab_tool cmos-kill
for dev in /dev/rtc0 cmos; do
  tag=${dev##*/}
  expect_error dead-read-$tag rtcal_lab_tool read $dev
  expect_error dead-edge-$tag rtcal_lab_tool edges $dev 1
done

lab_run rtcal_lab_tool set cmos "2030-01-02 03:04:05"
lab_run rtcal_lab_tool edges cmos 2
lab_equal revived-ticks "$(lab_field rtc "$(echo "$LAB_OUT" | tail -n 1)")" "2030-01-02 03:04:07" "(second edge after setting 03:04:05)"
lab_run rtcal_lab_tool read /dev/rtc0
lab_within revived-kernel-reads "$(($(lab_field unix "$LAB_OUT") - $(lab_unix "2030-01-02 03:04:05")))" 0 3 "s: /dev/rtc0 after the revival"

# For the record: the kernel's RTC_SET_TIME restores register A as it found
# it, so on a stopped divider the fields become valid but the clock stays
# stopped; rtcal's CMOS driver then says so.
lab_run rtcal_lab_tool cmos-kill
lab_run rtcal_lab_tool set /dev/rtc0 "2030-01-02 03:04:05"
lab_run rtcal_lab_tool cmos-regs
lab_info "after the kernel's set on a dead RTC: $(rtcal_lab_tool read /dev/rtc0) / $(rtcal_lab_tool read cmos)"

# Guest scenario: `rtcal trim` against a real kernel RTC class device with a
# trim register: the lab's own module (tests/lab/module/rtcal_lab_rtc.c), an
# RTC that gains 2.1% (drift_ppb=21000000; a huge rate, so that half a minute of
# readings resolves it under TCG's ~±10 ms wander, LAB.md) with 8000000-ppb
# steps. Checks: the features bit and the offset through RTC_PARAM_GET,
# util-linux hwclock --param-get and sysfs alike; --set quantizes and reads
# back; --from-fit programs 3 steps (24000000 ppb, the nearest to 21000000)
# and the rate left over is -3000 ppm, measured; a second --from-fit asks for the same step again,
# which the chip keeps: no record (rtcal has no table for this driver, so it
# learns the rounding from the read-back);
# --check-sign agrees; reloaded with sign=-1 (a chip that does the opposite),
# --check-sign says so and exits 1.
HW=/usr/sbin/hwclock.util-linux
L=/var/lib/rtcal/measurements.jsonl
export TZ=UTC

load() {  # load sign: the module, and $dev its /dev/rtcN
  insmod /lib/modules/rtcal_lab_rtc.ko drift_ppb=21000000 step_ppb=8000000 sign="$1"
  dev=""
  for n in /sys/class/rtc/rtc*; do
    grep -q rtcal_lab_rtc "$n/name" 2>/dev/null && dev=/dev/$(basename "$n")
  done
  i=0
  while [ -n "$dev" ] && [ ! -e "$dev" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
}
r() { rtcal --rtc "$dev" --noadjfile --utc "$@"; }
measure() { lab_run r measure --system-error 0 --sigma 0.01 >/dev/null || lab_result measure fail "$LAB_OUT"; }
measures() { for k in 1 2 3 4; do measure; sleep "$1"; done; measure; }

if [ ! -f /lib/modules/rtcal_lab_rtc.ko ]; then
  lab_result module fail "no rtcal_lab_rtc.ko in the initramfs (lab.sh prepare builds it)"
  return 0
fi
load 1
[ -n "$dev" ] || { lab_result module fail "no RTC named rtcal_lab_rtc in /sys/class/rtc"; return 0; }
lab_result module ok "$dev"

lab_run r trim
lab_contains features "$LAB_OUT" "features:   correction (RTC_FEATURE_CORRECTION)"
lab_contains offset0 "$LAB_OUT" "offset:     0 ppb (read by RTC_PARAM_GET correction)"
lab_run r param --get features
lab_contains feature_bit "$LAB_OUT" "is set to 0x20."
lab_run "$HW" --rtc "$dev" --param-get correction
lab_contains hwclock_get0 "$LAB_OUT" "The RTC parameter 0x1 is set to 0x0."

lab_run r trim --set 9000000
lab_contains set_quantized "$LAB_OUT" "Set the trim from 0 ppb to +8000000 ppb (asked +9000000 ppb"
lab_equal sysfs_offset "$(cat /sys/class/rtc/$(basename "$dev")/offset)" 8000000
lab_run "$HW" --rtc "$dev" --param-get correction
lab_contains hwclock_get "$LAB_OUT" "The RTC parameter 0x1 is set to 0x7a1200."
lab_run r trim --set 0
rm -f "$L"

# Half a minute untrimmed, --from-fit, half a minute trimmed.
lab_run r systohc >/dev/null
measures 6
lab_run r --json drift
before=$(lab_json rate_ppm "$LAB_OUT")
lab_within rate_untrimmed "$before" 20000 22000 "ppm (the module's 21000)"
lab_run r trim --from-fit
lab_contains from_fit "$LAB_OUT" "to +24000000 ppb"
measures 6
lab_run r --json drift
after=$(lab_json rate_ppm "$LAB_OUT")
lab_within rate_trimmed "$after" -3600 -2400 "ppm: 21000 - 24000 ppm is what the 8000000-ppb steps leave"
lab_info "trim residual_ppm=$after untrimmed_ppm=$before"
lab_run r trim --from-fit
lab_contains unchanged "$LAB_OUT" "The chip kept +24000000 ppb (the step nearest +2"
lab_run r trim --check-sign
lab_contains sign_agrees "$LAB_OUT" "The sign agrees."

# A chip that does the opposite.
rmmod rtcal_lab_rtc
load -1
rm -f "$L"
lab_run r systohc >/dev/null
measures 4
lab_run r trim --from-fit
measures 4
lab_run r trim --check-sign
[ "$LAB_RC" = 1 ] && lab_result sign_rc ok "exit 1" || lab_result sign_rc fail "exit $LAB_RC"
lab_contains sign_opposite "$LAB_OUT" "The chip applies the offset the other way"

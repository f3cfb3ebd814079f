# Guest scenario: rtcal's main job as a user sees it on a machine with a real
# RTC (the Quick start's first command runs this when the host has no RTC).
# The kernel set the guest's clock from the RTC at boot, to the whole second
# only, so the first `show` finds the two up to a second apart; `systohc`
# sets the RTC on its seconds edge and the second `show` finds them together
# (within the lab's ±25 ms: emulated timing wanders by ~10 ms, see LAB.md).
export TZ=UTC
lab_run rtcal status
lab_run rtcal show
lab_run rtcal systohc
lab_run rtcal show --json
offset=$(echo "$LAB_OUT" | sed -n 's/.*"system_minus_rtc": *\([-0-9.e]*\).*/\1/p')
lab_within demo-show-after-systohc "$offset" -0.025 0.025 "s: system clock minus RTC after systohc"
# The project's own probe (no rtcal code) times the RTC's edges by polling
# RTC_RD_TIME: the RTC's edge minus the system clock, in ms.
lab_run rtcal_lab_probe poll /dev/rtc0 3
lab_within demo-probe-after-systohc "$(lab_field median_offset_ms "$LAB_OUT")" -25 25 \
  "ms: the independent probe's RTC edge minus the system clock after systohc"
lab_run rtcal status
lab_run rtcal predict --date '+30 days'
lab_run cat /etc/adjtime
lab_run cat /var/lib/rtcal/measurements.jsonl

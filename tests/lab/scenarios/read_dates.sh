# Guest scenario: the RTC starts at an awkward -rtc base date. Both drivers
# (/dev/rtc0 through the kernel's rtc_cmos, and direct CMOS port I/O) must
# read it; then each sets the RTC one second before the base and watches four
# edges across it (the century roll at 1999-12-31, the leap day 2000-02-29,
# 2^31 s at 2038-01-19 03:14:08, 2099-12-31 into 2100).

now_sys=$(date +%s)  # the kernel set its clock from the RTC at boot (hctosys)
[ -n "${LAB_SET_RTC:-}" ] || lab_within hctosys "$((now_sys - LAB_BASE_UNIX))" 0 30 "s: system clock from the RTC at boot minus -rtc base $LAB_BASE"

for dev in /dev/rtc0 cmos; do
  tag=${dev##*/}
  lab_run rtcal_lab_tool read $dev
  got=$(lab_field unix "$LAB_OUT")
  lab_within read-$tag "$((${got:-0} - LAB_BASE_UNIX))" 0 30 "s: $dev read '$(lab_field rtc "$LAB_OUT")' minus -rtc base $LAB_BASE"
done

start=$((LAB_BASE_UNIX - 1))
want="$((start + 1)) $((start + 2)) $((start + 3)) $((start + 4)) "
for dev in /dev/rtc0 cmos; do
  tag=${dev##*/}
  lab_run rtcal_lab_tool set $dev "$(date -u -d @$start '+%Y-%m-%d %H:%M:%S')"
  lab_run rtcal_lab_tool edges $dev 4
  got=$(echo "$LAB_OUT" | sed -n 's/.* unix=\([0-9]*\).*/\1/p' | tr '\n' ' ')
  seen=$(echo "$LAB_OUT" | sed -n 's/.* rtc="\([^"]*\)".*/\1/p' | tr '\n' ',')
  lab_equal roll-$tag "$got" "$want" "(edges read: $seen)"
done

# The century register (0x32) follows the roll; both drivers agree afterwards.
lab_run rtcal_lab_tool cmos-regs
year=$(date -u -d @$((start + 4)) +%Y)
lab_equal century-register "$(lab_field century "$LAB_OUT")" "0x$(echo "$year" | cut -c1-2)" "for $year"
rtc0=$(rtcal_lab_tool read /dev/rtc0)
cmos=$(rtcal_lab_tool read cmos)
lab_within drivers-agree "$(($(lab_field unix "$cmos") - $(lab_field unix "$rtc0")))" 0 1 "s: cmos minus /dev/rtc0 read back to back"

#!/usr/bin/env bash
# The automatic calibration loop on the simulated RTC (virtual clock), end to
# end: an RTC gaining 10 ppm while on and 40 ppm while off. Five days of
# boot (apply logs a boot record) -> NTP syncs the clock -> measure --boot
# -> 8 h on -> shutdown (measures, sets the RTC, logs) -> 16 h off. Then drift
# finds both rates, drift --auto writes the off-rate's factor only when tight,
# and the next boot's apply corrects the off interval with the off-rate: the
# system clock lands within 1 ms of true time. Also: the
# boot record once per boot, --no-boot-record, --dry-run, and measure --boot
# refused (exit 4) without a boot record; trim --from-fit takes the off-rate.
. "$(dirname "$0")/../lib.sh"
sim_world
count() { grep -c "\"type\":\"$1\"" "$L" || true; }
T0=1793491200  # 2026-11-01 00:00:00 UTC

expect_code 0 "$RTCAL" sim init "$W" --at $T0 --rate-ppm 10 --off-rate-ppm 40
printf -- '0.000000 %s 0.000000\n%s\nUTC\n' $T0 $T0 >"$A"

# --- measure --boot without a boot record: refused, nothing logged -----------
expect_code 4 rt measure --boot --system-error 0
expect_contains "holds no boot record for this boot ($(sim boot_id))" "$T/err"
[ ! -e "$L" ] || fail "a refused measure --boot wrote the log"

# --- apply: --no-boot-record and --dry-run log nothing; then once per boot ---
expect_code 0 rt apply --no-boot-record
[ ! -e "$L" ] || fail "--no-boot-record wrote the log"
expect_code 0 rt --dry-run apply
expect_contains '"type":"boot"' "$T/out"
[ ! -e "$L" ] || fail "--dry-run wrote the log"

for day in 1 2 3 4 5; do
  expect_code 0 rt apply
  expect_code 0 rt apply  # twice in one boot: one boot record
  expect_code 0 "$RTCAL" sim sync "$W"
  expect_code 0 rt --json measure --boot --system-error 0 --sigma 0.001
  [ "$(json_get source)" = boot ] || fail "measure --boot source: $(cat "$T/out")"
  expect_code 0 "$RTCAL" sim advance "$W" 8h
  expect_code 0 rt shutdown
  expect_code 0 "$RTCAL" sim power-off "$W" 16h
done
[ "$(count boot)" = 5 ] || fail "expected 5 boot records, got $(count boot)"
[ "$(count shutdown)" = 5 ] || fail "expected 5 shutdown records"

# The boot measurement is the RTC's error at the boot edge: 16 h at 40 ppm =
# +2.304 s on days 2..5 (the shutdown set the RTC right).
raw=$(grep '"source":"boot"' "$L" | tail -1 | jq -r .boot_edge_rtc_error)
near "$raw" 2.304 0.002 "RTC error at the last boot edge"

expect_code 0 rt --json drift
near "$(json_get rate_on_s_per_day)" 0.864 0.01 "on-rate (10 ppm)"
near "$(json_get rate_off_s_per_day)" 3.456 0.01 "off-rate (40 ppm)"
[ "$(json_get ci95_off_s_per_day)" != null ] || fail "no ci95 for the off-rate"
expect_code 0 rt drift
expect_contains "Two rates: while on the RTC gains 0.86" "$T/out"

# --- drift --auto: only a tight fit is written; the factor is the off-rate's --
before=$(cat "$A")
expect_code 0 rt drift --auto --tight 0.000001
expect_contains "drift --auto: factor not written: the off-rate's 95% interval" "$T/out"
[ "$(cat "$A")" = "$before" ] || fail "drift --auto wrote a loose fit"
expect_code 0 rt --dry-run drift --auto --tight 0.01
[ "$(cat "$A")" = "$before" ] || fail "drift --auto --dry-run wrote adjtime"
expect_code 0 rt --json drift --auto --tight 0.01
[ "$(json_get write)" = true ] && [ "$(json_get written)" = true ] || fail "drift --auto: $(cat "$T/out")"
near "$(awk 'NR==1 { print $1 }' "$A")" -3.455862 0.0001 "the factor written (the off-rate per RTC day)"
expect_code 2 rt drift --auto --write

# --- the next boot: apply with the off-rate lands within 1 ms ---------------
near "$(sim system_error_s)" 2.304 1 "system clock at power-on (from the RTC)"
expect_code 0 rt -v apply
expect_contains "two-rate fit:" "$T/err"
near "$(sim system_error_s)" 0 0.001 "system clock after apply"

# --- shutdown when not synchronised: only the time ---------------------------
before=$(count step)
expect_code 0 rt shutdown
expect_contains "not NTP-synchronised" "$T/out"
[ "$(count step)" = "$before" ] || fail "an unsynchronised shutdown set the RTC"
expect_code 0 rt --dry-run shutdown
expect_contains "Would append to $L" "$T/out"

# --- trim --from-fit programs the off-rate (40 ppm), not the blend ----------
# The single-rate fit over 8 h on / 16 h off would be about 30 ppm.
W2=$T/w2.json
expect_code 0 "$RTCAL" sim init "$W2" --at $T0 --rate-ppm 10 --off-rate-ppm 40 --trim-step-ppb 1000 --trim-range-ppb 100000
expect_code 0 "$RTCAL" --rtc "sim:$W2" --adjfile "$A" --log "$L" --dry-run trim --from-fit
expect_contains "The fitted off-rate (the RTC's own, while the machine is off) is +" "$T/out"
ppb=$(grep -o 'the offset that cancels it is [+-][0-9]*' "$T/out" | grep -o '[+-][0-9]*$')
near "${ppb#+}" 40000 20 "the trim that cancels the off-rate (ppb)"

# --- the kernel's 11-minute mode: it writes the RTC while synchronised ------
# A synchronised shutdown then logs a reset first: the RTC's error since the
# boot is the kernel's doing. The fit keeps only shutdown -> next boot edge,
# the off-rate (40 ppm), and the next boot's apply lands within 1 ms. Without
# the reset the on-intervals would claim the RTC loses 2.3 s in 8 h.
W3=$T/w3.json A3=$T/adjtime3 L3=$T/log3.jsonl
rk() { "$RTCAL" --rtc "sim:$W3" --adjfile "$A3" --log "$L3" "$@"; }
expect_code 0 "$RTCAL" sim init "$W3" --at $T0 --rate-ppm 10 --off-rate-ppm 40 --kernel-rtc-writes
printf -- '0.000000 %s 0.000000\n%s\nUTC\n' $T0 $T0 >"$A3"
for day in 1 2 3 4 5; do
  expect_code 0 rk apply
  expect_code 0 "$RTCAL" sim sync "$W3"
  expect_code 0 rk measure --boot --system-error 0 --sigma 0.001
  expect_code 0 "$RTCAL" sim advance "$W3" 8h
  [ "$(sim3=$("$RTCAL" sim show "$W3" --json | jq -r .rtc_error_s); echo "${sim3#-}" | awk '{ print ($1 < 0.01) }')" = 1 ] ||
    fail "the sim's kernel did not write the RTC during the day"
  expect_code 0 rk shutdown
  expect_contains "The kernel has been writing the RTC (11-minute mode)" "$T/out"
  expect_code 0 "$RTCAL" sim power-off "$W3" 16h
done
[ "$(grep -c '"type":"reset"' "$L3")" = 5 ] || fail "expected 5 kernel resets in $L3"
expect_code 0 rk --json drift
near "$(json_get rate_s_per_day)" 3.456 0.01 "the fit's rate with the kernel writing (the off-rate)"
expect_code 0 rk drift --auto --tight 0.01
near "$(awk 'NR==1 { print $1 }' "$A3")" -3.455862 0.001 "the factor written (the off-rate per RTC day)"
expect_code 0 rk apply
near "$("$RTCAL" sim show "$W3" --json | jq -r .system_error_s)" 0 0.001 "system clock after apply (kernel writing)"

# --- with the loop running, chronyd's rtcsync is a note, not a warning -------
mkdir -p "$RTCAL_SYSCONF_ROOT/etc/chrony"
printf 'pool 2.debian.pool.ntp.org iburst\nrtcsync\n' >"$RTCAL_SYSCONF_ROOT/etc/chrony/chrony.conf"
expect_code 0 rk -v apply
! grep -q "warning:" "$T/err" || fail "apply warned with the loop running: $(cat "$T/err")"
expect_contains "chronyd 'rtcsync'" "$T/err"
expect_contains "the automatic calibration copes" "$T/err"
# a log without a shutdown record: still a warning
expect_code 0 "$RTCAL" --rtc "sim:$W3" --adjfile "$A3" --log "$T/empty.jsonl" apply --no-boot-record
expect_contains "warning: $RTCAL_SYSCONF_ROOT/etc/chrony/chrony.conf: chronyd 'rtcsync'" "$T/err"

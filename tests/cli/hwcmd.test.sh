#!/usr/bin/env bash
# The hwclock-like commands on the simulated RTC and system clock, with known
# answers: systohc lines the RTC's edge up with the system clock, adjust
# corrects 4 days of a 100 ppm drift, --update-drift recovers a known rate,
# hctosys sets the system clock from the corrected RTC, set --date, LOCAL in
# Europe/Berlin, the dead band, refusals (exit 4), --dry-run changes no file,
# step/reset records in the log, bad arguments exit 2 and change nothing.
. "$(dirname "$0")/../lib.sh"
command -v jq >/dev/null || skip "jq is needed to read the JSON output"

W=$T/w.json A=$T/adjtime L=$T/log.jsonl
# sim_get KEY: one field of `rtcal sim show --json`.
sim_get() { "$RTCAL" sim show "$W" --json | jq -r ".$1"; }
sums() { sha256sum "$W" "$A" "$L" 2>/dev/null || true; }

# --- systohc: RTC 10 s slow, gaining 100 ppm (8.64 s/day) --------------------
expect_code 0 "$RTCAL" sim init "$W" --at 1795427168 --offset -10 --rate-ppm 100
expect_code 0 rt show --json
near "$(json_get system_minus_rtc)" 10 0.001 "show: system - RTC before systohc"
[ "$(json_get rtc_time)" = "$(json_get corrected_time | cut -d. -f1)" ] || fail "no drift yet: corrected = raw"
expect_code 0 rt systohc
expect_contains "RTC set:" "$T/out"
near "$(sim_get rtc_error_s)" 0 0.001 "systohc: RTC error after"
expect_code 0 rt show --json
near "$(json_get system_minus_rtc)" 0 0.001 "systohc: the RTC's edge vs the system clock"
# Nothing needed the old value to the millisecond (no calibration in the log,
# no --update-drift): read to the second, logged as a reset with the step's range.
[ "$(jq -r .type "$L")" = reset ] || fail "systohc without a calibration: expected a reset record: $(cat "$L")"
range=$(jq -r .reason "$L" | sed -n 's/^systohc: .*the step was between \([-+0-9.]*\) and \([-+0-9.]*\) s$/\1 \2/p')
[ -n "$range" ] || fail "systohc: the reset's reason gives no range: $(cat "$L")"
awk -v r="$range" 'BEGIN { split(r, a, " "); exit !(a[1] <= 10 && 10 <= a[2] && a[2] - a[1] == 1) }' ||
  fail "systohc: the step (+10 s) is not in the range logged: $range"
[ "$(sed -n 3p "$A")" = UTC ] || fail "adjtime line 3: $(cat "$A")"
expect_code 0 rt show --fast --json
[ "$(json_get at_edge)" = false ] || fail "show --fast reads without the edge"
near "$(json_get system_minus_rtc)" 0.5 0.501 "show --fast: whole seconds only"
expect_code 0 rt show
expect_contains "at the seconds edge" "$T/out"
expect_contains "device:          sim:$W (sim)" "$T/out"
# A measurement in the log's open segment: the old value is read at its edge
# and the step logged exactly, so the calibration goes on across the set.
expect_code 0 "$RTCAL" sim init "$W" --force --at 1795427168 --offset -10 --rate-ppm 100
printf '{"type":"measurement","time":1795427100,"rtc_error":-10,"sigma":0.001,"source":"typed"}\n' >>"$L"
expect_code 0 rt -v systohc
expect_contains "reading the RTC at its seconds edge: the measurement log's calibration goes on" "$T/err"
near "$(sim_get rtc_error_s)" 0 0.001 "systohc with a calibration: RTC error after"
[ "$(tail -n1 "$L" | jq -r .type)" = step ] || fail "systohc with a calibration: expected a step record: $(cat "$L")"
near "$(tail -n1 "$L" | jq -r .amount)" 10 0.001 "systohc: logged step amount"
echo "ok: systohc"

# --- adjust after 4 days, with the factor matching the rate ------------------
# hwclock evaluates the drift at the RTC's reading, so the factor matching a
# rate of 100 ppm is -8.64 / 1.0001 s per RTC day.
ts=$(sed -n 2p "$A")
printf -- '-8.639136 %s 0.000000\n%s\nUTC\n' "$ts" "$ts" >"$A"
expect_code 0 "$RTCAL" sim advance "$W" 4d
near "$(sim_get rtc_error_s)" 34.56 0.002 "RTC error after 4 days"
expect_code 0 rt predict --date now --json
near "$(json_get drift)" -34.56 0.01 "predicted drift after 4 days"
expect_code 0 rt adjust
expect_contains "Adjusted the RTC by -34.56" "$T/out"
near "$(sim_get rtc_error_s)" 0 0.001 "adjust: RTC error after"
[ "$(tail -n1 "$L" | jq -r .reason)" = adjust ] || fail "adjust: no step record"
near "$(tail -n1 "$L" | jq -r .amount)" -34.56 0.002 "adjust: logged step"
# The anchor: the RTC was written at V + 0.5 s (first tick 0.5 s later) and
# last_adjust is V, so not_adjusted is -factor/86400 * 0.5 = +0.000050 s.
[ "$(awk 'NR==1{print $3}' "$A")" = 0.000050 ] || fail "adjust: not_adjusted: $(cat "$A")"
[ "$(awk 'NR==2' "$A")" = "$ts" ] || fail "adjust must keep the calibration time: $(cat "$A")"
# Right after: within the dead band, nothing changes.
before=$(sha256sum "$A" "$L")
expect_code 0 rt adjust
expect_contains "Needed adjustment is less than one second, so not setting clock." "$T/out"
[ "$(sha256sum "$A" "$L")" = "$before" ] || fail "adjust in the dead band changed adjtime or the log"
echo "ok: adjust"

# --- refusals: exit 4 with a one-line reason, files unchanged ----------------
printf -- '-1.000000 0 0.000000\n0\nUTC\n' >"$A"  # (a zero factor would be within the dead band first, as in hwclock)
before=$(sha256sum "$A" "$L")
expect_code 4 rt adjust
expect_contains "rtcal: $A: no adjustment history" "$T/err"
[ "$(wc -l <"$T/err")" = 1 ] || fail "refusal: one line expected"
printf '3000.000000 1795427168 0.000000\n1795427168\nUTC\n' >"$A"
before=$(sha256sum "$A" "$L")
expect_code 4 rt adjust
expect_contains "the drift factor 3000.000000 s/day is beyond ±2145 s/day" "$T/err"
[ "$(sha256sum "$A" "$L")" = "$before" ] || fail "a refused adjust changed a file"
echo "ok: refusals"

# --- --update-drift recovers a known rate over two calibrations --------------
rm -f "$A" "$L"
expect_code 0 "$RTCAL" sim init "$W" --force --at 1795427168 --offset 3 --rate-ppm 50
expect_code 0 rt systohc --update-drift
expect_contains "drift factor kept: no calibration recorded yet" "$T/out"
expect_code 0 "$RTCAL" sim advance "$W" 10d
expect_code 0 rt systohc --update-drift
near "$(awk 'NR==1{print $1}' "$A")" -4.32 0.001 "first calibration: 50 ppm = -4.32 s/day"
expect_code 0 "$RTCAL" sim advance "$W" 10d
expect_code 0 rt systohc --update-drift
near "$(awk 'NR==1{print $1}' "$A")" -4.32 0.001 "second calibration keeps the rate"
[ "$(jq -s 'map(select(.type=="step")) | length' "$L")" = 3 ] || fail "three steps logged: $(cat "$L")"
echo "ok: update-drift"

# --- hctosys sets the system clock to the drift-corrected RTC -----------------
# RTC 120.25 s fast at its last adjustment and gaining 50 ppm since; the
# system clock right. After 2 days the RTC is 128.89 s fast, the drift -8.64 s.
expect_code 0 "$RTCAL" sim init "$W" --force --at 1795427168 --offset 120.25 --rate-ppm 50
rm -f "$A" "$L"
printf -- '-4.319784 1795427288 0.000000\n1795427288\nUTC\n' >"$A"
expect_code 0 "$RTCAL" sim advance "$W" 2d
expect_code 0 rt hctosys
expect_contains "System clock stepped by +120.2" "$T/out"
near "$(sim_get system_error_s)" 120.25 0.001 "hctosys: system clock = corrected RTC"
expect_code 0 rt show --json
near "$(json_get corrected_time)" "$(json_get system_time)" 0.002 "hctosys: corrected RTC vs system clock"
[ "$(sim_get kernel_tz_warp_pending)" = false ] || fail "hctosys must send the time zone"
echo "ok: hctosys"

# --- set --date ---------------------------------------------------------------
# The date is what the RTC should read when the command starts.
start=$(sim_get true_time_unix_s)
expect_code 0 rt set --date '2030-01-01 00:00:00Z'
near "$(sim_get rtc_error_s)" "$(awk -v s="$start" 'BEGIN { printf "%.6f", 1893456000 - s }')" 0.001 "set --date: RTC error"
[ "$(tail -n1 "$L" | jq -r .type)" = reset ] || fail "set (no calibration in the log): no reset record"
tail -n1 "$L" | jq -r .reason | grep -q '^set: ' || fail "set: the reset's reason: $(tail -n1 "$L")"
echo "ok: set"

# --- LOCAL in Europe/Berlin: the fields hold local time -----------------------
export TZ=Europe/Berlin
expect_code 0 "$RTCAL" sim init "$W" --force --at 1795427168 --offset 0
rm -f "$A" "$L"
expect_code 0 rt --localtime systohc
[ "$(sed -n 3p "$A")" = LOCAL ] || fail "--localtime systohc writes LOCAL: $(cat "$A")"
near "$(sim_get rtc_error_s)" 3600 0.001 "LOCAL RTC in winter Berlin is UTC+1 (fields as UTC)"
expect_code 0 rt show --json
[ "$(json_get scale)" = LOCAL ] || fail "show: scale"
near "$(json_get system_minus_rtc)" 0 0.001 "LOCAL: system - RTC on the true scale"
expect_code 0 rt --utc show --json
near "$(json_get system_minus_rtc)" -3600 0.001 "the same RTC read as UTC is an hour ahead"
# systz with a LOCAL RTC: the kernel's first timezone call warps the clock by -60 min.
expect_code 0 rt systz
[ "$(sim_get kernel_tz_minutes_west)" = -60 ] || fail "systz: kernel zone"
near "$(sim_get system_error_s)" -3600 0.001 "systz warps a LOCAL clock once"
expect_code 0 rt systz
near "$(sim_get system_error_s)" -3600 0.001 "and only once"
# hctosys from the LOCAL RTC puts the system clock right again.
expect_code 0 rt hctosys
near "$(sim_get system_error_s)" 0 0.001 "hctosys from a LOCAL RTC"
# adjust across the spring DST change: at 00:59:00 UTC (01:59:00 CET) a LOCAL
# RTC 86.4 s fast reads 03:00:26 CEST; corrected, it must read 01:59:00 CET
# (fields as UTC = true + 3600), not 02:59:00 (the offset at the reading).
expect_code 0 "$RTCAL" sim init "$W" --force --at 1774745940 --offset 7286.40864 --edge-latency 0
printf -- '-8.640000 1773881940 0.000000\n1773881940\nLOCAL\n' >"$A"
expect_code 0 rt adjust
near "$(sim_get rtc_error_s)" 3600 0.002 "adjust across the DST change: LOCAL fields in CET"
unset TZ
echo "ok: LOCAL"

# --- --dry-run changes no file ------------------------------------------------
expect_code 0 "$RTCAL" sim init "$W" --force --at 1795427168 --offset 5 --invalid
printf '0.000000 1795000000 0.000000\n1795000000\nUTC\n' >"$A"
: >"$L"
before=$(sums)
expect_code 0 rt --dry-run set --date 2027-01-01
expect_code 1 rt --dry-run adjust
expect_code 1 rt --dry-run hctosys
expect_contains "holds no valid time" "$T/err"
expect_code 0 rt --dry-run systz
expect_contains "Would set the kernel time zone" "$T/out"
expect_code 0 rt --dry-run systohc
expect_contains "Would set:" "$T/out"
expect_contains "Would append to $L: {\"type\":\"reset\"" "$T/out"
expect_contains "Would write $A:" "$T/out"
[ "$(sums)" = "$before" ] || fail "--dry-run changed a file"
echo "ok: dry-run"

# --- a set over an invalid RTC is a reset record ------------------------------
expect_code 0 rt systohc
expect_contains "holds no valid time" "$T/err"
[ "$(jq -r .type "$L")" = reset ] || fail "expected a reset record: $(cat "$L")"
near "$(sim_get rtc_error_s)" 0 0.001 "systohc over an invalid RTC"
echo "ok: reset"

# --- bad arguments: exit 2, nothing changed -----------------------------------
before=$(sums)
expect_code 2 rt set
expect_code 2 rt set --date 'next blue moon'
expect_contains "rtcal: --date 'next blue moon': not a date" "$T/err"
expect_code 2 rt systohc --delay -0.5
expect_contains "rtcal: --delay: must be a number of seconds from 0 to 86400, got -0.500" "$T/err"
expect_code 2 rt adjust --update-drift
expect_code 2 rt hctosys extra
expect_code 2 "$RTCAL" --rtc "sim:$W" --noadjfile --log "$L" systohc
expect_contains "rtcal: --noadjfile: the RTC scale is unknown" "$T/err"
[ "$(sums)" = "$before" ] || fail "a bad command line changed a file"
echo "ok: bad arguments"

#!/usr/bin/env bash
# `rtcal sim` on the real binary: init, show --json, advance 4 days, show
# again (RTC 10 s slow gaining 100 ppm is 24.56 s fast), bad arguments exit 2
# and leave the file as it was, a malformed file exits 3 naming the file.
. "$(dirname "$0")/../lib.sh"

W=$T/world.json
# show_json FILE: run `sim show FILE --json`; its fields go to $T/fields as key=value lines.
show_json() {
  expect_code 0 "$RTCAL" sim show "$1" --json
  python3 -c 'import json,sys; [print(f"{k}={v}") for k, v in json.load(open(sys.argv[1])).items()]' "$T/out" >"$T/fields"
}
expect_field() { grep -qxF -- "$1=$2" "$T/fields" || { cat "$T/fields"; fail "expected $1=$2"; }; }
command -v python3 >/dev/null || skip "python3 is needed to read the JSON output"

expect_code 0 "$RTCAL" sim init "$W" --at 1795427168 --offset -10 --rate-ppm 100
expect_contains "created $W" "$T/out"
expect_contains "RTC error:     -10.000000 s (slow)" "$T/out"

show_json "$W"
expect_field clock virtual
expect_field true_time_unix_s 1795427168.0
expect_field rtc_reading "2026-11-23 09:45:58"
expect_field rtc_error_s -10.0
expect_field rtc_rate_ppm 100.0
expect_field rtc_gain_s_per_day 8.64
expect_field rtc_valid True

expect_code 0 "$RTCAL" sim advance "$W" 4d
expect_contains "advanced 4d (345600.000 s)" "$T/out"
show_json "$W"
expect_field true_time_unix_s 1795772768.0
expect_field rtc_error_s 24.56
expect_field rtc_reading_unix_s 1795772792
expect_code 0 "$RTCAL" sim show "$W"
expect_contains "RTC error:     +24.560000 s (fast)" "$T/out"

# Bad arguments: exit 2, and the file is exactly as it was.
before=$(sha256sum <"$W")
expect_code 2 "$RTCAL" sim advance "$W" 0
expect_contains "rtcal: DURATION: must be more than zero: '0'" "$T/err"
expect_code 2 "$RTCAL" sim advance "$W" -3h
expect_code 2 "$RTCAL" sim advance "$W" 3weeks
expect_contains "unknown unit: '3weeks'" "$T/err"
expect_code 2 "$RTCAL" sim advance "$W"
expect_code 2 "$RTCAL" sim init "$W" --force --first-tick 0
expect_contains "rtcal: --first-tick: must be more than 0 and at most 1 s" "$T/err"
expect_code 2 "$RTCAL" sim init "$W" --force --clock wall
expect_code 2 "$RTCAL" sim init "$W" --force --rate-ppm fast
expect_code 2 "$RTCAL" sim init "$W" --force --edge-latency 1
expect_contains "rtcal: --edge-latency: must be between 0 and 0.1 s" "$T/err"
expect_code 2 "$RTCAL" sim init "$W" --force --at 5000000000
expect_contains "rtcal: --at: must be unix seconds from 0 (1970) to below 4294967295 (2106)" "$T/err"
expect_code 2 "$RTCAL" sim init "$W" --force --at 100 --offset -200
expect_contains "rtcal: --offset: puts the RTC outside 1970..2106" "$T/err"
expect_code 2 "$RTCAL" sim advance "$W" 36000d
expect_contains "rtcal: DURATION: '36000d' would take true time past 2106-02-07" "$T/err"
expect_code 4 "$RTCAL" sim init "$W"
expect_contains "rtcal: sim:$W: already exists (add --force to overwrite it)" "$T/err"
expect_code 0 "$RTCAL" --dry-run sim advance "$W" 1d
expect_contains "would advance 1d" "$T/out"
[ "$(sha256sum <"$W")" = "$before" ] || fail "a refused or dry-run command changed $W"

# A missing file: exit 1, naming it and how to create it.
expect_code 1 "$RTCAL" sim show "$T/none.json"
expect_contains "rtcal: sim:$T/none.json: cannot read: No such file or directory (create it with: rtcal sim init $T/none.json)" "$T/err"

# A malformed file: exit 3, naming the file; the file is left alone.
printf '{"format": "rtcal-sim 1", "clock": ' >"$T/bad.json"
before=$(sha256sum <"$T/bad.json")
expect_code 3 "$RTCAL" sim advance "$T/bad.json" 1h
expect_contains "rtcal: sim:$T/bad.json: not valid JSON" "$T/err"
sed 's/"rtc_rate_ppm": 100.0/"rtc_rate_ppm": "100"/' "$W" >"$T/typed.json"
expect_code 3 "$RTCAL" sim show "$T/typed.json"
expect_contains "rtcal: sim:$T/typed.json: field 'rtc_rate_ppm' must be a number, got a string (fix the file or recreate it with: rtcal sim init $T/typed.json --force)" "$T/err"
[ "$(sha256sum <"$T/bad.json")" = "$before" ] || fail "a malformed file was changed"

# A dead battery shows as such; --force replaces the world.
expect_code 0 "$RTCAL" sim init "$W" --force --invalid --first-tick 1 --system-error 0.25 --at 1795427168.5
expect_contains "RTC reads:     nothing: no valid time (battery dead or never set)" "$T/out"
show_json "$W"
expect_field rtc_valid False
expect_field rtc_error_s None
expect_field system_error_s 0.25
expect_field true_time_unix_s 1795427168.5
expect_field rtc_first_tick_s 1.0

# Real mode follows this machine's clock (read only).
expect_code 0 "$RTCAL" sim init "$T/real.json" --clock real --offset 3
show_json "$T/real.json"
expect_field clock real
now=$(date +%s)
python3 - "$T/out" "$now" <<'PY' || fail "real mode: true time is not this machine's time"
import json, sys
j = json.load(open(sys.argv[1]))
assert abs(j["true_time_unix_s"] - float(sys.argv[2])) < 5, j
assert abs(j["rtc_error_s"] - 3) < 0.01, j
PY
echo "sim: ok"

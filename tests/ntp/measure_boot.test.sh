#!/usr/bin/env bash
# `rtcal measure --boot --ntp` against a real chronyd on loopback, on the
# simulated RTC in "real" clock mode (true time = this machine's clock, which
# the honest server also serves). apply logs the boot record (RTC 2.5 s fast)
# and steps the sim's system clock to the RTC; 2 s later measure --boot asks
# chronyd and finds the RTC's error at the boot edge, 2.5 s, although the
# system clock was stepped in between. Without a boot record: refused, exit 4.
# --sigma S with --ntp sets a floor under the record's sigma.
# Tolerance as in measure_set_from_ntp.test.sh (real sleeps on a loaded machine).
TOL=0.015
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/chronyd_lib.sh"
command -v jq >/dev/null || skip "jq is needed to read the JSON output"

W=$T/w.json A=$T/adjtime L=$T/log.jsonl
expect_code 0 "$RTCAL" sim init "$W" --clock real --offset 2.5 --system-error 0.3
printf '0.000000 1795427168 0.000000\n1795427168\nUTC\n' >"$A"

start_chronyd 0
expect_code 4 rt measure --boot --ntp "127.0.0.1:$CPORT" --samples 2
expect_contains "holds no boot record for this boot" "$T/err"

expect_code 0 rt apply
[ "$(jq -r 'select(.type == "boot") | .boot_id' "$L")" != "" ] || fail "no boot record: $(cat "$L")"
sleep 2
expect_code 0 rt measure --boot --ntp "127.0.0.1:$CPORT" --samples 2
rec=$(grep '"source":"boot"' "$L")
[ "$(jq -r .reference <<<"$rec")" = ntp ] || fail "record: $rec"
near "$(jq -r .boot_edge_rtc_error <<<"$rec")" 2.5 $TOL "the RTC's error at the boot edge"
near "$(jq -r .since_boot_edge_s <<<"$rec")" 2 0.5 "time since the boot edge"
# sigma: NTP's bound, the edge, and ~2 s x 100 ppm (the kernel is not synchronised).
near "$(jq -r .sigma <<<"$rec")" 0.0012 0.0015 "sigma"

# --sigma with --ntp: a floor for what is known to be worse than NTP's bound
# (lab.autocal: the RTC's edge under emulation); a bad one is refused, nothing logged.
before=$(cat "$L")
expect_code 2 rt measure --boot --ntp "127.0.0.1:$CPORT" --samples 1 --sigma 0
expect_contains "--sigma" "$T/err"
expect_code 2 rt measure --boot --ntp "127.0.0.1:$CPORT" --samples 1 --boot-freq-ppm 5000  # checked with --ntp too
expect_contains "--boot-freq-ppm: must be from 0 to 1000 ppm" "$T/err"
[ "$(cat "$L")" = "$before" ] || fail "a refused --sigma wrote the log"
expect_code 0 rt --json measure --boot --ntp "127.0.0.1:$CPORT" --samples 1 --sigma 0.01
near "$(json_get sigma)" 0.01 0.0002 "sigma with --sigma 0.01 (the floor, with the edge's 1 ms in quadrature)"
near "$(json_get boot_edge_rtc_error)" 2.5 $TOL "the RTC's error at the boot edge, again"
echo "ok: measure --boot against chronyd"

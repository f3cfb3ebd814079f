#!/usr/bin/env bash
# An unlogged reset among few readings (issue 13): seven readings, a -13.5 s
# step between lines 3 and 4. Without the step the fit must leave lines 2
# and 3 out as typos; with it every reading fits, so drift reports the step
# (below the chance threshold, on that ground), says which lines it explains
# and suggests `rtcal log reset --at`; once recorded, the step is a segment
# and no change point is reported. Before, drift printed 2.29 s/day +-1.1
# with two outliers (the true rate 2.5184).
. "$(dirname "$0")/../lib.sh"
export TZ=UTC

S="$T/sim.json"
L="$T/log.jsonl"
"$RTCAL" sim init "$S" --at 1799000000 >/dev/null
while read -r t e s; do
  printf '{"type":"measurement","time":%s,"rtc_error":%s,"sigma":%s,"source":"typed"}\n' "$t" "$e" "$s"
done >"$L" <<'ROWS'
1790000000 -8.675641 0.002
1790311421 0.403036 0.002
1794339296 117.808882 0.002
1794867236 119.876542 0.2
1794929351 121.619497 0.2
1795010162 123.858990 0.2
1795184000 128.906642 0.002
ROWS
cp "$L" "$T/before.jsonl"

expect_code 0 "$RTCAL" --log "$L" drift
expect_contains "The RTC gains 2.5184 s/day" "$T/out"
expect_contains "The RTC jumped -13.5" "$T/out"
expect_contains "between line 3 (2026-11-10 19:34:56 UTC) and line 4 (2026-11-16 22:13:56 UTC)" "$T/out"
expect_contains "without it lines 2, 3 had to be left out as typos" "$T/out"
expect_contains "rtcal log reset --at '2026-11-10 19:34:57 UTC'" "$T/out"
expect_code 0 "$RTCAL" --log "$L" drift --json
[ "$(jq -c .change_point.explained_lines "$T/out")" = "[2,3]" ] || fail "explained_lines: $(jq -c .change_point "$T/out")"
[ "$(jq .change_point.after_line "$T/out")" = 4 ] || fail "after_line"
[ "$(jq '.outliers | length' "$T/out")" = 0 ] || fail "outliers: $(jq -c .outliers "$T/out")"
near "$(jq .rate_s_per_day "$T/out")" 2.5184 0.0005 "rate with the step"
cmp -s "$L" "$T/before.jsonl" || fail "drift changed the log"

expect_code 0 "$RTCAL" --rtc "sim:$S" --log "$L" log reset --at '2026-11-10 19:34:57 UTC'
expect_code 0 "$RTCAL" --log "$L" drift --json
[ "$(jq .change_point "$T/out")" = null ] || fail "the recorded reset still reads as a change point"
[ "$(jq .segments "$T/out")" = 2 ] || fail "segments after log reset: $(jq .segments "$T/out")"
near "$(jq .rate_s_per_day "$T/out")" 2.5184 0.0005 "rate across the recorded reset"
echo ok

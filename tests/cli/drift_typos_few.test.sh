#!/usr/bin/env bash
# Two typos among five readings (issue 13): (n - 3) / 2 allows one flag, but
# only one line through three of the readings fits within their sigmas, so
# drift flags both (lines 2 and 5, +1e5 s), fits the other three, and says
# "1 degree of freedom". Before, it flagged none: 0.41 s/day came out as
# -7500 s/day +-59000.
. "$(dirname "$0")/../lib.sh"
export TZ=UTC

L="$T/log.jsonl"
while read -r t e s; do
  printf '{"type":"measurement","time":%s,"rtc_error":%s,"sigma":%s,"source":"typed"}\n' "$t" "$e" "$s"
done >"$L" <<'ROWS'
1790000000 14.700906 0.2
1790703727 100017.821852 0.002
1791797658 23.343950 0.2
1791900989 23.446324 0.2
1795184000 100039.408058 0.2
ROWS
expect_code 0 "$RTCAL" --log "$L" drift
expect_contains "5 measurements in 1 segment over 60.0 days; 3 used." "$T/out"
expect_contains "(Student's t, 1 degree of freedom)" "$T/out"
[ "$(grep -c 'OUTLIER: left out of the fit' "$T/out")" = 2 ] || fail "two outliers expected"
expect_code 0 "$RTCAL" --log "$L" drift --json
[ "$(jq -c '[.points[] | select(.outlier) | .line]' "$T/out")" = "[2,5]" ] || fail "outlier lines: $(jq -c '[.points[] | select(.outlier) | .line]' "$T/out")"
near "$(jq .rate_s_per_day "$T/out")" 0.4054 0.001 "rate from the three good readings"
echo ok

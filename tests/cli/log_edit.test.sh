#!/usr/bin/env bash
# rtcal log end to end: records listed with their line numbers; two gross
# typos among 20 readings found by drift without help; a typo dropped with
# `log drop` (appended, nothing rewritten, honoured by drift, report and
# status); an unlogged reset found by drift as a change point and recorded
# with the `log reset --at` it suggests; a note; --dry-run writes nothing;
# adjtimex's clocks.log imported (once); bad lines and bad numbers refused
# naming file, line and field; implausible logs (ms times, sigma 1e-200,
# rtc_error 1e300, step 1e308) refused by drift, report and status without
# hanging.
. "$(dirname "$0")/../lib.sh"
export TZ=UTC

S="$T/sim.json"
L="$T/log.jsonl"
"$RTCAL" sim init "$S" --at 1799000000 >/dev/null
rt() { "$RTCAL" --rtc "sim:$S" --log "$L" --noadjfile --utc "$@"; }

# 20 readings, 3 days apart, gaining 0.864 s/day; two +1e5 s typos.
python3 - >"$L" <<'PY'
import random; random.seed(7)
for i in range(20):
    t = 1795000000 + i * 3 * 86400
    e = 5 + 0.864 * i * 3 + random.gauss(0, 0.05) + (1e5 if i in (6, 13) else 0)
    print('{"type":"measurement","time":%d,"rtc_error":%.4f,"sigma":0.05,"source":"typed"}' % (t, e))
PY
expect_code 0 rt drift --json
near "$(json_get rate_s_per_day)" 0.864 0.01 "rate with two typos"
[ "$(jq -c .outliers "$T/out")" = "[6,13]" ] || fail "outliers: $(jq -c .outliers "$T/out")"

# The list: numbered by line.
expect_code 0 rt log
expect_contains "     7  2026-12-06 11:06:40 UTC  measurement  +100020." "$T/out"

# Drop line 7: --dry-run first (nothing written), then for real.
before=$(md5sum <"$L")
expect_code 0 rt --dry-run log drop 7 --reason typo
[ "$(md5sum <"$L")" = "$before" ] || fail "--dry-run changed the log"
expect_contains 'would append: {"type":"drop","time":1799000000.0,"line":7,"reason":"typo"}' "$T/out"
expect_code 0 rt log drop 7 --reason typo
[ "$(head -n 20 "$L" | md5sum)" = "$before" ] || fail "log drop rewrote earlier lines"
expect_code 0 rt log note 8 "checked twice"
expect_code 2 rt log drop 7
expect_contains "line 7: is already dropped" "$T/err"
expect_code 2 rt log drop 99
expect_contains "line 99: holds no measurement, step or reset" "$T/err"
expect_code 0 rt log
expect_contains "[DROPPED]" "$T/out"
expect_contains "[note: checked twice]" "$T/out"
expect_code 0 rt drift --json
[ "$(jq -c .outliers "$T/out")" = "[13]" ] || fail "after the drop: outliers $(jq -c .outliers "$T/out")"
[ "$(json_get n)" = 18 ] || fail "after the drop: n $(json_get n)"
expect_code 0 rt report
expect_contains "dropped" "$T/out"
expect_code 0 rt status --json
[ "$(jq .log.drops "$T/out")" = 1 ] || fail "status drops"

# An unlogged reset: +37 s from reading 13 of a clean log.
L2="$T/reset.jsonl"
python3 - >"$L2" <<'PY'
import random; random.seed(3)
for i in range(20):
    t = 1795000000 + i * 3 * 86400
    e = 5 + 0.864 * i * 3 + random.gauss(0, 0.05) + (37.0 if i >= 12 else 0)
    print('{"type":"measurement","time":%d,"rtc_error":%.4f,"sigma":0.05,"source":"beep"}' % (t, e))
PY
expect_code 0 "$RTCAL" --log "$L2" drift
expect_contains "The RTC jumped +3" "$T/out"
expect_contains "between line 12 (2026-12-21 11:06:40 UTC) and line 13 (2026-12-24 11:06:40 UTC)" "$T/out"
expect_contains "rtcal log reset --at '2026-12-21 11:06:41 UTC'" "$T/out"
expect_code 0 "$RTCAL" --rtc "sim:$S" --log "$L2" log reset --at '2026-12-21 11:06:41 UTC'
expect_code 0 "$RTCAL" --log "$L2" drift --json
[ "$(json_get change_point)" = null ] || fail "the recorded reset still reads as a change point"
[ "$(json_get segments)" = 2 ] || fail "segments after log reset: $(json_get segments)"
near "$(json_get rate_s_per_day)" 0.864 0.01 "rate across the reset"
expect_code 2 "$RTCAL" --rtc "sim:$S" --log "$L2" log reset --at '2030-01-01'
expect_contains "is in the future" "$T/err"

# adjtimex's clocks.log.
C="$T/clocks.log"
cat >"$C" <<'LOG'
# written by adjtimex --log --host
2026-11-23 10:56 1795427760.25 0.05 1795427760.661 10000 0 y 1795427772.650 y
2026-11-30 10:56 0 0 1796032560.661 10000 0 y 1796032573.650 y
2026-12-07 10:56 1796637360.50 0.05 1796637360.9 10000 0 y 1796637374.30 n
LOG
L3="$T/imported.jsonl"
expect_code 0 "$RTCAL" --rtc "sim:$S" --log "$L3" --dry-run log import "$C"
[ ! -e "$L3" ] || fail "import --dry-run wrote the log"
expect_code 0 "$RTCAL" --rtc "sim:$S" --log "$L3" log import "$C"
expect_contains "Appended 3 records" "$T/out"
[ "$(jq -s -c '[.[] | .type]' "$L3")" = '["measurement","reset","measurement"]' ] || fail "imported records"
[ "$(jq -s '.[0].rtc_error' "$L3")" = 12.4 ] || fail "imported rtc_error $(jq -s '.[0].rtc_error' "$L3")"
expect_code 0 "$RTCAL" --rtc "sim:$S" --log "$L3" log import "$C"
expect_contains "Nothing to import" "$T/out"
echo "2026-12-08 10:56 17x 0.05 1 10000 0 y 1796637374.30 y" >>"$C"
expect_code 3 "$RTCAL" --rtc "sim:$S" --log "$L3" log import "$C"
expect_contains "clocks.log:5: REF (field 3) is not a number" "$T/err"

# Implausible numbers: refused naming line and field, never a hang.
for bad in '"time":1795000000000,"rtc_error":1,"sigma":0.1|looks like milliseconds' \
           '"time":1795000000,"rtc_error":1,"sigma":1e-200|outside 1 ns to 1 day' \
           '"time":1795000000,"rtc_error":1,"sigma":1e300|outside 1 ns to 1 day' \
           '"time":1795000000,"rtc_error":1e300,"sigma":0.1|more than 100 years'; do
  B="$T/bad.jsonl"
  cp "$L2" "$B"
  echo "{\"type\":\"measurement\",${bad%%|*},\"source\":\"typed\"}" >>"$B"
  expect_code 3 timeout 10 "$RTCAL" --log "$B" drift
  expect_contains "bad.jsonl:22: " "$T/err"
  expect_contains "${bad##*|}" "$T/err"
  expect_code 0 timeout 10 "$RTCAL" --log "$B" report
  expect_contains "bad.jsonl:22: " "$T/err"
done
cp "$L2" "$T/step.jsonl"; echo '{"type":"step","time":1796000000,"amount":1e308,"reason":"set"}' >>"$T/step.jsonl"
expect_code 3 timeout 10 "$RTCAL" --log "$T/step.jsonl" drift
expect_contains 'field "amount" is 1e+308 s, more than 100 years' "$T/err"
echo ok

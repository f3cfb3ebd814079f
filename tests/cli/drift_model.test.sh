#!/usr/bin/env bash
# rtcal drift's model check end to end: a log whose rate changes from 1 to
# 3 s/day over 60 days (aging) is reported as not fitting a straight line
# (model quadratic, the rate at the last reading, the aging per year);
# `drift --write` refuses it (exit 4, adjtime unchanged, the message names
# the cause and the fix) and `--write --force` stores the rate at the last
# reading. A clean log of the same length fits and writes without --force.
. "$(dirname "$0")/../lib.sh"
export TZ=UTC

L="$T/aging.jsonl"
C="$T/clean.jsonl"
ADJ="$T/adjtime"
for i in $(seq 0 12); do
  awk -v i="$i" 'BEGIN {
    d = i * 5; t = 1790000000 + d * 86400; n = (i % 2 ? 0.03 : -0.03)
    printf "{\"type\":\"measurement\",\"time\":%.3f,\"rtc_error\":%.4f,\"sigma\":0.05,\"source\":\"typed\"}\n", t, 3 + d + d * d / 60 + n
  }' >>"$L"
  awk -v i="$i" 'BEGIN {
    d = i * 5; t = 1790000000 + d * 86400; n = (i % 2 ? 0.03 : -0.03)
    printf "{\"type\":\"measurement\",\"time\":%.3f,\"rtc_error\":%.4f,\"sigma\":0.05,\"source\":\"typed\"}\n", t, 3 + 2 * d + n
  }' >>"$C"
done

expect_code 0 "$RTCAL" --log "$L" --noadjfile drift --json
[ "$(json_get model_fits)" = false ] || fail "model_fits: $(json_get model_fits)"
[ "$(json_get model)" = quadratic ] || fail "model: $(json_get model)"
near "$(json_get rate_s_per_day)" 3 0.01 "rate now"
near "$(json_get linear_rate_s_per_day)" 2 0.05 "straight line's rate"
near "$(json_get aging_s_per_day_per_year)" 12.175 0.2 "aging"
jq -e '.ci95_s_per_day[0] <= 3 and 3 <= .ci95_s_per_day[1]' "$T/out" >/dev/null || fail "interval misses 3"
expect_code 0 "$RTCAL" --log "$L" --noadjfile drift
expect_contains "The rate is not constant" "$T/out"
expect_contains "Model: quadratic" "$T/out"

printf -- '0.000000 1795000000 0.000000\n1795000000\nUTC\n' >"$ADJ"
before=$(sha256sum <"$ADJ")
expect_code 4 "$RTCAL" --log "$L" --adjfile "$ADJ" drift --write
expect_contains "the drift rate is not constant" "$T/err"
expect_contains "--force" "$T/err"
[ "$before" = "$(sha256sum <"$ADJ")" ] || fail "a refused --write changed adjtime"
expect_code 4 "$RTCAL" --log "$L" --adjfile "$ADJ" drift --write --json
[ "$before" = "$(sha256sum <"$ADJ")" ] || fail "a refused --write --json changed adjtime"
expect_code 0 "$RTCAL" --log "$L" --adjfile "$ADJ" drift --write --force
f=$(sed -n 1p "$ADJ" | awk '{print $1}')
near "$f" -3 0.01 "forced factor"

expect_code 0 "$RTCAL" --log "$C" --noadjfile drift --json
[ "$(json_get model_fits)" = true ] || fail "clean log: model_fits $(json_get model_fits)"
[ "$(json_get model)" = linear ] || fail "clean log: model"
expect_code 0 "$RTCAL" --log "$C" --adjfile "$ADJ" drift --write
near "$(sed -n 1p "$ADJ" | awk '{print $1}')" -2 0.001 "clean factor"
echo "drift_model: ok"

#!/usr/bin/env bash
# rtcal drift's misfit widening end to end (ModelCheck::misfit, calibration/
# fit_misfit.cc), on a log whose numbers can be worked out by hand: four NTP
# readings (sigma 2 ms) at days 0, 20, 40, 60 on e = d^2 / 120 s (the rate
# goes from 0 to 1 s/day; too few readings to test a quadratic). The line's
# rate is 0.5 s/day, its residuals are +-10/3 s, so the misses' RMS beyond
# the sigmas is A = sqrt(4 (10/3)^2 / 2) = 4.7140 s (2 parameters), chi2 is
# 4 (10/3 / 0.002)^2 = 11111111, and the widening is the larger of
# sqrt(180) A / 60 days = 1.0541 s/day (a curve's rate-now gap) and
# 1.96 A / sqrt(2000 day^2) = 0.2066 s/day (independent misses). --json
# shows it (misfit_s_per_day and model_check's misfit_* keys), the 95%
# half-width is Student's t(2) x the scaled statistical sigma (4.3027 x
# 0.10541 = 0.4535) plus 1.0541, and the text says the interval was widened,
# why and by how much. Five NTP readings on a line at days 0-60 with the
# one at day 30 2 s high: it is flagged, the other four fit exactly, and the
# swing it needs (2 s over 15 days, 0.133 s/day) is one an RTC can have, so
# it may be a sawtooth's peak: A = sqrt(4 / 3) = 1.1547 s and the widening
# sqrt(180) A / 60 = 0.2582 s/day (evidence flagged_reading); 60 s high it
# is a typo (4 s/day) and nothing widens. A log that fits shows no widening.
. "$(dirname "$0")/../lib.sh"
export TZ=UTC
command -v jq >/dev/null || skip "jq is needed to read the JSON output"

L="$T/curve.jsonl"
C="$T/clean.jsonl"
for d in 0 20 40 60; do
  awk -v d="$d" 'BEGIN {
    printf "{\"type\":\"measurement\",\"time\":%d,\"rtc_error\":%.9f,\"sigma\":0.002,\"source\":\"ntp\"}\n", 1790000000 + d * 86400, d * d / 120
  }' >>"$L"
done
for i in $(seq 0 11); do
  awk -v i="$i" 'BEGIN {
    d = i * 5; n = (i % 2 ? 0.001 : -0.001)
    printf "{\"type\":\"measurement\",\"time\":%d,\"rtc_error\":%.6f,\"sigma\":0.002,\"source\":\"ntp\"}\n", 1790000000 + d * 86400, 3 + 0.25 * d + n
  }' >>"$C"
done

P="$T/peak.jsonl"
for i in 0 1 2 3 4; do
  awk -v i="$i" 'BEGIN {
    d = 15 * i
    printf "{\"type\":\"measurement\",\"time\":%d,\"rtc_error\":%.6f,\"sigma\":0.002,\"source\":\"ntp\"}\n", 1790000000 + d * 86400, 3 + 0.5 * d + (i == 2 ? 2 : 0)
  }' >>"$P"
done
sed '3s/"rtc_error":20.000000/"rtc_error":78.000000/' "$P" >"$T/typo.jsonl"

mc() { jq -r ".model_check.$1" "$T/out"; }
expect_code 0 "$RTCAL" --log "$L" --noadjfile drift --json
near "$(json_get rate_s_per_day)" 0.5 1e-6 "rate"
[ "$(jq -c .outliers "$T/out")" = "[]" ] || fail "outliers: $(jq -c .outliers "$T/out")"
[ "$(json_get model)" = linear ] || fail "model: $(json_get model)"
[ "$(mc misfit)" = true ] || fail "model_check.misfit: $(mc misfit)"
[ "$(mc misfit_evidence)" = chi2 ] || fail "misfit_evidence: $(mc misfit_evidence)"
near "$(json_get misfit_s_per_day)" 1.0541 0.0005 "misfit_s_per_day"
near "$(mc misfit_curve_s_per_day)" 1.0541 0.0005 "misfit_curve_s_per_day"
near "$(mc misfit_scatter_s_per_day)" 0.2066 0.0005 "misfit_scatter_s_per_day"
near "$(mc misfit_rms_s)" 4.7140 0.0005 "misfit_rms_s"
near "$(mc misfit_chi2)" 11111111 100 "misfit_chi2"
near "$(mc misfit_chi2_threshold)" 13.8 0.5 "misfit_chi2_threshold (chi2 with 2 dof, 99.9%: 13.8; Wilson-Hilferty gives 14.1)"
half=$(jq '.ci95_s_per_day[1] - .rate_s_per_day' "$T/out")
near "$half" "$(awk 'BEGIN { print 4.302653 * 0.1054093 + 1.0540926 }')" 0.002 "95% half-width"
jq -e '.ci95_s_per_day[0] <= 1 and 1 <= .ci95_s_per_day[1]' "$T/out" >/dev/null || fail "interval misses the rate now, 1 s/day"

expect_code 0 "$RTCAL" --log "$L" --noadjfile drift
expect_contains "The readings miss the straight line by 4.714 s RMS beyond their sigmas" "$T/out"
expect_contains "with under 10 readings a varying rate and sigmas stated too small look alike" "$T/out"
expect_contains "The 95% interval above includes ± 1.0541 s/day" "$T/out"

expect_code 0 "$RTCAL" --log "$P" --noadjfile drift --json
[ "$(jq -c .outliers "$T/out")" = "[2]" ] || fail "peak: outliers $(jq -c .outliers "$T/out")"
[ "$(mc misfit_evidence)" = flagged_reading ] || fail "peak: misfit_evidence $(mc misfit_evidence)"
near "$(mc misfit_rms_s)" 1.1547 0.0005 "peak: misfit_rms_s"
near "$(json_get misfit_s_per_day)" 0.2582 0.0005 "peak: misfit_s_per_day"
near "$(jq '.ci95_s_per_day[1] - .rate_s_per_day' "$T/out")" 0.2582 0.0005 "peak: 95% half-width"
expect_code 0 "$RTCAL" --log "$P" --noadjfile drift
expect_contains "a reading flagged as an outlier may instead show a rate that varies" "$T/out"
expect_contains "The 95% interval above includes ± 0.2582 s/day" "$T/out"
expect_code 0 "$RTCAL" --log "$T/typo.jsonl" --noadjfile drift --json
[ "$(jq -c .outliers "$T/out")" = "[2]" ] || fail "typo: outliers $(jq -c .outliers "$T/out")"
[ "$(mc misfit)" = false ] || fail "typo: taken for structure ($(mc misfit_evidence))"
jq -e '.ci95_s_per_day[1] - .rate_s_per_day < 0.001' "$T/out" >/dev/null || fail "typo: interval widened"

expect_code 0 "$RTCAL" --log "$C" --noadjfile drift --json
near "$(json_get rate_s_per_day)" 0.25 0.0001 "clean rate"
[ "$(mc misfit)" = false ] || fail "clean log: model_check.misfit $(mc misfit)"
[ "$(mc misfit_evidence)" = none ] || fail "clean log: misfit_evidence $(mc misfit_evidence)"
[ "$(json_get misfit_s_per_day)" = 0 ] || fail "clean log: misfit_s_per_day $(json_get misfit_s_per_day)"
expect_code 0 "$RTCAL" --log "$C" --noadjfile drift
if grep -qF "The readings miss" "$T/out"; then fail "clean log: the text reports a misfit"; fi
echo "drift_misfit: ok"

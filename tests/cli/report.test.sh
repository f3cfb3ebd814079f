#!/usr/bin/env bash
# `rtcal report` on the real binary: a log with two segments (a reset), a
# known step, a 60 s typo and an hour jump. The table shows every record with
# its residual and flags; the text chart stays within its width and its
# points rise left to right for a gaining RTC and fall for a losing one; the
# SVG is well-formed XML with every point, a band and a line per segment and
# the clipped typo labelled; --dry-run writes no SVG and says so; an empty,
# missing or unreadable log and an unwritable SVG path fail with exit 1 and
# write nothing. Then measurements taken with `measure --system-error` on the
# simulated RTC give the simulated rate.
. "$(dirname "$0")/../lib.sh"
export TZ=UTC
command -v python3 >/dev/null || skip "python3 is needed to check the SVG and the chart"
command -v jq >/dev/null || skip "jq is needed to read the JSON output"

NOV1=1793491200  # 2026-11-01 00:00:00 UTC
# log_line TYPE DAY FIELDS: one record at NOV1 + DAY days.
rec() { echo "{\"type\":\"$1\",\"time\":$(awk -v d="$2" -v t=$NOV1 'BEGIN{printf "%.0f", t + d * 86400}'),$3}"; }
m() { rec measurement "$1" "\"rtc_error\":$2,\"sigma\":$3,\"source\":\"${4:-beep}\""; }
# Segment 1 gains 0.5 s/day from +1 s; -3 s step (adjust) on day 7; day 9 is
# a typo 60 s off. Reset on day 16; segment 2 from -2 s, an hour jump on day 21.
{
  m 0 1.0 0.2; m 2 2.05 0.2; m 4 2.95 0.2; m 6 4.0 0.2
  rec step 7 '"amount":-3,"reason":"adjust"'
  m 8 2.02 0.2; m 9 62.5 0.2; m 11 3.47 0.2; m 14 5.0 0.2
  rec reset 16 '"reason":"battery <changed>"'
  m 17 -1.5 0.2 ntp; m 19 -0.5 0.2 ntp; m 21 3600.5 0.2 ntp; m 23 3601.5 0.2 ntp
} >"$T/log.jsonl"
L=(--log "$T/log.jsonl")

# --json: the fit sees the shared rate, the typo and the hour jump.
expect_code 0 "$RTCAL" "${L[@]}" --json report
near "$(jq .fit.rate_s_per_day "$T/out")" 0.5 0.05 "rate"
[ "$(jq -c .fit.outlier_numbers "$T/out")" = "[6]" ] || fail "outliers: $(jq -c .fit.outlier_numbers "$T/out")"
[ "$(jq .measurements "$T/out")" = 12 ] || fail "measurements"
[ "$(jq .segments "$T/out")" = 2 ] || fail "segments"
[ "$(jq '[.rows[] | select(.type == "measurement")] | length' "$T/out")" = 12 ] || fail "measurement rows"
[ "$(jq -r '[.rows[].type] | join(",")' "$T/out")" = \
  "measurement,measurement,measurement,measurement,step,measurement,measurement,measurement,measurement,reset,measurement,measurement,measurement,measurement" ] \
  || fail "row order: $(jq -r '[.rows[].type] | join(",")' "$T/out")"
near "$(jq '.rows[] | select(.number == 11) | .hour_jump' "$T/out")" 3600 0 "hour jump size"
near "$(jq '.rows[] | select(.number == 6) | .residual' "$T/out")" 60 1 "the typo's residual"
[ "$(jq .svg "$T/out")" = null ] || fail "svg key without --svg"
near "$(jq '.fit.segments[1].reset_jump_s' "$T/out")" -8 0.3 "what the reset did"

# The table and the summary.
expect_code 0 "$RTCAL" "${L[@]}" report
expect_contains "  #  date (UTC)        seg  source   error s  sigma s  resid s  note" "$T/out"
expect_contains "  1  2026-11-01 00:00    1  beep      +1.000    0.200" "$T/out"
grep -qE '^  6  2026-11-10 00:00    1  beep     \+62\.500    0\.200  \+[0-9.]+  outlier$' "$T/out" || fail "the typo's row"
grep -qE '^ 11  2026-11-22 00:00    2  ntp    \+3600\.500    0\.200   [-+]0\.[0-9]+  jump \+1 h$' "$T/out" || fail "hour jump row"
expect_contains "     2026-11-08 00:00  step -3.000 s (adjust)" "$T/out"
expect_contains "     2026-11-17 00:00  reset: battery <changed> (new segment)" "$T/out"
expect_contains "Fit: the RTC gains 0." "$T/out"
expect_contains "outliers left out of the fit: #6" "$T/out"
expect_contains "hour jumps taken out just before #11" "$T/out"
expect_contains "     segment 2: 2026-11-18 to 2026-11-24, 4 measurements" "$T/out"
expect_contains "       the reset before it moved the RTC -7.9" "$T/out"
expect_contains "RTC error (s), + = RTC fast" "$T/out"
expect_contains "date (UTC, 2026)" "$T/out"
expect_contains "^ v beyond the edge" "$T/out"
expect_contains "S known step" "$T/out"
expect_contains ": R reset (new segment)" "$T/out"
awk 'length > 80 { print; bad = 1 } END { exit bad }' "$T/out" || fail "a line is wider than 80 columns"

# --width: used, and kept.
expect_code 0 "$RTCAL" "${L[@]}" report --width 120
awk 'length > 120 { bad = 1 } length > 100 { wide = 1 } END { exit bad || !wide }' "$T/out" || fail "--width 120 not used"
expect_code 2 "$RTCAL" "${L[@]}" report --width 39
expect_contains "rtcal: --width: must be 40 to 400 columns, got 39" "$T/err"

# The chart's shape: the rows of the 'o' marks, left to right, in the plot area.
o_rows() {
  python3 - "$1" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().split("\n")
top = next(i for i, l in enumerate(lines) if l.startswith("RTC error ("))
marks = []
for r, l in enumerate(lines[top + 1:]):
    m = re.match(r"^ *-?[0-9.]* [+|]", l)
    if not m or l[m.end():].startswith("-"):
        break
    marks += [(c, r) for c, ch in enumerate(l) if ch == "o" and c >= m.end()]
print(" ".join(str(r) for c, r in sorted(marks)))
PY
}
{ m 0 1.0 0.1; m 3 2.5 0.1; m 6 4.0 0.1; m 9 5.5 0.1; m 12 7.0 0.1; } >"$T/gain.jsonl"
{ m 0 1.0 0.1; m 3 -0.5 0.1; m 6 -2.0 0.1; m 9 -3.5 0.1; m 12 -5.0 0.1; } >"$T/lose.jsonl"
expect_code 0 "$RTCAL" --log "$T/gain.jsonl" report
read -r -a rows <<<"$(o_rows "$T/out")"
[ "${#rows[@]}" = 5 ] || fail "gaining: expected 5 points, rows: ${rows[*]}"
[ "${rows[0]}" -gt $((rows[4] + 8)) ] || fail "gaining RTC: points should rise left to right, rows: ${rows[*]}"
expect_contains "the RTC gains 0.50" "$T/out"
expect_code 0 "$RTCAL" --log "$T/lose.jsonl" report
read -r -a rows <<<"$(o_rows "$T/out")"
[ "${rows[0]}" -lt $((rows[4] - 8)) ] || fail "losing RTC: points should fall left to right, rows: ${rows[*]}"
expect_contains "the RTC loses 0.50" "$T/out"

# --svg: well-formed, every point, a band and a line per segment, the typo labelled.
expect_code 0 "$RTCAL" "${L[@]}" report --svg "$T/chart.svg"
expect_contains "Wrote the chart to $T/chart.svg" "$T/out"
python3 - "$T/chart.svg" <<'PY' || fail "SVG check"
import sys, xml.etree.ElementTree as ET
ns = {"s": "http://www.w3.org/2000/svg"}
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "{http://www.w3.org/2000/svg}svg", root.tag
def cls(c): return root.findall(f".//*[@class='{c}']")
assert len(cls("point")) == 10, len(cls("point"))          # 12 minus the typo and the hour jump
assert len(cls("hour-jump")) == 1 and len(cls("clipped")) == 1
bands, fits = cls("band"), cls("fit")
assert {b.get("data-segment") for b in bands} == {"1", "2"}, [b.get("data-segment") for b in bands]
assert {f.get("data-segment") for f in fits} == {"1", "2"}
assert len(bands) == 3 and len(fits) == 3                 # segment 1 cut at its step
text = " ".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
for want in ["RTC error over time: 12 measurements, 2 segments", "the RTC gains 0.", "+62.500 s", "reset",
             "step -3.000 s", "+1 h", "Nov 9", "date (UTC, 2026)", "RTC error (s), + = RTC fast"]:
    assert want in text, want
titles = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
assert "2026-11-10 00:00:00 UTC: +62.500 s ± 0.200 s (outlier, not fitted)" in titles, titles
print("svg ok:", len(cls("point")), "points,", len(bands), "bands")
PY
[ "$(stat -c %a "$T/chart.svg")" = 644 ] || fail "SVG mode"

# --dry-run: no SVG, and it says so.
expect_code 0 "$RTCAL" "${L[@]}" --dry-run report --svg "$T/dry.svg"
[ ! -e "$T/dry.svg" ] || fail "--dry-run wrote the SVG"
expect_contains "rtcal: --dry-run: $T/dry.svg not written" "$T/err"
expect_code 0 "$RTCAL" "${L[@]}" --dry-run --json report --svg "$T/dry.svg"
[ "$(jq .svg_written "$T/out")" = false ] || fail "svg_written with --dry-run"

# Failures: exit 1, a message naming the object, the cause and the fix; nothing written.
: >"$T/empty.jsonl"
expect_code 1 "$RTCAL" --log "$T/empty.jsonl" report --svg "$T/e.svg"
expect_contains "rtcal: $T/empty.jsonl: no measurements to report: the log is empty or missing (take one with rtcal measure" "$T/err"
[ ! -e "$T/e.svg" ] && [ ! -s "$T/out" ] || fail "an empty log wrote something"
expect_code 1 "$RTCAL" --log "$T/missing.jsonl" report
expect_contains "no measurements to report" "$T/err"
[ ! -e "$T/missing.jsonl" ] || fail "report created the log"
mkdir "$T/logdir"
expect_code 1 "$RTCAL" --log "$T/logdir" report
expect_contains "rtcal: $T/logdir: cannot read: Is a directory" "$T/err"
rec step 1 '"amount":1,"reason":"adjust"' >"$T/steps.jsonl"
expect_code 1 "$RTCAL" --log "$T/steps.jsonl" report
expect_contains "no measurement records in the log" "$T/err"
expect_code 1 "$RTCAL" "${L[@]}" report --svg "$T/no/such/dir/c.svg"
expect_contains "rtcal: $T/no/such/dir/c.svg: cannot create a temporary file in $T/no/such/dir: No such file or directory (create the directory first, or choose another file with --svg)" "$T/err"
[ ! -s "$T/out" ] || fail "printed a report although the SVG could not be written"
expect_code 1 "$RTCAL" "${L[@]}" report --svg "$T/logdir"
expect_contains "not a regular file" "$T/err"
[ -z "$(ls -A "$T/logdir")" ] || fail "a temp file was left behind"
expect_code 2 "$RTCAL" "${L[@]}" report --svg ''
expect_contains "rtcal: --svg: the file name is empty" "$T/err"

# One point, and all points at one time: no fit, but a table and a chart.
m 3 0.25 0.01 >"$T/one.jsonl"
expect_code 0 "$RTCAL" --log "$T/one.jsonl" report --svg "$T/one.svg"
expect_contains "No fit: " "$T/out"
expect_contains "RTC error (ms), + = RTC fast" "$T/out"
[ "$(o_rows "$T/out" | wc -w)" = 1 ] || fail "one point: $(o_rows "$T/out")"
python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$T/one.svg" || fail "one-point SVG"
{ m 3 0.25 0.01; m 3 0.25 0.01; m 3 0.25 0.01; } >"$T/same.jsonl"
expect_code 0 "$RTCAL" --log "$T/same.jsonl" report
awk 'length > 80 { bad = 1 } END { exit bad }' "$T/out" || fail "zero-width chart too wide"

# Measurements taken with the real command on the simulated RTC (50 ppm = 4.32 s/day).
W=$T/world.json
expect_code 0 "$RTCAL" sim init "$W" --at $NOV1 --offset 2 --rate-ppm 50
for i in 1 2 3 4; do
  expect_code 0 "$RTCAL" --rtc "sim:$W" --noadjfile --utc --log "$T/sim.jsonl" measure --system-error 0 --sigma 0.01
  expect_code 0 "$RTCAL" sim advance "$W" 2d
done
expect_code 0 "$RTCAL" --log "$T/sim.jsonl" --json report
near "$(jq .fit.rate_s_per_day "$T/out")" 4.32 0.01 "rate from the simulated RTC"
near "$(jq .fit.rate_ppm "$T/out")" 50 0.2 "ppm from the simulated RTC"
echo "1 passed, 0 failed"

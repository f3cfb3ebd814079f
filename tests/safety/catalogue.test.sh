#!/usr/bin/env bash
# The failure catalogue (README "When things go wrong"), on the simulated
# RTC: each failure a user can meet that needs no hardware, with its exact
# message and exit code. The hardware ones (RTC busy, /dev/rtc0 without
# permission, a dead CMOS battery) are in tests/lab/errors.test.sh, the NTP
# ones in tests/ntp/, the disk ones in tests/safety/disk.test.sh. Then the
# catalogue table itself (the README's section "When things go wrong") is
# checked: every row names a test file that exists and whose text holds the
# row's message.
. "$(dirname "$0")/../lib.sh"
cd "$T"
sim=$T/sim.json
good='-9.600000 1795000000 0.000000
1795000000
UTC'
printf '%s\n' "$good" >adjtime
printf '%s\n' '{"type":"measurement","time":1795000000,"rtc_error":0.5,"sigma":0.1,"source":"typed"}' >log.jsonl
"$RTCAL" sim init "$sim" --at 1795427168 --offset 30 --rate-ppm 200 >/dev/null
"$RTCAL" sim init "$T/dead.json" --at 1795427168 --invalid >/dev/null
r() { "$RTCAL" --adjfile "$T/adjtime" --log "$T/log.jsonl" "$@"; }

# entry NAME CODE MESSAGE CMD...: CMD exits CODE and its stderr holds MESSAGE;
# adjtime and the log are left as they were.
entry() {
  local name=$1 code=$2 message=$3; shift 3
  cp adjtime adjtime.before; cp log.jsonl log.before
  expect_code "$code" "$@"
  expect_contains "$message" "$T/err"
  cmp -s adjtime adjtime.before || fail "$name: adjtime changed"
  cmp -s log.jsonl log.before || fail "$name: the log changed"
  echo "ok: $name: exit $code: $(grep -F -- "$message" "$T/err" | head -n1)"
}

entry no-rtc 1 "rtcal: $T/rtc9: cannot open: No such file or directory (no RTC found: there is no such device)" \
  r --rtc "$T/rtc9" show
entry rtc-no-valid-time 1 "rtcal: sim:$T/dead.json: the RTC holds no valid time (battery dead or never set) (set it once the system clock is right, e.g. rtcal systohc; replace the battery if it happens after every power-off)" \
  r --rtc "sim:$T/dead.json" show
entry adjust-no-valid-time 1 "the RTC holds no valid time" r --rtc "sim:$T/dead.json" adjust
entry unknown-time-zone 2 "rtcal: TZ=Europe/Berln: unknown time zone: no /usr/share/zoneinfo/Europe/Berln and not a POSIX rule" \
  env TZ=Europe/Berln "$RTCAL" --adjfile "$T/adjtime" --rtc "sim:$sim" show
entry sim-missing 1 "rtcal: sim:$T/nope.json: cannot read: No such file or directory (create it with: rtcal sim init $T/nope.json)" \
  r --rtc "sim:$T/nope.json" show

# A corrupt adjtime: exit 3 naming the line, the file left alone.
printf '%s\n' 'abc 1795000000 0.000000' 1795000000 UTC >adjtime
entry corrupt-adjtime 3 "rtcal: $T/adjtime:1: expected a number of seconds per day, e.g. -1.250000, got 'abc' (correct line 1, or remove the file to start afresh with the defaults)" r --rtc "sim:$sim" adjust
entry corrupt-adjtime-write 3 "rtcal: $T/adjtime:1: " r factor --error 1 --days 2 --write
printf '%s\n' "$good" >adjtime

# A corrupt log line: reported with its line number and skipped; the rest counts.
printf '%s\n' 'this is not json' >>log.jsonl
entry corrupt-log 0 "log.jsonl:2: not valid JSON" r status
printf '%s\n' '{"type":"measurement","time":1795000000,"rtc_error":0.5,"sigma":0.1,"source":"typed"}' >log.jsonl

# No permission: a user who may not write the directory of adjtime.
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
  mkdir -p "$T/etc" && printf '%s\n' "$good" >"$T/etc/adjtime" && chmod 755 "$T" "$T/etc"
  chmod 644 "$T/etc/adjtime"
  cp "$T/etc/adjtime" "$T/etc.before"
  entry no-permission-adjtime 1 "Permission denied (run as root" \
    setpriv --reuid=65534 --regid=65534 --clear-groups "$RTCAL" --adjfile "$T/etc/adjtime" factor --error 1 --days 2 --write
  cmp -s "$T/etc/adjtime" "$T/etc.before" || fail "no-permission: adjtime changed"
fi

# The table: every row's test file exists and holds the row's message.
table=$T/catalogue.md
awk '/^## When things go wrong/ { on = 1; next } on && /^## / { on = 0 } on' "$RTCAL_SOURCE_DIR/README.md" >"$table"
[ -s "$table" ] || fail "README.md has no section '## When things go wrong'"
rows=0
while IFS='|' read -r _ failure code message test _; do
  message=$(echo "$message" | sed -e 's/^ *`//' -e 's/` *$//')
  test=$(echo "$test" | tr -d '`' | awk '{ print $1 }')
  [ -n "$test" ] || continue
  [ -f "$RTCAL_SOURCE_DIR/$test" ] || fail "catalogue row '$failure': no test file $test"
  # The message as the test spells it: the row's text up to the first
  # '<placeholder>' (if that leaves at least 12 characters).
  fixed=${message%%<*}
  [ ${#fixed} -ge 12 ] || fixed=$message
  # Where a test keeps its body beside it (disk_inner.sh, crash_kill.py) or
  # in a lab scenario (tests/lab/scenarios/NAME.sh), look there too.
  stem=$RTCAL_SOURCE_DIR/${test%.test.sh}
  scenario=$RTCAL_SOURCE_DIR/tests/lab/scenarios/$(basename "$stem").sh
  # grep reads the files itself: `cat | grep -q` fails under pipefail when
  # grep stops early and cat, with more to write, gets SIGPIPE.
  grep -qsF -- "$fixed" "$stem"* $([ -f "$scenario" ] && echo "$scenario") \
    || fail "catalogue row '$failure': '$fixed' is not in $test"
  rows=$((rows + 1))
done < <(grep '^| ' "$table" | grep -v '^| failure' )
[ "$rows" -ge 15 ] || fail "the catalogue has only $rows checked rows"
echo "ok: $rows catalogue rows each backed by a test that holds their message"

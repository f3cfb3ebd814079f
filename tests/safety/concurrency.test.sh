#!/usr/bin/env bash
# Concurrency (no --rtc for factor, so only adjtime's lock serialises it): rtcal processes that change the same state at once serialise
# on the locks and lose no update.
#  - 8 x `factor --added 1 --days 1 --write` at once: the factor ends where
#    8 of them one after another leave it (a lost update would leave less);
#  - 8 x `measure` at once: exactly 8 new whole records in the log;
#  - 6 x `sim advance 1d` at once on one sim file: exactly 6 days passed;
#  - 20 rounds of `adjust` and `systohc` at once on one sim + adjtime: both
#    succeed, every file parses, and the log holds one step record for each
#    command that reported a step;
#  - a lock whose holder was SIGKILLed does not block the next run; a lock
#    held by a live process makes rtcal give up after 10 s with a clear
#    error (exit 1) and leave the file as it was.
. "$(dirname "$0")/../lib.sh"
command -v python3 >/dev/null || skip "python3 holds a lock for the live-holder case"
command -v jq >/dev/null || skip "jq reads the JSON output"

D=$T/state
mkdir -p "$D"
sim=$D/sim.json adj=$D/adjtime log=$D/log.jsonl
r() { "$RTCAL" --rtc "sim:$sim" --adjfile "$adj" --log "$log" "$@"; }
expect_code 0 "$RTCAL" sim init "$sim" --at 1795427168 --offset 30 --rate-ppm 200

# --- lost updates on adjtime ---
printf '%s\n' '0.000000 1795000000 0.000000' 1795000000 UTC >"$adj"
pids=()
for i in 1 2 3 4 5 6 7 8; do "$RTCAL" --adjfile "$adj" factor --added 1 --days 1 --write >"$T/f$i.out" 2>&1 & pids+=($!); done
for p in "${pids[@]}"; do wait "$p" || { cat "$T"/f*.out; fail "a concurrent factor --write failed"; }; done
factor=$(head -c 9 "$adj")
# The same 8 updates one after another (the exact per-RTC-day update makes
# each a little more than +1): the concurrent result must equal it.
seq_adj=$T/adjtime.sequential
for i in 1 2 3 4 5 6 7 8; do "$RTCAL" --adjfile "$seq_adj" factor --added 1 --days 1 --write >/dev/null; done
want=$(head -c 9 "$seq_adj")
awk -v w="$want" 'BEGIN { exit !(w > 7.99 && w < 8.01) }' || fail "8 sequential +1 s/day updates gave '$want'"
[ "$factor" = "$want" ] || { cat "$adj"; fail "8 concurrent +1 s/day updates gave factor '$factor', not '$want' as one after another (lost update)"; }
echo "ok: 8 concurrent factor --write: factor $factor, as 8 in a row"

# --- lost appends on the log ---
pids=()
for i in 1 2 3 4 5 6 7 8; do r measure --system-error 0.0$i >"$T/m$i.out" 2>&1 & pids+=($!); done
for p in "${pids[@]}"; do wait "$p" || { cat "$T"/m*.out; fail "a concurrent measure failed"; }; done
n=$(jq -c 'select(.type=="measurement")' "$log" | wc -l)
[ "$n" = 8 ] || { cat "$log"; fail "8 concurrent measures left $n records"; }
echo "ok: 8 concurrent measure: 8 records"

# --- lost updates on the sim file ---
before=$("$RTCAL" sim show "$sim" --json | jq -r .true_time_unix_s)
pids=()
for i in 1 2 3 4 5 6; do "$RTCAL" sim advance "$sim" 1d >"$T/a$i.out" 2>&1 & pids+=($!); done
for p in "${pids[@]}"; do wait "$p" || { cat "$T"/a*.out; fail "a concurrent sim advance failed"; }; done
after=$("$RTCAL" sim show "$sim" --json | jq -r .true_time_unix_s)
near "$after" "$(awk -v b="$before" 'BEGIN { printf "%.3f", b + 6 * 86400 }')" 0.001 "6 concurrent 'sim advance 1d'"
echo "ok: 6 concurrent sim advance 1d: +6 days"

# --- adjust and systohc at once, many rounds ---
printf '%s\n' '-17.280000 1795427168 0.000000' 1795427168 UTC >"$adj"
steps=0
for round in $(seq 20); do
  "$RTCAL" sim advance "$sim" 1d >/dev/null
  r adjust >"$T/adj.out" 2>&1 & a=$!
  r systohc >"$T/sys.out" 2>&1 & s=$!
  wait "$a" || { cat "$T/adj.out"; fail "round $round: adjust failed"; }
  wait "$s" || { cat "$T/sys.out"; fail "round $round: systohc failed"; }
  expect_code 0 r status
  expect_code 0 "$RTCAL" sim show "$sim"
done
bad=$(jq -c . "$log" 2>&1 >/dev/null | wc -l)
[ "$bad" = 0 ] || fail "the log has lines that are not JSON"
n=$(jq -c 'select(.type=="step")' "$log" | wc -l)
[ "$n" -ge 20 ] || { cat "$log"; fail "20 rounds of systohc (and adjust) logged only $n steps"; }
echo "ok: 20 rounds of adjust + systohc at once: $n step records, every file parses"

# --- a killed holder's lock does not block ---
python3 -c 'import fcntl,os,sys,time; fd=os.open(sys.argv[1], os.O_RDWR|os.O_CREAT, 0o600); fcntl.flock(fd, fcntl.LOCK_EX); time.sleep(60)' "$D/.adjtime.lock" &
holder=$!
sleep 0.5
kill -KILL "$holder"; wait "$holder" 2>/dev/null || true
start=$(date +%s%N)
expect_code 0 r factor --added 1 --days 1 --write
took_ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$took_ms" -lt 3000 ] || fail "a lock left by a killed holder delayed the next run by $took_ms ms"
[ ! -e "$D/.adjtime.lock" ] || fail "the stale lock file was not removed"
echo "ok: a SIGKILLed holder's lock: next run took $took_ms ms"

# --- a live holder: a clear timeout error ---
python3 -c 'import fcntl,os,sys,time; fd=os.open(sys.argv[1], os.O_RDWR|os.O_CREAT, 0o600); fcntl.flock(fd, fcntl.LOCK_EX); print("held", flush=True); time.sleep(30)' "$D/.adjtime.lock" >"$T/holder" &
holder=$!
for _ in $(seq 50); do grep -q held "$T/holder" && break; sleep 0.1; done
cp "$adj" "$T/adj.before"
expect_code 1 r factor --added 1 --days 1 --write
kill "$holder"; wait "$holder" 2>/dev/null || true
expect_contains "rtcal: $D/.adjtime.lock: another rtcal holds the lock (waited 10.0 s)" "$T/err"
cat "$T/err"
cmp -s "$adj" "$T/adj.before" || fail "adjtime changed although the lock was busy"
echo "ok: a live holder: exit 1 after the timeout"

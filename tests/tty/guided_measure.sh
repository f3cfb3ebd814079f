# A real terminal: tmux runs the guided `rtcal measure` on a simulated RTC in
# "real" clock mode (RTC 3.5 s fast, simulated system clock 2 s ahead of this
# machine's clock, which plays true time), and this script plays a person
# with a reaction time of 0.25 s: in the practice round it watches the pane
# for rtcal's beep mark and presses Enter 0.25 s after seeing it; in the real
# round it types the time a speaking clock will announce (a few seconds
# ahead, UTC); the speaking clock is a second tmux window that prints its
# beep at that moment of true time, and the person watches that window's
# output the same way as rtcal's and presses Enter 0.25 s after seeing it.
# The recorded measurement must show the RTC's known error within 3 sigma,
# and the reaction measured in practice must be at least 0.25 s (plus the
# harness's latency). The person's latency in seeing a mark (tmux,
# pipe-pane, a poll of the file) is nearly the same for rtcal's beeps and the
# speaking clock's, so it mostly cancels with the reaction time (seen: a
# bias of +0.07 s left on a loaded machine, about 1 sigma).
# Bounded: every wait has a deadline; the tmux server runs on its own socket
# and is killed at exit.
#
# Sourced by guided_measure.test.sh (English) and guided_measure_ko.test.sh
# (Korean), which set before sourcing lib.sh and this file:
#   GUIDE_LANG_ENV   extra environment for rtcal (its language), may be empty
#   SAY_CHOICE SAY_REACTION SAY_ASK SAY_PRESS SAY_FIRST  what rtcal says, in that language
command -v tmux >/dev/null || skip "tmux is needed for a real terminal"
command -v jq >/dev/null || skip "jq is needed to read the log"

RTC_ERROR=3.5 SYSTEM_ERROR=2 REACTION=0.25
W=$T/w.json L=$T/log.jsonl SOCK=$T/tmux.sock
mkdir -p "$T/etc"  # no configured NTP servers: the guide offers human references only
expect_code 0 "$RTCAL" sim init "$W" --clock real --offset "$RTC_ERROR" --system-error "$SYSTEM_ERROR"

tm() { tmux -S "$SOCK" "$@"; }
trap 'tm kill-server 2>/dev/null || true; rm -rf "$T"' EXIT
# The pane waits (at most 10 s) for $T/go, so that pipe-pane below sees all of its output.
tm -f /dev/null new-session -d -s guided -x 160 -y 50 \
  "for i in \$(seq 200); do [ -e $T/go ] && break; sleep 0.05; done; env TZ=UTC RTCAL_SYSCONF_ROOT=$T/etc $GUIDE_LANG_ENV $RTCAL --rtc sim:$W --noadjfile --utc --log $L measure; echo EXIT=\$?; sleep 60"

# What the pane prints is streamed into a file (pipe-pane), so watching it is cheap and quick.
tm pipe-pane -t guided -o "cat >>$T/pane.log"
touch "$T/pane.log" "$T/go"
screen() { tm capture-pane -p -J -S -2000 -t guided; }
count() { grep -oF -- "$1" "${2:-$T/pane.log}" | wc -l; }
# wait_count TEXT N SECONDS [FILE]: until TEXT shows N times on the screen (or in FILE).
wait_count() {
  local deadline=$((SECONDS + $3))
  while [ "$(count "$1" "${4:-$T/pane.log}")" -lt "$2" ]; do
    [ $SECONDS -lt $deadline ] || { screen; fail "timed out waiting for '$1' x$2"; }
    sleep 0.005
  done
}
press() { tm send-keys -t guided:0 "$@" Enter; }

wait_count "$SAY_CHOICE" 1 10
press 2
# Press at every beep until rtcal reports the reaction: on a loaded machine a
# press can come later than rtcal's 1.5 s, and rtcal then beeps once more, so
# the beeps are counted, not the presses.
deadline=$((SECONDS + 120)) beeps=0
while [ "$(count "$SAY_REACTION")" -lt 1 ]; do
  [ $SECONDS -lt $deadline ] && [ "$(count "EXIT=")" = 0 ] || { screen; fail "the practice round did not end"; }
  if [ "$(count "*** BEEP ***")" -gt "$beeps" ]; then
    beeps=$((beeps + 1))
    sleep "$REACTION"
    press
  else
    sleep 0.005
  fi
done

for i in 1 2 3; do
  wait_count "$SAY_ASK" "$i" 15
  at=$(( $(date +%s) + 3 ))
  press "$(date -u -d "@$at" +%H:%M:%S) UTC"
  # the speaking clock: a second tmux window that prints its beep at true time $at
  tm new-window -d -t guided -n "clock$i" \
    "while [ \$(date +%s%N) -lt ${at}000000000 ]; do sleep 0.002; done; echo '<beep>'; sleep 30"
  touch "$T/clock$i.log"
  tm pipe-pane -t "guided:clock$i" -o "cat >>$T/clock$i.log"
  wait_count "$SAY_PRESS" "$i" 5
  # hear it as the marks were seen: the same watch on streamed tmux output
  wait_count "<beep>" 1 10 "$T/clock$i.log"
  sleep "$REACTION"
  press
done
wait_count "EXIT=" 1 20
screen >"$T/screen.txt"
cat "$T/screen.txt"
expect_contains "EXIT=0" "$T/screen.txt"
expect_contains "$SAY_FIRST" "$T/screen.txt"

[ "$(wc -l <"$L")" = 1 ] || fail "expected one record: $(cat "$L")"
[ "$(jq -r .source "$L")" = beep ] || fail "record source: $(cat "$L")"
got=$(jq -r .rtc_error "$L") sigma=$(jq -r .sigma "$L") reaction=$(jq -r .reaction_mean "$L")
echo "recorded rtc_error $got s, sigma $sigma s (truth $RTC_ERROR s); practice reaction $reaction s"
# The measured reaction is the scripted 0.25 s plus the harness's own latency
# (tmux, pipe-pane, polling, send-keys, the pty): seen 0.3-0.46 s beside a busy build.
awk -v r="$reaction" -v want="$REACTION" 'BEGIN { exit !(r >= want && r < 1.5) }' \
  || fail "practice reaction time $reaction s: expected the scripted $REACTION s plus latency, under 1.5 s (rtcal's limit)"
echo "error of the measurement: $(awk -v g="$got" -v t="$RTC_ERROR" -v s="$sigma" 'BEGIN { printf "%+.3f s = %+.2f sigma", g - t, (g - t) / s }')"
# 3 sigma: the harness itself (tmux, polling, a loaded machine) adds noise of its own
near "$got" "$RTC_ERROR" "$(awk -v s="$sigma" 'BEGIN { print 3 * s }')" "the RTC error (3 sigma)"

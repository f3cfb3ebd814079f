#!/usr/bin/env bash
# rtcal apply on the simulated RTC (virtual clock: deterministic): after 4
# days of a 100 ppm gain the RTC is corrected within the dead band and the
# system clock set from it to the millisecond; a second run changes nothing;
# --dry-run changes nothing; implausible corrections are refused (exit 4,
# files unchanged); the other RTC writers are warned about; the whole run
# stays under 1.2 s of (simulated) time. Then the shipped boot files: the rc
# script passes `sh -n` and starts apply against the sim, and the systemd unit
# passes `systemd-analyze verify` where that exists.
. "$(dirname "$0")/../lib.sh"
sim_world
sums() { sha256sum "$A" "$L" 2>/dev/null || true; }
T0=1793491200  # 2026-11-01 00:00:00 UTC

new_world() {  # FACTOR [sim init options...]
  rm -f "$W" "$L"
  local factor=$1; shift
  expect_code 0 "$RTCAL" sim init "$W" --at $T0 "$@"
  printf -- '%s %s 0.000000\n%s\nUTC\n' "$factor" $T0 $T0 >"$A"
}
rtc_error() { "$RTCAL" sim show "$W" | sed -n 's/^RTC error: *\([-+0-9.]*\) s.*/\1/p'; }

# --- 4 days of +100 ppm (8.64 s/day): RTC 34.56 s fast; factor -8.64 --------
for tick in 0.5 1.0; do
  new_world -8.640000 --rate-ppm 100 --first-tick $tick
  expect_code 0 "$RTCAL" sim advance "$W" 4d
  before=$(sums)
  expect_code 0 rt --dry-run apply
  expect_contains "Would adjust the RTC by -3" "$T/out"
  [ "$before" = "$(sums)" ] || fail "--dry-run changed a file"
  expect_code 0 rt --json apply
  [ "$(json_get rtc)" = adjusted ] || fail "first apply: $(cat "$T/out")"
  near "$(json_get elapsed_s)" 0.6 0.6 "apply's duration (tick $tick)"
  near "$(rtc_error)" 0 0.5 "RTC error after apply (tick $tick)"
  na=$(awk 'NR==1 { print $3 }' "$A")
  near "$(rtc_error)" "$(awk -v n="$na" 'BEGIN { print -n }')" 0.005 "RTC error = -not_adjusted (tick $tick)"
  near "$(sim system_error_s)" 0 0.005 "system clock after apply (tick $tick)"
  # The boot record (the RTC's reading before the correction) comes first, then the step.
  [ "$(jq -r .type "$L" | tr '\n' ' ')" = "boot step " ] || fail "log: $(cat "$L")"
  [ "$(jq -r 'select(.type == "step") | .reason' "$L")" = adjust ] || fail "log: $(cat "$L")"
  near "$(jq -r 'select(.type == "step") | .amount' "$L")" -34.56 0.55 "logged step (the write within 50 ms of the edge reaches it to ±0.5 s)"
  # second run: nothing to do
  a1=$(cat "$A") l1=$(cat "$L")
  expect_code 0 rt --json apply
  [ "$(json_get rtc)" = "dead band" ] || fail "second apply: $(cat "$T/out")"
  [ "$(cat "$A")" = "$a1" ] && [ "$(cat "$L")" = "$l1" ] || fail "second apply changed adjtime or the log"
  near "$(json_get system_step_s)" 0 0.001 "second apply's step"
done

# --- refusals: exit 4, one line, nothing changed --------------------------------
refuse() {  # ADJTIME-LINE1 ADVANCE EXPECTED-TEXT
  new_world 0 --rate-ppm 100
  printf -- '%s\n%s\nUTC\n' "$1" $T0 >"$A"
  expect_code 0 "$RTCAL" sim advance "$W" "$2"
  before=$(sums) sys=$(sim system_error_s)
  expect_code 4 rt apply
  expect_contains "$3" "$T/err"
  [ "$(grep -c . "$T/err")" = 1 ] || fail "refusal is not one line: $(cat "$T/err")"
  [ "$before" = "$(sums)" ] && [ "$(sim system_error_s)" = "$sys" ] || fail "a refusal changed something"
}
refuse "-100.000000 $T0 0.000000" 1d "beyond the plausible ±86.4 s/day"
refuse "-8.640000 $((T0 + 400 * 86400)) 0.000000" 1d "lies after the RTC's reading"
refuse "-80.000000 $T0 0.000000" 50d "an hour or more"

# --- no history: the system clock is still set from the RTC ----------------------
new_world 0 --offset 5
printf '0.000000 0 0.000000\n0\nUTC\n' >"$A"
expect_code 0 rt apply
expect_contains "No adjustment history" "$T/out"
near "$(sim system_error_s)" 5 0.005 "system clock set from the RTC without history"

# --- warnings about other RTC writers --------------------------------------------
new_world -8.64 --rate-ppm 100 --kernel-synced
mkdir -p "$RTCAL_SYSCONF_ROOT/etc/chrony" "$RTCAL_SYSCONF_ROOT/run/systemd/units"
printf 'pool 2.debian.pool.ntp.org iburst\nrtcsync\n' >"$RTCAL_SYSCONF_ROOT/etc/chrony/chrony.conf"
ln -s /dev/null "$RTCAL_SYSCONF_ROOT/run/systemd/units/invocation:systemd-timesyncd.service"
expect_code 0 rt --json apply
expect_contains "warning: the kernel is NTP-synchronised (adjtimex status without STA_UNSYNC)" "$T/err"
expect_contains "chrony.conf: chronyd 'rtcsync'" "$T/err"
expect_contains "warning: systemd-timesyncd is active" "$T/err"
[ "$(jq '.warnings | length' "$T/out")" = 3 ] || fail "warnings in JSON: $(cat "$T/out")"
rm -rf "${RTCAL_SYSCONF_ROOT:?}"/*

# --- the rc script: syntax, and a start against the sim ----------------------------
RC=$RTCAL_SOURCE_DIR/dist/init.d/rtcal
sh -n "$RC" || fail "dist/init.d/rtcal: sh -n"
grep -q '^### BEGIN INIT INFO' "$RC" && grep -q '^# Provides: *rtcal' "$RC" || fail "rc script: no LSB header"
new_world -8.640000 --rate-ppm 100
expect_code 0 "$RTCAL" sim advance "$W" 4d
expect_code 0 env RTCAL="$RTCAL" RTCAL_ARGS="--rtc sim:$W --adjfile $A --log $L" sh "$RC" start
expect_contains "Adjusted the RTC by -34." "$T/out"
near "$(rtc_error)" 0 0.5 "RTC error after the rc script"
expect_code 0 env RTCAL="$RTCAL" RTCAL_ARGS="--rtc sim:$W --adjfile $A --log $L" sh "$RC" stop
[ ! -s "$T/out" ] || fail "rc stop printed: $(cat "$T/out")"
# refused (exit 4) is not a boot failure
printf -- '-100.000000 %s 0.000000\n%s\nUTC\n' $T0 $T0 >"$A"
expect_code 0 env RTCAL="$RTCAL" RTCAL_ARGS="--rtc sim:$W --adjfile $A --log $L" sh "$RC" start
expect_contains "beyond the plausible" "$T/err"

# RTCAL_AUTOCAL=yes: stop runs rtcal shutdown (the sim is not synchronised:
# a shutdown record with the time only); start runs measure --boot in the
# background, bounded, and gives up at once on 2/3/4.
expect_code 0 env RTCAL="$RTCAL" RTCAL_ARGS="--rtc sim:$W --adjfile $A --log $L" RTCAL_AUTOCAL=yes sh "$RC" stop
expect_contains "not NTP-synchronised" "$T/out"
[ "$(grep -c '"type":"shutdown"' "$L")" = 1 ] || fail "rc stop with RTCAL_AUTOCAL=yes logged no shutdown record"
cat >"$T/fake-rtcal" <<FAKE
#!/bin/sh
echo "\$*" >>"$T/calls"
case "\$*" in
  *measure*) n=\$(grep -c measure "$T/calls"); [ "\$n" -ge "\${FAKE_OK_AT:-2}" ] && exit 0; exit "\${FAKE_FAIL:-1}" ;;
esac
exit 0
FAKE
chmod +x "$T/fake-rtcal"
rc_autocal() {  # FAKE_OK_AT FAKE_FAIL EXPECTED_MEASURES
  rm -f "$T/calls"
  FAKE_OK_AT=$1 FAKE_FAIL=$2 RTCAL="$T/fake-rtcal" RTCAL_AUTOCAL=yes RTCAL_MEASURE_TRIES=3 RTCAL_MEASURE_WAIT=0 \
    sh "$RC" start || fail "rc start with RTCAL_AUTOCAL=yes failed"
  for _ in $(seq 50); do [ "$(grep -c measure "$T/calls" 2>/dev/null)" = "$3" ] && break; sleep 0.1; done
  sleep 0.3  # a further try would come now
  [ "$(grep -c measure "$T/calls")" = "$3" ] || fail "rc measure --boot tries: $(cat "$T/calls")"
  grep -qx 'apply' "$T/calls" || fail "rc start did not apply first: $(cat "$T/calls")"
  grep -qx 'measure --boot --configured-ntp' "$T/calls" || fail "rc measure line: $(cat "$T/calls")"
}
rc_autocal 2 1 2  # NTP not up at the first try: a second, which succeeds
rc_autocal 9 1 3  # never: three tries (RTCAL_MEASURE_TRIES), no more
rc_autocal 9 4 1  # no boot record (exit 4): no retry

# --- the systemd unit ----------------------------------------------------------------
UNIT=$RTCAL_SOURCE_DIR/dist/systemd/rtcal-apply.service
grep -q '^ExecStart=/usr/sbin/rtcal apply$' "$UNIT" || fail "unit: ExecStart"
grep -q '^Before=.*time-sync.target' "$UNIT" || fail "unit: not before time-sync.target"
if command -v systemd-analyze >/dev/null; then
  # verify checks ExecStart's binary exists: point a copy at the built one.
  mkdir -p "$T/unit"
  sed "s|^ExecStart=/usr/sbin/rtcal|ExecStart=$RTCAL|" "$UNIT" >"$T/unit/rtcal-apply.service"
  SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no "$T/unit/rtcal-apply.service" >"$T/verify" 2>&1 || true
  grep -v -e 'Failed to connect to bus' -e 'No such file or directory' -e '^$' "$T/verify" | grep -i -e 'rtcal-apply' \
    && fail "systemd-analyze verify: $(cat "$T/verify")"
  echo "systemd-analyze verify: $(wc -l <"$T/verify") line(s) of output, none about rtcal-apply.service"
else
  echo "systemd-analyze not installed: unit verify skipped"
fi
echo "apply: all checks passed"

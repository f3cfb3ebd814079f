#!/usr/bin/env bash
# Drop-in mode: rtcal run through `hwclock` and `clock` symlinks, on the sim
# (RTCAL_RTC, RTCAL_ADJFILE, RTCAL_LOG). hwclock's output lines, clock(8)'s
# clustered flags, hwclock's exit codes (0 ok, 1 any failure) with files
# unchanged on failure, --predict byte for byte against util-linux hwclock,
# and Debian's own /etc/init.d/hwclock.sh and udev hwclock-set scripts.
. "$(dirname "$0")/../lib.sh"
command -v jq >/dev/null || skip "jq is needed to read the JSON output"

W=$T/w.json A=$T/adjtime L=$T/log.jsonl
ln -s "$RTCAL" "$T/hwclock"
ln -s "$RTCAL" "$T/clock"
export RTCAL_RTC="sim:$W" RTCAL_ADJFILE=$A RTCAL_LOG=$L TZ=UTC
sim_get() { "$RTCAL" sim show "$W" --json | jq -r ".$1"; }
sums() { sha256sum "$W" "$A" "$L" 2>/dev/null || true; }
# No edge latency, so hwclock's "value at startup" is exact.
new_world() { expect_code 0 "$RTCAL" sim init "$W" --force --at 1795427168 --edge-latency 0 "$@"; }

# --- -r / --show / --get: one line, as hwclock's display_time ----------------
new_world --offset -10
expect_code 0 "$T/hwclock" -r
[ "$(cat "$T/out")" = "2026-11-23 09:45:58.000000+00:00" ] || fail "hwclock -r: '$(cat "$T/out")'"
expect_code 0 "$T/hwclock" --show --rtc=/dev/rtc0   # RTCAL_RTC wins over the script's device
grep -Eqx '[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}[+-][0-9]{2}:[0-9]{2}' "$T/out" \
  || fail "hwclock --show format: '$(cat "$T/out")'"
new_world --offset -10
TZ=Europe/Berlin expect_code 0 "$T/hwclock" -u -r   # shown in local time, as hwclock does
[ "$(cat "$T/out")" = "2026-11-23 10:45:58.000000+01:00" ] || fail "hwclock -r in Berlin: '$(cat "$T/out")'"
# Drift -86.4 s/day since a day ago, evaluated at the RTC's edge reading
# (...159, 86391 s after the adjustment): -86.391 s.
new_world --offset -10
printf -- '-86.400000 1795340768 0.000000\n1795340768\nUTC\n' >"$A"
expect_code 0 "$T/hwclock" --get
[ "$(cat "$T/out")" = "2026-11-23 09:44:31.609000+00:00" ] || fail "hwclock --get: '$(cat "$T/out")'"
echo "ok: show/get"

# --- --predict: byte for byte as util-linux hwclock 2.38.1 -------------------
if [ -x /usr/sbin/hwclock ]; then
  printf -- '-9.600000 845082716 -0.250655\n845082716\nUTC\n' >"$A"
  for d in '1996-11-01 00:00:00' '2027-01-01 12:34:56' '2026-06-30'; do
    want=$(/usr/sbin/hwclock --predict --date "$d" --adjfile "$A")   # --predict never touches a clock
    expect_code 0 "$T/hwclock" --predict --date "$d"
    [ "$(cat "$T/out")" = "$want" ] || fail "--predict --date '$d': rtcal '$(cat "$T/out")', hwclock '$want'"
  done
  echo "ok: predict matches /usr/sbin/hwclock"
fi

# --- -w, -s, -a, --set and clock(8)'s -uw, -us, -ua ---------------------------
new_world --offset -10 --rate-ppm 100
rm -f "$A" "$L"
expect_code 0 "$T/clock" -uw
[ ! -s "$T/out" ] || fail "clock -uw prints nothing: $(cat "$T/out")"
near "$(sim_get rtc_error_s)" 0 0.001 "clock -uw: RTC error"
# No calibration in the log and no --update-drift: the old value read to the second, a reset logged.
[ "$(jq -r .type "$L")" = reset ] || fail "clock -uw: reset record: $(cat "$L")"
ts=$(sed -n 2p "$A")
printf -- '-8.639136 %s 0.000000\n%s\nUTC\n' "$ts" "$ts" >"$A"
expect_code 0 "$RTCAL" sim advance "$W" 4d
expect_code 0 "$T/clock" -ua
near "$(sim_get rtc_error_s)" 0 0.001 "clock -ua after 4 days at 100 ppm"
expect_code 0 "$T/clock" -ua
expect_contains "Needed adjustment is less than one second, so not setting clock." "$T/out"
expect_code 0 "$RTCAL" sim advance "$W" 1d
expect_code 0 "$T/hwclock" -us
near "$(sim_get system_error_s)" 0 0.001 "hwclock -us: system clock = corrected RTC"
expect_code 0 "$T/hwclock" --set --date '2030-01-01 00:00:00' --utc
near "$(sim_get rtc_reading_unix_s)" 1893456001 1 "hwclock --set --date"
expect_code 0 "$T/hwclock" --systohc --update-drift --delay 0.5
near "$(sim_get rtc_error_s)" 0 0.001 "hwclock --systohc --delay 0.5 on a 0.5 s first tick"
echo "ok: set functions"

# --- adjust's refusals exit 0 as hwclock's do; a broken adjtime exits 1 -------
printf -- '-1.000000 0 0.000000\n0\nUTC\n' >"$A"
before=$(sums)
expect_code 0 "$T/hwclock" --adjust
[ ! -s "$T/err" ] || fail "hwclock --adjust without history must be silent on stderr (as util-linux): $(cat "$T/err")"
expect_code 0 "$T/hwclock" --adjust -v
expect_contains "no adjustment history" "$T/out"
echo "ok: refusals"

# --- a damaged adjtime: read as hwclock 2.38.1 reads it, never refused -------
# (tests/compat/dropin_table.test.sh compares these with real hwclock.)
new_world --offset 42
nul_file() { head -c 64 /dev/zero >"$A"; }
for damage in nul utc crlf junk; do
  case $damage in
    nul) nul_file ;;
    utc) printf -- '0.000000 1795427168 0.000000\n1795427168\nutc\n' >"$A" ;;
    crlf) printf -- '0.000000 1795427168 0.000000\r\n1795427168\r\nUTC\r\n' >"$A" ;;
    junk) printf -- 'garbage\n1795427168\nUTC\n' >"$A" ;;
  esac
  cp "$A" "$T/damaged"
  expect_code 0 "$T/hwclock" -r
  case $damage in
    nul) [ "$(cat "$T/err")" = "$(printf 'hwclock: Warning: unrecognized line in adjtime file: \nhwclock: Warning: unrecognized line in adjtime file: ')" ] \
           || fail "hwclock -r on a NUL-filled adjtime: '$(cat "$T/err")'" ;;
    utc|crlf) expect_contains "hwclock: Warning: unrecognized third line in adjtime file" "$T/err"
              expect_contains "(Expected: \`UTC' or \`LOCAL' or nothing.)" "$T/err" ;;
    junk) expect_contains "hwclock: Warning: unrecognized line in adjtime file: garbage" "$T/err" ;;
  esac
  grep -Eqx '2026-11-23 09:46:50\.000000\+00:00' "$T/out" || fail "hwclock -r with a $damage adjtime: '$(cat "$T/out")'"
  cmp -s "$A" "$T/damaged" || fail "hwclock -r changed a $damage adjtime"
  # The boot: the system clock is set from the RTC (42 s ahead of true time).
  expect_code 0 "$T/hwclock" -s
  near "$(sim_get system_error_s)" 42 0.001 "hwclock -s with a $damage adjtime sets the system clock"
  cmp -s "$A" "$T/damaged" || fail "hwclock -s changed a $damage adjtime"
  # rtcal's own commands stay strict: they refuse to write over the damage
  # (CRLF is no damage to them: they read it as the same values).
  if [ "$damage" != crlf ]; then
    expect_code 3 "$RTCAL" --rtc "sim:$W" --adjfile "$A" --log "$L" systohc
    expect_contains "$A:" "$T/err"
    cmp -s "$A" "$T/damaged" || fail "rtcal systohc wrote over a $damage adjtime"
  fi
  # A drop-in write keeps a copy of the damaged file first.
  rm -f "$A.damaged"
  expect_code 0 "$T/hwclock" -w
  cmp -s "$A.damaged" "$T/damaged" || fail "hwclock -w kept no copy of the $damage adjtime"
  [ "$(sed -n 3p "$A")" = UTC ] || fail "hwclock -w over a $damage adjtime: $(cat -A "$A")"
  near "$(sim_get rtc_error_s)" 42 0.001 "hwclock -w with a $damage adjtime (the RTC follows the system clock, set from it by -s)"
  expect_code 0 "$RTCAL" sim init "$W" --force --at 1795427168 --edge-latency 0 --offset 42
done
echo "ok: damaged adjtime: hwclock's warnings, -r, -s and -w carry on; a .damaged copy; rtcal's own systohc refuses"

# apply at boot with a damaged adjtime warns in rtcal's words and sets the clock.
nul_file
expect_code 0 "$RTCAL" --rtc "sim:$W" --adjfile "$A" --log "$L" apply
expect_contains "rtcal: warning: $A: damaged (it holds NUL bytes (written over by a crash?)); read as util-linux hwclock reads it" "$T/err"
near "$(sim_get system_error_s)" 42 0.001 "apply with a NUL-filled adjtime sets the system clock"
expect_code 0 "$RTCAL" sim init "$W" --force --at 1795427168 --edge-latency 0 --offset 42
printf -- '0.000000 1795427168 0.000000\n1795427168\nutc\n' >"$A"
expect_code 0 "$RTCAL" --rtc "sim:$W" --adjfile "$A" --log "$L" apply
expect_contains "damaged (line 3: expected UTC or LOCAL, got 'utc')" "$T/err"
near "$(sim_get system_error_s)" 42 0.001 "apply with 'utc' on line 3"
echo "ok: apply with a damaged adjtime"

# --- clock -a also sets the system clock (clock(8), the HOWTO's rc.local) ----
new_world --offset -10
printf -- '-86.400000 1795340768 0.000000\n1795340768\nUTC\n' >"$A"   # 86.4 s/day gained for a day
rm -f "$L"
expect_code 0 "$T/clock" -ua
near "$(sim_get rtc_error_s)" -96.4 0.01 "clock -ua: RTC adjusted by the drift"
near "$(sim_get system_error_s)" -96.4 0.01 "clock -ua: system clock set from the adjusted RTC"
new_world --offset -10
printf -- '-86.400000 1795340768 0.000000\n1795340768\nUTC\n' >"$A"
expect_code 0 "$T/hwclock" -ua
near "$(sim_get system_error_s)" 0 0.001 "hwclock -ua leaves the system clock alone"
echo "ok: clock -a sets the system clock, hwclock -a does not"

# --- -a with nothing to do writes nothing -------------------------------------
new_world --offset 0
printf -- '0.0 1795427168 0.0\n1795427168\nUTC\n' >"$A"   # not as hwclock would format it
cp "$A" "$T/a.before"
expect_code 0 "$T/hwclock" -a
cmp -s "$A" "$T/a.before" || fail "hwclock -a in the dead band rewrote adjtime: $(cat "$A")"
expect_code 0 "$T/hwclock" -a --localtime   # a changed scale is written, as hwclock does
[ "$(sed -n 3p "$A")" = LOCAL ] || fail "hwclock -a --localtime: line 3 $(sed -n 3p "$A")"
echo "ok: -a with nothing to do writes nothing"

# --- --update-drift, --delay, --test, an unknown TZ, no RTC -------------------
new_world --offset 0
printf -- '0.000000 1795427168 0.000000\n1795427168\nUTC\n' >"$A"
before=$(sums)
for f in -r -a -s --systz "--predict --date 2027-01-01"; do
  # shellcheck disable=SC2086
  expect_code 1 "$T/hwclock" --update-drift $f
  expect_contains "--update-drift: requires --set or --systohc" "$T/err"
done
[ "$(sums)" = "$before" ] || fail "--update-drift misuse changed a file"
expect_code 0 "$T/hwclock" -w --delay 2.5
expect_code 1 "$T/hwclock" -w --delay -1
expect_contains "--delay: must not be negative" "$T/err"
expect_code 0 "$T/hwclock" --test -w
[ "$(tail -n1 "$T/out")" = "Test mode: nothing was changed." ] || fail "--test: last line '$(tail -n1 "$T/out")'"
new_world --offset -10
TZ=Europe/Berln expect_code 0 "$T/hwclock" -r
expect_contains "TZ=Europe/Berln: unknown time zone" "$T/err"
expect_contains "using UTC, as hwclock does" "$T/err"
[ "$(cat "$T/out")" = "2026-11-23 09:45:58.000000+00:00" ] || fail "hwclock -r under an unknown TZ: '$(cat "$T/out")'"
TZ=Europe/Berln expect_code 0 "$T/hwclock" -s
near "$(sim_get system_error_s)" -10 0.001 "hwclock -s under an unknown TZ"
TZ=Europe/Berln expect_code 2 "$RTCAL" --rtc "sim:$W" --adjfile "$A" status   # rtcal's own commands: an error to fix
RTCAL_RTC="sim:$T/no-such-world.json" expect_code 1 "$T/hwclock" -r
expect_contains "hwclock: Cannot access the Hardware Clock via any known method." "$T/err"
expect_code 1 "$T/hwclock" --param-get features   # the sim has no RTC parameters
expect_contains "unable to read the RTC parameter features" "$T/err"
echo "ok: --update-drift, --delay, --test, unknown TZ, no RTC, --param-get"

# --- usage errors: exit 1, files unchanged; help and version exit 0 -----------
new_world --offset 3
printf -- '0.000000 1795427168 0.000000\n1795427168\nUTC\n' >"$A"
: >"$L"
before=$(sums)
for args in "-r -w" "--set" "--predict" "-u -l" "--bogus" "-x" "extra" "--noadjfile -r" "--delay abc -w" \
  "--adjfile x --noadjfile -u" "--param-set features" "--set --date nonsense" "--test -w" "--test --set --date 2027-01-01" \
  "--test -a" "--test -s" "--test --systz"; do
  code=1
  case $args in --test*) code=0 ;; esac
  # shellcheck disable=SC2086
  expect_code $code "$T/hwclock" $args
  [ "$(sums)" = "$before" ] || fail "hwclock $args changed a file"
done
expect_code 1 "$T/hwclock" --bogus
expect_contains "rtcal: --bogus: unrecognized option (see hwclock --help) (as hwclock)" "$T/err"
expect_code 0 "$T/hwclock" --test -w
expect_contains "Would set:" "$T/out"
expect_code 0 "$T/hwclock" -h
expect_contains "Usage:" "$T/out"
expect_contains " hwclock [function] [option...]" "$T/out"
expect_code 0 "$T/clock" --version
expect_contains "clock from rtcal " "$T/out"
expect_code 0 "$T/hwclock" -D -r
expect_contains "hwclock: use --verbose, --debug has been deprecated." "$T/err"
echo "ok: usage"

# --- Debian's /etc/init.d/hwclock.sh and udev's hwclock-set -------------------
if [ -r /etc/init.d/hwclock.sh ] && [ -r /lib/lsb/init-functions ]; then
  sed -e "s|/sbin/hwclock|$T/hwclock|g" -e "s|/run/systemd/system|$T/no-systemd|g" \
    /etc/init.d/hwclock.sh >"$T/hwclock.sh"
  new_world --offset -7.5
  rm -f "$A" "$L"
  expect_code 0 sh "$T/hwclock.sh" start
  expect_code 0 sh "$T/hwclock.sh" show
  grep -Eq '^2026-11-23 09:46:00\.500000\+00:00$' "$T/out" || fail "hwclock.sh show: $(cat "$T/out")"
  expect_code 0 sh "$T/hwclock.sh" stop
  near "$(sim_get rtc_error_s)" 0 0.001 "hwclock.sh stop saves the system clock to the RTC"
  [ "$(jq -r .type "$L")" = reset ] || fail "hwclock.sh stop: reset record (no calibration logged): $(cat "$L")"
  expect_code 1 sh "$T/hwclock.sh" bogus
  # A failing hwclock makes stop say nothing more and exit 0, as with util-linux.
  echo "ok: Debian hwclock.sh"
else
  echo "note: /etc/init.d/hwclock.sh or /lib/lsb/init-functions missing: hwclock.sh part not run"
fi
if [ -r /usr/lib/udev/hwclock-set ]; then
  sed -e "s|/sbin/hwclock|$T/hwclock|g" -e "s|/run/systemd/system|$T/no-systemd|g" \
    /usr/lib/udev/hwclock-set >"$T/hwclock-set"
  new_world --offset 42
  printf -- '0.000000 1795427168 0.000000\n1795427168\nUTC\n' >"$A"
  expect_code 0 sh "$T/hwclock-set" rtc0
  near "$(sim_get system_error_s)" 42 0.001 "hwclock-set: systz then hctosys: the system clock follows the RTC"
  [ "$(sim_get kernel_tz_warp_pending)" = false ] || fail "hwclock-set: the kernel got a time zone"
  echo "ok: udev hwclock-set"
fi

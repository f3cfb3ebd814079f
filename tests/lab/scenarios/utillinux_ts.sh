# Guest scenario: util-linux 2.38.1's own hwclock test (tests/ts/hwclock/systohc)
# with rtcal as the hwclock binary, on the real rtc_cmos (issue 12 item 7;
# compat.utillinux_ts runs the same test on the simulated RTC). The host test
# (utillinux_ts.test.sh) puts util-linux's test harness at /ul/tests and bash,
# bc and coreutils' sort (the harness's `sort -R`; busybox has none) with
# their libraries at /ul/bin (lab.sh --file), and runs a chronyd on its
# loopback (10.0.2.2:LAB_NTP_PORT here).
#
# The test measures the system clock's offset with `sntp` twice (they must
# agree within 20 ms, or it skips), runs `hwclock --show`, then 10 rounds of
# `--systohc` and `--hctosys`, measures again and fails when the offset moved
# by 1 s or more. Its `sntp` here is a wrapper printing sntp's line for the
# offset rtcal's SNTP client measures against that chronyd (the guest has no
# sntp; the test reads only the signed offset from the line); its `dig`
# answers 10.0.2.2. The test must say OK (a SKIP fails here); rtcal is then
# held to a tighter bound of its own: the offset moved by under 50 ms (ten
# hctosys each carry one edge reading; the lab's clock wanders by up to
# ~10 ms between runs, LAB.md).

lab_net_up
# lab.sh --file installs files 0644: the programs, and the dynamic loader
# they name (a copy replaced the base image's), must be executable.
chmod 755 /ul/bin/* /lib64/ld-linux-x86-64.so.2
mkdir -p /ul/build
ln -s /bin/rtcal /ul/build/hwclock
server=10.0.2.2:$LAB_NTP_PORT
cat >/ul/build/sntp <<SNTP
#!/bin/sh
# sntp's line: the offset to add to this system clock (server minus it).
o=\$(rtcal ntp --json --samples 4 "$server" | sed -n 's/.*"offset": *\([-0-9.e+]*\).*/\1/p' | head -n 1)
[ -n "\$o" ] || exit 1
printf '%s (+0000) %+.6f +/- 0.000100 10.0.2.2 s1 no-leap\n' "\$(date -u '+%Y-%m-%d %H:%M:%S.000000')" "\$o"
SNTP
printf '#!/bin/sh\necho 10.0.2.2\n' >/ul/build/dig
chmod 755 /ul/build/sntp /ul/build/dig
export PATH=/ul/build:/ul/bin:$PATH
rm -f /etc/adjtime
if [ -n "${LAB_UL_ROUNDS:-}" ]; then  # the smoke test: fewer rounds, the test otherwise unchanged
  sed -i "s/seq 1 10\`/seq 1 $LAB_UL_ROUNDS\`/" /ul/tests/ts/hwclock/systohc
  lab_equal rounds-trimmed "$(grep -c "seq 1 $LAB_UL_ROUNDS\`" /ul/tests/ts/hwclock/systohc)" 1
fi

# Where the system clock starts (set from the RTC at boot, whole seconds).
lab_run sntp
before=$(echo "$LAB_OUT" | sed -n 's/.* \([-+][0-9.]*\) +\/- .*/\1/p')
up0=$(lab_uptime)
for t in /ul/tests/ts/hwclock/*; do
  name=hwclock/$(basename "$t")
  lab_run sh -c "cd /ul/tests && bash '$t' --nolocks --builddir=/ul/build --srcdir=/ul"
  lab_equal "$name-exit" "$LAB_RC" 0 "(util-linux's $name with rtcal as hwclock)"
  lab_contains "$name-ok" "$LAB_OUT" " OK" "(util-linux's $name: OK, not SKIP)"
  for f in /ul/build/tests/output/hwclock/*; do [ -f "$f" ] && lab_info "$f: $(cat "$f")"; done
done
lab_info "util-linux's tests took $(lab_calc "$(lab_uptime) - $up0") s"
lab_run sntp
after=$(echo "$LAB_OUT" | sed -n 's/.* \([-+][0-9.]*\) +\/- .*/\1/p')
lab_within offset-kept "$(lab_calc "($after - $before) * 1000")" -50 50 \
  "ms: the system clock's NTP offset after the test minus before ($before s -> $after s)"

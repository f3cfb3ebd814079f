"""Tables of the RTC benchmark (tests/bench/rtc_bench.sh) from the guest's
"BENCH ..." console lines (tests/lab/scenarios/rtc_bench.sh).

  python3 rtc_bench_table.py CONSOLE_LOG TRIALS SEED [QEMU_ARGS] [KERNEL_ARGS]

Errors are in ms with rtcal's sign (+ = the RTC ahead of the system clock).
Exit 1 when a tool or the probe produced no figure in some trial.
"""
import datetime
import json
import os
import re
import statistics
import sys

SET_TOOLS = ["rtcal", "rtcal--directisa", "util-linux", "util-linux--directisa", "busybox"]
READ_TOOLS = ["rtcal", "util-linux", "util-linux--directisa", "busybox"]
SHOW_TOOLS = ["rtcal", "rtcal-dropin", "util-linux", "util-linux--directisa", "busybox"]
HCTOSYS_TOOLS = ["rtcal", "util-linux", "busybox"]
LABELS = {
    "rtcal": "rtcal",
    "rtcal--directisa": "rtcal --directisa",
    "rtcal-dropin": "rtcal as hwclock -r",
    "rtcal--fast": "rtcal show --fast",
    "util-linux": "util-linux hwclock",
    "util-linux--directisa": "util-linux hwclock --directisa",
    "busybox": "busybox hwclock",
}


def parse(path):
    rows = []
    for line in open(path, errors="replace"):
        if not line.startswith("BENCH "):
            continue
        head, _, out = line.rstrip("\n").partition(" out=")
        fields = dict(kv.split("=", 1) for kv in head.split()[2:] if "=" in kv)
        fields["kind"] = head.split()[1]
        fields["out"] = out.strip()
        rows.append(fields)
    return rows


def number(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def printed_unix_s(out):
    """The time a hwclock-like -r prints, as unix seconds (UTC), or None."""
    found = re.findall(r"(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(\.\d+)?([+-]\d\d:?\d\d)?", out)
    if found:  # the last one: hwclock -v prints its answer last
        day, clock, fraction, zone = found[-1]
        t = datetime.datetime.fromisoformat(day + " " + clock + (zone or "+00:00"))
        return t.timestamp() + float(fraction or 0)
    m = re.search(r"\w{3} (\w{3}) +(\d+) (\d\d:\d\d:\d\d) (\d{4})", out)  # busybox: ctime()
    if m:
        t = datetime.datetime.strptime(" ".join(m.groups()), "%b %d %H:%M:%S %Y")
        return t.replace(tzinfo=datetime.timezone.utc).timestamp()
    return None


def read_error_ms(row):
    """What the tool says the RTC-minus-system offset is, minus the probe's."""
    ref, start = number(row.get("ref_ms")), number(row.get("start_unix_s"))
    if ref is None:
        return None
    if row["out"].lstrip().startswith("{"):
        try:
            return -json.loads(row["out"])["system_minus_rtc"] * 1e3 - ref
        except (ValueError, KeyError):
            return None
    printed = printed_unix_s(row["out"])
    told = re.search(r"System Time: (\d+\.\d+)", row["out"])  # hwclock -v: when it took "now"
    start = float(told.group(1)) if told else start
    if printed is None or start is None:
        return None
    return (printed - start) * 1e3 - ref


def stats_row(label, errors, walls, extra=""):
    n = len(errors)
    absolute = [abs(e) for e in errors]
    within = lambda limit: "%d/%d" % (sum(a <= limit for a in absolute), n)
    return "| %s | %d | %+.1f | %+.1f | %.1f | %s | %s | %s | %.0f | %.0f |%s" % (
        label, n, statistics.median(errors), statistics.mean(errors), max(absolute),
        within(2), within(10), within(100), statistics.median(walls), max(walls), extra)


HEADER = ("| tool | trials | median (ms) | mean (ms) | worst abs (ms) | within 2 ms | within 10 ms "
          "| within 100 ms | wall median (ms) | wall worst (ms) |")
RULE = "|---|---|---|---|---|---|---|---|---|---|"


def main():
    path, trials, seed = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    qemu_args = sys.argv[4] if len(sys.argv) > 4 else ""
    kernel_args = sys.argv[5] if len(sys.argv) > 5 else ""
    rows = parse(path)
    missing = []
    info = next((l.strip() for l in open(path, errors="replace") if "LAB-INFO bench" in l), "")
    cpu = re.search(r"cpu=(\S+)", info)
    print("RTC benchmark: %d trials, seed %s; QEMU TCG -cpu %s%s%s" % (
        trials, seed, cpu.group(1) if cpu else "Nehalem", (" " + qemu_args) if qemu_args else "",
        (", kernel " + kernel_args) if kernel_args else ""))
    m = re.search(r"clocksource=(\S+)", info)
    print("guest clocksource: %s" % (m.group(1) if m else "?"))

    failed_runs = []

    def pick(kind, tool):
        """The runs of one tool that exited 0; failed runs are listed below the tables."""
        got = [r for r in rows if r["kind"] == kind and r.get("tool") == tool]
        if len(got) < trials:
            missing.append("%s %s (%d of %d runs)" % (kind, tool, len(got), trials))
        for r in got:
            if r.get("status") != "0":
                failed_runs.append("%s %s, trial %s: exit %s: %s" % (
                    LABELS[tool], kind, r.get("trial"), r.get("status"), r["out"][-80:]))
        return [r for r in got if r.get("status") == "0"]

    print("\nSet error after systohc: the RTC's seconds edge minus the system clock, by the probe polling RTC_RD_TIME")
    print("(median of the edges it brackets within 1 ms; 2 edges a run)\n")
    print(HEADER)
    print(RULE)
    uie_minus_poll = []
    for tool in SET_TOOLS:
        got = pick("set", tool)
        errors = [number(r.get("poll_ms")) for r in got]
        walls = [number(r.get("wall_ms")) for r in got]
        if not got or None in errors + walls:
            missing.append("set " + tool)
            continue
        if tool == "rtcal":
            uie = [number(r.get("uie_ms")) for r in got]
            if None in uie:
                missing.append("set rtcal uie probe")
            else:
                uie_minus_poll = [u - p for u, p in zip(uie, errors)]
        print(stats_row(LABELS[tool], errors, walls))

    # rtcal -v says how its last write landed ("its first edge timed X ms from
    # the target, N writes"): how often it wrote again, and how its own timing
    # of that edge agrees with the probe's.
    # Where the RTC kept its phase (rtc_cmos on an AMD CPU) rtcal warns with the
    # residual it measured ("it stays +0.123 s off the target"): against the probe.
    for tool in ["rtcal", "rtcal--directisa"]:
        writes, own_minus_probe, residual_minus_probe, untimed = {}, [], [], 0
        for r in pick("set", tool):
            n = re.search(r"(\d+) writes?\)", r["out"])
            if n:
                writes[int(n.group(1))] = writes.get(int(n.group(1)), 0) + 1
            probe = number(r.get("poll_ms"))
            m = re.search(r"first edge timed ([-0-9.]+) ms from the target", r["out"])
            k = re.search(r"kept its sub-second phase.*? stays ([-+0-9.]+) s off", r["out"])
            if k and probe is not None:
                residual_minus_probe.append(float(k.group(1)) * 1e3 - probe)
            elif m and probe is not None:
                own_minus_probe.append(float(m.group(1)) - probe)
            elif not m:
                untimed += 1
        spread = ", ".join("%d write%s in %d" % (n, "" if n == 1 else "s", writes[n]) for n in sorted(writes))
        line = "%s: %s" % (LABELS[tool], spread or "no -v figures")
        if untimed:
            line += "; %d clean writes not timed (an Intel CPU's rtc_cmos restarts the divider)" % untimed
        if own_minus_probe:
            line += "; its own timing of the first edge minus the probe's: median %+.2f ms, worst %.2f ms" % (
                statistics.median(own_minus_probe), max(map(abs, own_minus_probe)))
        if residual_minus_probe:
            line += ("; the RTC kept its phase in %d runs: the residual rtcal measured and recorded minus the "
                     "probe's: median %+.2f ms, worst %.2f ms") % (
                len(residual_minus_probe), statistics.median(residual_minus_probe),
                max(map(abs, residual_minus_probe)))
        print(line)

    if os.environ.get("BENCH_PARTS", "all") == "set":  # the systohc runs only
        return report_end(failed_runs, missing)

    print("\nRead error of show: the offset the tool states minus the probe's (rtcal: show --json's system_minus_rtc;")
    print("util-linux: hwclock -r -v's time printed minus its 'System Time' (when it took 'now'); busybox: the")
    print("time printed, whole seconds only, minus the system time at its start)\n")
    print(HEADER)
    print(RULE)
    for tool in READ_TOOLS:
        got = pick("read", tool)
        errors = [read_error_ms(r) for r in got]
        walls = [number(r.get("wall_ms")) for r in got]
        if not got or None in errors + walls:
            missing.append("read " + tool)
            continue
        print(stats_row(LABELS[tool], errors, walls))

    print("\nWall time (ms, process start to exit) and, for hctosys, the system clock's error after it")
    print("(the probe: the RTC's edge minus the system clock; the RTC was aligned by rtcal before the reads)\n")
    print("| command | trials | wall median (ms) | wall worst (ms) | error median (ms) | worst abs error (ms) |")
    print("|---|---|---|---|---|---|")
    timing = [("read", "rtcal--fast", "rtcal show --fast")]
    timing += [("read", t, LABELS[t] + " show") for t in SHOW_TOOLS]
    timing += [("hctosys", t, LABELS[t] + " hctosys") for t in HCTOSYS_TOOLS]
    for kind, tool, label in timing:
        got = pick(kind, tool)
        walls = [number(r.get("wall_ms")) for r in got]
        if not got or None in walls:
            missing.append(kind + " " + tool)
            continue
        errors = [number(r.get("poll_ms")) for r in got] if kind == "hctosys" else []
        if kind == "hctosys" and None in errors:
            missing.append(kind + " " + tool)
            continue
        err_text = "%+.1f | %.1f" % (statistics.median(errors), max(abs(e) for e in errors)) if errors else "- | -"
        print("| %s | %d | %.0f | %.0f | %s |" % (label, len(got), statistics.median(walls), max(walls), err_text))

    if uie_minus_poll:
        print("\nThe probe itself, after rtcal's set: the edge timed by update interrupts minus the polled edge,")
        print("median %+.1f ms, range %+.1f..%+.1f ms: the time from QEMU's update to the reader's clock_gettime"
              % (statistics.median(uie_minus_poll), min(uie_minus_poll), max(uie_minus_poll)))
        print("(an edge timed by an update interrupt, as hwclock and rtcal show do, comes this much late).")
    return report_end(failed_runs, missing)


def report_end(failed_runs, missing):
    """The failed runs and the missing figures, and the exit status."""
    if failed_runs:
        print("\nFailed runs (exit status not 0; left out of the figures above):")
        for line in sorted(set(failed_runs)):
            print("- " + line)
    if missing:
        print("\nMISSING figures: " + ", ".join(missing), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

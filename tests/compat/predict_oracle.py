#!/usr/bin/env python3
"""Compare `rtcal predict` with util-linux `hwclock --predict` on random
well-formed adjtime files and dates (the compatibility oracle), and check that
adjtime files written by rtcal are byte-identical to printf's "%f %lld %f" form
and mean the same to hwclock.

Usage: predict_oracle.py RTCAL HWCLOCK WORKDIR [CASES] [SEED]
Prints the seed; replay a failure with the same seed."""
import datetime as dt
import json
import os
import random
import subprocess
import sys
import zoneinfo

ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]


def adjtime_text(factor, last_adj, not_adj, last_cal, scale, rng):
    """A well-formed file, sometimes with the leniencies hwclock accepts."""
    line1 = "%f %d %f" % (factor, last_adj, not_adj)
    line2 = "%d" % last_cal
    if rng.random() < 0.15:
        line1 = "  " + line1 + "   "
    if rng.random() < 0.1:
        line2 = " " + line2
    text = line1 + "\n" + line2 + "\n" + scale + "\n"
    if rng.random() < 0.1:
        text = text[:-1]  # no final newline
    return text


def random_case(rng):
    kind = rng.random()
    if kind < 0.1:
        factor = 0.0
    elif kind < 0.2:
        factor = rng.uniform(-2145, 2145)
    else:
        factor = rng.uniform(-30, 30)
    factor = round(factor, 6)
    last_adj = 0 if rng.random() < 0.03 else rng.randint(100_000_000, 2_200_000_000)
    not_adj = round(rng.uniform(-1, 1) if rng.random() < 0.8 else rng.uniform(-500, 500), 6)
    last_cal = rng.choice([0, last_adj, rng.randint(100_000_000, 2_200_000_000)])
    scale = rng.choice(["UTC", "LOCAL"])
    zone = rng.choice(ZONES)
    base = last_adj if last_adj else 1_600_000_000
    target = base + rng.randint(-30 * 86400, 5 * 365 * 86400)
    target = max(86400 * 400, min(target, 4_000_000_000))
    return factor, last_adj, not_adj, last_cal, scale, zone, target


def local_text(target, zone, rng):
    """The target as local wall-clock text in zone, or None if it is ambiguous."""
    tz = zoneinfo.ZoneInfo(zone)
    local = dt.datetime.fromtimestamp(target, tz)
    naive = local.replace(tzinfo=None)
    a = naive.replace(tzinfo=tz, fold=0).timestamp()
    b = naive.replace(tzinfo=tz, fold=1).timestamp()
    if a != b:
        return None
    if rng.random() < 0.2 and naive.second == 0:
        return naive.strftime("%Y-%m-%d %H:%M")  # hwclock takes HH:MM only after a blank
    return naive.strftime("%Y-%m-%d" + rng.choice([" ", "T"]) + "%H:%M:%S")


def hwclock_predict(hwclock, adjfile, date, zone):
    env = dict(os.environ, TZ=zone, LC_ALL="C")
    out = subprocess.run([hwclock, "--predict", "--date", date, "--adjfile", adjfile],
                         env=env, capture_output=True, text=True, timeout=20)
    if out.returncode != 0:
        raise RuntimeError("hwclock failed: %s %s" % (out.stdout, out.stderr))
    line = out.stdout.strip().splitlines()[-1]
    # "1996-11-01 00:03:11.771099+00:00"
    stamp = dt.datetime.fromisoformat(line)
    whole = int(stamp.replace(microsecond=0).timestamp())
    return whole + stamp.microsecond / 1e6


def rtcal_predict(rtcal, adjfile, date, zone):
    env = dict(os.environ, TZ=zone, LC_ALL="C")
    out = subprocess.run([rtcal, "predict", "--date", date, "--adjfile", adjfile, "--json"],
                         env=env, capture_output=True, text=True, timeout=20)
    if out.returncode != 0:
        raise RuntimeError("rtcal failed (%d): %s %s" % (out.returncode, out.stdout, out.stderr))
    return json.loads(out.stdout)["predicted_rtc"]


def main():
    rtcal, hwclock, work = sys.argv[1:4]
    cases = int(sys.argv[4]) if len(sys.argv) > 4 else 200
    seed = int(sys.argv[5]) if len(sys.argv) > 5 else random.randrange(1 << 32)
    print("predict_oracle: seed %d, %d cases" % (seed, cases), flush=True)
    rng = random.Random(seed)
    done = worst = 0
    failures = []
    while done < cases:
        factor, last_adj, not_adj, last_cal, scale, zone, target = random_case(rng)
        date = local_text(target, zone, rng)
        if date is None:
            continue
        path = os.path.join(work, "adjtime.%d" % done)
        with open(path, "w") as f:
            f.write(adjtime_text(factor, last_adj, not_adj, last_cal, scale, rng))
        want = hwclock_predict(hwclock, path, date, zone)
        got = rtcal_predict(rtcal, path, date, zone)
        diff = abs(want - got)
        worst = max(worst, diff)
        if diff > 5e-7:  # the same microsecond (doubles carry ~0.2 µs here)
            failures.append("case %d (TZ=%s --date '%s', %s): hwclock %.6f, rtcal %.6f, diff %.3g s"
                            % (done, zone, date, open(path).read().replace("\n", "|"), want, got, diff))
        done += 1
    print("predict_oracle: %d cases, worst difference %.3g s" % (done, worst))
    written = min(cases, 50)
    check_written_files(rtcal, hwclock, work, rng, written, failures)
    for f in failures[:20]:
        print("FAIL:", f)
    total = done + written
    print("%d passed, %d failed" % (total - len(failures), len(failures)))
    sys.exit(1 if failures else 0)


def check_written_files(rtcal, hwclock, work, rng, count, failures):
    """rtcal factor --write: bytes as printf writes them, and the same meaning to hwclock."""
    for i in range(count):
        factor, last_adj, not_adj, last_cal, scale, zone, target = random_case(rng)
        if last_adj == 0:
            last_adj = 1_700_000_000
        path = os.path.join(work, "written.%d" % i)
        with open(path, "w") as f:
            f.write("%f %d %f\n%d\n%s\n" % (factor, last_adj, not_adj, last_cal, scale))
        days = round(rng.uniform(0.5, 90), 3)
        error = round(rng.uniform(-60, 60), 3)
        env = dict(os.environ, TZ="UTC", LC_ALL="de_DE.UTF-8")
        out = subprocess.run([rtcal, "factor", "--adjfile", path, "--error", str(error),
                              "--days", str(days), "--write", "--json"],
                             env=env, capture_output=True, text=True, timeout=20)
        if out.returncode != 0:
            failures.append("factor --write failed: %s %s" % (out.stdout, out.stderr))
            continue
        new_factor = json.loads(out.stdout)["factor"]
        expect = "%f %d %f\n%d\n%s\n" % (new_factor, last_adj, not_adj, last_cal, scale)
        text = open(path).read()
        if text != expect:
            failures.append("written file %r, printf gives %r" % (text, expect))
        date = dt.datetime.fromtimestamp(last_adj + 40 * 86400, dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
        want = hwclock_predict(hwclock, path, date, "UTC")
        got = rtcal_predict(rtcal, path, date, "UTC")
        if abs(want - got) > 5e-7:
            failures.append("written file %r: hwclock %.6f, rtcal %.6f" % (text, want, got))
    print("predict_oracle: %d files written by rtcal checked against printf and hwclock" % count)


if __name__ == "__main__":
    main()

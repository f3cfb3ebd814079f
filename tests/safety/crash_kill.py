#!/usr/bin/env python3
"""SIGKILL rtcal at random moments while it writes adjtime, the sim file and
the measurement log, ROUNDS times, and check after each kill that

  - adjtime and the sim file are byte for byte the old or the new version
    (the new one is what the same command writes when it is not killed,
    found by running it to the end on a copy first: the sim's clock is
    virtual, so the run is deterministic);
  - the log is the old log followed by a prefix of the new record at most
    (no complete record lost; what a kill can leave is checked below);
  - the next command is not blocked by the killed one's lock;

and at the end that every log line is a whole record, and that no lock
or temp file was left behind once a command ran to its end.

usage: crash_kill.py RTCAL DIR ROUNDS SEED
"""
import os
import random
import shutil
import signal
import subprocess
import sys
import time

FILES = ("adjtime", "sim.json", "log.jsonl")


def snapshot(d):
    out = {}
    for f in FILES:
        p = os.path.join(d, f)
        out[f] = open(p, "rb").read() if os.path.exists(p) else None
    return out


def argv(rtcal, d, cmd):
    return [rtcal, "--rtc", "sim:" + os.path.join(d, "sim.json"), "--adjfile", os.path.join(d, "adjtime"),
            "--log", os.path.join(d, "log.jsonl")] + cmd


def commands(rng):
    """The state-changing commands, with random values."""
    return [
        ["factor", "--error", "%.3f" % rng.uniform(-20, 20), "--days", "%d" % rng.randint(1, 60), "--write"],
        ["measure", "--system-error", "%.3f" % rng.uniform(-1, 1)],
        ["systohc"],
        ["adjust"],
        ["set", "--date", "now %s %d s" % (rng.choice("+-"), rng.randint(0, 100))],
    ]


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def leftovers(d):
    return sorted(f for f in os.listdir(d) if f not in FILES)


def main():
    rtcal, d, rounds, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    print("crash_kill: seed %d, %d rounds (replay: crash_kill.py RTCAL DIR %d %d)" % (seed, rounds, rounds, seed))
    rng = random.Random(seed)
    copy = d + ".copy"
    stats = {"old": 0, "new": 0, "log_partial": 0, "finished": 0}
    left_seen = set()
    for i in range(rounds):
        cmd = rng.choice(commands(rng))
        old = snapshot(d)
        # The new version: the same command run to its end on a copy.
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(d, copy)
        t0 = time.monotonic()
        done = subprocess.run(argv(rtcal, copy, cmd), capture_output=True, timeout=60)
        full_s = time.monotonic() - t0
        if done.returncode not in (0, 4):
            fail("round %d: %s exited %d: %s" % (i, cmd, done.returncode, done.stderr.decode()))
        new = snapshot(copy)
        # The same command on the real directory, killed at a random moment.
        delay_s = rng.uniform(0, full_s * 1.2)
        p = subprocess.Popen(argv(rtcal, d, cmd), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay_s)
        p.send_signal(signal.SIGKILL)
        code = p.wait()
        if code != -signal.SIGKILL:
            stats["finished"] += 1
        now = snapshot(d)
        for f in ("adjtime", "sim.json"):
            if now[f] == new[f] and now[f] != old[f]:
                stats["new"] += 1
            elif now[f] == old[f]:
                stats["old"] += 1
            else:
                fail("round %d (%s, killed after %.4f s): %s is neither the old nor the new version:\n%r\nold %r\nnew %r"
                     % (i, cmd, delay_s, f, now[f], old[f], new[f]))
        log_old, log_new, log_now = old["log.jsonl"] or b"", new["log.jsonl"] or b"", now["log.jsonl"] or b""
        if not (log_now.startswith(log_old) and log_new.startswith(log_now)):
            fail("round %d (%s): the log is not the old log plus part of the new record:\n%r\nold %r\nnew %r"
                 % (i, cmd, log_now, log_old, log_new))
        if log_now not in (log_old, log_new):
            stats["log_partial"] += 1
        left_seen.update(leftovers(d))
    # One command run to its end: it must not wait for a killed holder's lock,
    # and afterwards no lock file and no temp file may be left.
    t0 = time.monotonic()
    done = subprocess.run(argv(rtcal, d, ["measure", "--system-error", "0.01"]), capture_output=True, timeout=60)
    took_s = time.monotonic() - t0
    if done.returncode != 0 or took_s > 5:
        fail("the run after the kills exited %d after %.1f s: %s" % (done.returncode, took_s, done.stderr.decode()))
    done = subprocess.run(argv(rtcal, d, ["factor", "--error", "1", "--days", "3", "--write"]), capture_output=True, timeout=60)
    if done.returncode != 0:
        fail("factor --write after the kills exited %d: %s" % (done.returncode, done.stderr.decode()))
    lines = open(os.path.join(d, "log.jsonl"), "rb").read().split(b"\n")
    import json
    for n, line in enumerate(lines[:-1], 1):
        try:
            json.loads(line)
        except ValueError:
            fail("log line %d is not a whole record: %r" % (n, line))
    if lines[-1] != b"":
        fail("the log does not end with a newline")
    if leftovers(d):
        fail("left behind after a clean run: %s" % leftovers(d))
    print("crash_kill: %d rounds; file versions seen: old %d, new %d; log with part of a record: %d; "
          "commands that finished before the kill: %d; files seen between kills: %s; log records: %d"
          % (rounds, stats["old"], stats["new"], stats["log_partial"], stats["finished"],
             sorted(set(f.split(".rtcal-")[0] + (".rtcal-*" if ".rtcal-" in f else "") for f in left_seen)),
             len(lines) - 1))
    if stats["new"] == 0 or stats["old"] == 0:
        fail("the kills never landed before (or never after) a write: the test proved nothing")


main()

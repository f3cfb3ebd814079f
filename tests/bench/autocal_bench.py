#!/usr/bin/env python3
"""Monte Carlo of rtcal's automatic calibration on the simulated RTC.

Runs the real binary through BOOTS boots of a machine that is on ~8 h and
off ~16 h a day (each +-1 h at random), its RTC gaining RATE_ON ppm while on
and RATE_OFF ppm while off, each period's rate wandering by WANDER ppm (1
sigma). Every boot: `rtcal apply` (logs the boot record, corrects with the
two-rate fit once there is one), NTP brings the system clock to within SIGMA
(1 sigma) of true time, 5 minutes later `rtcal measure --boot`; at the end of
the day `rtcal shutdown` (measures and sets the RTC against the synchronised
clock) and the machine is powered off.

At each boot, before apply, the RTC's true error is read from the sim and
compared with what three methods predict from the log so far:
  two-rate   what `rtcal apply` does: the system clock's error right after it
  one-rate   the single drift fit's rate (drift --json rate_s_per_day) x time off
  hwclock    hwclock --update-drift's two-point factor (drift --json
             two_point_factor) x time off, as hwclock --hctosys would apply it
The bound is what no method can beat: an oracle that knows the mean rates
still misses this off period's wander and the shutdown's set error,
sqrt((WANDER x time off)² + SIGMA²) (RMS over the boots). The band is what the
fit itself states for the prediction: `rtcal --json apply`'s drift_ci95_s, the
two-rate fit's 95% half-width of the drift it corrects (calibration/two_rate.h
two_rate_prediction: the rates, the off period's wander, the shutdown's sigma,
Student's t). Targets: two-rate RMS <= 1.2 x the bound, and
the band covering the true error on >= 93% of the boots.

The ideal learner is the yardstick for both: it knows the wander and the
clock's sigma (not the rates) and learns the off-rate from the same off
intervals, each weighted by its true variance; its band is exact. Where it
misses a target on a seed, no method that learns from the log meets it there
(its first boots rest on one off interval; 58 boots of an exact 95% band
cover under 93% on about one seed in six). Per stretch of boots (2-10,
11-30, 31-) the RMS / bound and coverage of both.

Usage: autocal_bench.py RTCAL [--boots 60] [--seed 1 | --seeds 1-30 [--jobs 2]] [--smoke] [--trace] [--json]
Exit 0 when the targets are met (--seeds: over all the seeds' boots, with a
row per seed and how many seeds meet each; --smoke: when the two-rate fit's
RMS is under a fifth of the one-rate fit's, the qualitative claim), 1 not.
"""
import argparse
import concurrent.futures
import json
import math
import os
import random
import subprocess
import sys
import tempfile

T0 = 1793491200  # 2026-11-01 00:00:00 UTC


class Loop:
    def __init__(self, rtcal, d):
        self.rtcal, self.w, self.a, self.log = rtcal, f"{d}/w.json", f"{d}/adjtime", f"{d}/log.jsonl"
        self.env = dict(os.environ, RTCAL_FORBID_REAL_CLOCK="1", TZ="UTC", RTCAL_SYSCONF_ROOT=f"{d}/root")

    def run(self, *args, ok=(0,)):
        p = subprocess.run([self.rtcal, *args], capture_output=True, text=True, env=self.env)
        if p.returncode not in ok:
            sys.exit(f"autocal_bench: rtcal {' '.join(args)} exited {p.returncode}:\n{p.stdout}{p.stderr}")
        return p.stdout

    def rt(self, *args, ok=(0,)):
        return self.run("--rtc", f"sim:{self.w}", "--adjfile", self.a, "--log", self.log, *args, ok=ok)

    def show(self):
        return json.loads(self.run("sim", "show", self.w, "--json"))

    def edit(self, **fields):  # the sim file's documented fields (rtc/sim.cc)
        with open(self.w) as f:
            s = json.load(f)
        s.update(fields)
        with open(self.w, "w") as f:
            json.dump(s, f, indent=2)


class Ideal:
    """The best any method can do from the same log: it knows the wander and
    the clock's sigma (the variances), not the rates, and learns the off-rate
    from the off intervals measured so far (shutdown, where the RTC was set to
    the clock, to the next boot's `measure --boot`), each weighted by its
    known variance. Its band is exact: 1.96 sigma of its prediction error."""

    def __init__(self, args):
        self.wander, self.sigma = args.wander * 1e-6, args.sigma
        self.sum_w = self.sum_wr = 0.0

    def measured(self, change_s, off_s):  # an off interval: the RTC's logged error change over it
        var = self.wander ** 2 + 2 * self.sigma ** 2 / off_s ** 2  # of its rate, (s/s)²
        self.sum_w += 1 / var
        self.sum_wr += change_s / off_s / var

    def predict(self, truth_s, off_s):  # the system clock's error after applying the rate, its 95% band
        if self.sum_w == 0:
            return float("nan"), None
        error = truth_s - self.sum_wr / self.sum_w * off_s
        return error, 1.96 * math.sqrt(self.sigma ** 2 + (self.wander * off_s) ** 2 + off_s ** 2 / self.sum_w)


def run(args):
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as d:
        os.makedirs(f"{d}/root")
        L = Loop(args.rtcal, d)
        L.run("sim", "init", L.w, "--at", str(T0), "--rate-ppm", str(args.rate_on), "--off-rate-ppm", str(args.rate_off))
        with open(L.a, "w") as f:
            f.write(f"0.000000 {T0} 0.000000\n{T0}\nUTC\n")
        rows = []
        ideal = Ideal(args)
        for boot in range(args.boots):
            truth = L.show()["rtc_error_s"]
            fit = json.loads(L.rt("--json", "drift", ok=(0, 1))) if boot > 0 else {}
            applied = json.loads(L.rt("--json", "apply"))
            if boot > 0 and fit.get("rate_off_s_per_day") is not None:
                off_days = off_s / 86400
                band = applied["drift_ci95_s"]
                floor = math.hypot(args.wander * 1e-6 * off_s, args.sigma)
                two = L.show()["system_error_s"]
                one = truth - fit["rate_s_per_day"] * off_days
                tpf = fit.get("two_point_factor")
                hw = truth + tpf * off_days if tpf is not None else float("nan")
                best, best_band = ideal.predict(truth, off_s)
                rows.append((two, one, hw, band, floor, best, best_band, boot))
                if args.trace:
                    print(f"boot {boot}: off {off_s / 3600:.2f} h, two-rate error {two * 1e3:+.2f} ms, band "
                          f"{band * 1e3 if band is not None else float('nan'):.2f} ms, bound {floor * 1e3:.2f} ms; fit: wander on "
                          f"{fit['wander_on_s_per_day'] / 0.0864:.3f} ppm, off {fit['wander_off_s_per_day'] / 0.0864:.3f} ppm, "
                          f"scatter {fit['two_rate_scatter_scale']:.2f}; ideal error {best * 1e3:+.2f} ms, band {best_band * 1e3:.2f} ms")
            # NTP: the system clock within SIGMA of true time, synchronised.
            boot_error_s = rng.gauss(0, args.sigma)
            if boot > 0:
                ideal.measured(truth - boot_error_s, off_s)
            L.edit(system_error_ns=round(boot_error_s * 1e9), kernel_synced=True)
            L.run("sim", "advance", L.w, "5m")
            L.rt("measure", "--boot", "--system-error", "0", "--sigma", str(args.sigma))
            on_s = 8 * 3600 + rng.uniform(-3600, 3600) - 300
            L.edit(rtc_rate_ppm=args.rate_on + rng.gauss(0, args.wander))
            L.run("sim", "advance", L.w, f"{on_s:.0f}s")
            L.edit(system_error_ns=round(rng.gauss(0, args.sigma) * 1e9))
            L.rt("shutdown", "--sigma", str(args.sigma))
            off_s = round(16 * 3600 + rng.uniform(-3600, 3600))
            L.edit(rtc_off_rate_ppm=args.rate_off + rng.gauss(0, args.wander))
            L.run("sim", "power-off", L.w, f"{off_s}s")
        return rows


def rms(xs):
    xs = [x for x in xs if not math.isnan(x)]
    return math.sqrt(sum(x * x for x in xs) / len(xs)) if xs else float("nan")


def coverage(errors, bands):  # no band: a miss
    return sum(b is not None and abs(e) <= b for e, b in zip(errors, bands)) / len(errors)


def windows(rows):
    """RMS / bound and coverage per stretch of boots: how much of the whole
    the first boots, which must learn the off-rate from one or a few off
    intervals, make up."""
    out = []
    for lo, hi in ((2, 10), (11, 30), (31, 10 ** 9)):
        sel = [r for r in rows if lo <= r[7] <= hi]
        if not sel:
            continue
        two, _, _, band, floor, best, best_band, boots = zip(*sel)
        out.append({"boots": f"{min(boots)}-{max(boots)}", "ratio": rms(two) / rms(floor), "ideal_ratio": rms(best) / rms(floor),
                    "covered": coverage(two, band), "ideal_covered": coverage(best, best_band)})
    return out


def over_seeds(args):
    """--seeds A-B: the --json figures of every seed (--jobs at a time), a
    table row each, and the figures over all their boots."""
    first, last = (int(x) for x in args.seeds.split("-"))
    cmd = [sys.executable, __file__, args.rtcal, "--json", "--boots", str(args.boots), "--rate-on", str(args.rate_on),
           "--rate-off", str(args.rate_off), "--wander", str(args.wander), "--sigma", str(args.sigma)]
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        outs = list(pool.map(lambda n: subprocess.run(cmd + ["--seed", str(n)], capture_output=True, text=True),
                             range(first, last + 1)))
    res = []
    for o in outs:
        if not o.stdout.startswith("{"):
            sys.exit(f"autocal_bench: a seed failed:\n{o.stdout}{o.stderr}")
        res.append(json.loads(o.stdout))
    ms = lambda x: f"{x * 1e3:.2f}"
    bold = lambda text, ok: text if ok else f"**{text}**"
    print(f"boots {args.boots}, seeds {first}-{last} (on {args.rate_on} ppm, off {args.rate_off} ppm, wander {args.wander} ppm, "
          f"clock sigma {args.sigma * 1e3:g} ms); RMS in ms")
    print("| seed | two-rate | one-rate | `hwclock --update-drift` | bound | RMS / bound (≤ 1.2) | band covers (≥ 93%) "
          "| ideal learner: RMS / bound | its exact band covers |")
    print("|---|---|---|---|---|---|---|---|---|")
    for d in res:
        cells = [str(d["seed"]), ms(d["two_rate_rms_s"]), f"{d['one_rate_rms_s'] * 1e3:.0f}", f"{d['hwclock_rms_s'] * 1e3:.0f}",
                 ms(d["bound_s"]), bold(f"{d['ratio']:.2f}", d["ratio"] <= 1.2),
                 bold(f"{d['covered'] * 100:.1f}%", d["covered"] >= 0.93), bold(f"{d['ideal_ratio']:.2f}", d["ideal_ratio"] <= 1.2),
                 bold(f"{d['ideal_covered'] * 100:.1f}%", d["ideal_covered"] >= 0.93)]
        print("| " + " | ".join(cells) + " |")
    n = sum(d["evaluated"] for d in res)
    pooled = lambda key: math.sqrt(sum(d[key] ** 2 * d["evaluated"] for d in res) / n)
    share = lambda key: sum(d[key] * d["evaluated"] for d in res) / n
    ratio, covered = pooled("two_rate_rms_s") / pooled("bound_s"), share("covered")
    print(f"over all {n} boots: two-rate RMS / bound {ratio:.3f} (one-rate {pooled('one_rate_rms_s') / pooled('bound_s'):.1f}, "
          f"hwclock {pooled('hwclock_rms_s') / pooled('bound_s'):.1f}; the ideal learner {pooled('ideal_rms_s') / pooled('bound_s'):.3f}, "
          f"its expected {pooled('learning_bound_s') / pooled('bound_s'):.3f}), band covers {covered * 100:.1f}% "
          f"(the ideal's exact band {share('ideal_covered') * 100:.1f}%)")
    for name, key, ideal_key in (("RMS / bound <= 1.2", "ratio", "ideal_ratio"), ("band covers >= 93%", "covered", "ideal_covered")):
        ok = (lambda d, k: d[k] <= 1.2) if key == "ratio" else (lambda d, k: d[k] >= 0.93)
        print(f"{name}: {sum(ok(d, key) for d in res)} of {len(res)} seeds (the ideal learner: {sum(ok(d, ideal_key) for d in res)})")
    # How much wider the bands would have to be for every seed to cover 93%,
    # and what they would then cover over all boots.
    need = lambda r: sorted(r, reverse=True)[int(0.07 * len(r))]
    widen = max(need(d["miss_ratios"]) for d in res)
    wide = sum(x <= widen for d in res for x in d["miss_ratios"]) / n
    print(f"the bands x {widen:.2f} would cover 93% on every seed, and {wide * 100:.1f}% of all boots")
    met = ratio <= 1.2 and covered >= 0.93
    print("targets over all boots " + ("met" if met else "NOT met"))
    sys.exit(0 if met else 1)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("rtcal")
    p.add_argument("--boots", type=int, default=60)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--rate-on", type=float, default=5.0)
    p.add_argument("--rate-off", type=float, default=25.0)
    p.add_argument("--wander", type=float, default=0.2, help="ppm, 1 sigma per period")
    p.add_argument("--sigma", type=float, default=0.005, help="the synchronised clock's error, s (1 sigma)")
    p.add_argument("--smoke", action="store_true")
    p.add_argument("--trace", action="store_true", help="print every evaluated boot")
    p.add_argument("--json", action="store_true", help="the figures as one JSON object (for tables over seeds)")
    p.add_argument("--seeds", help="A-B: every seed from A to B, a table row each and the figures over all their boots")
    p.add_argument("--jobs", type=int, default=2, help="with --seeds: seeds run at a time")
    args = p.parse_args()
    if args.seeds:
        over_seeds(args)
    rows = run(args)
    if not rows:
        sys.exit("autocal_bench: no boot had a two-rate fit")
    two, one, hw, band, floor, best, best_band, boots = (list(c) for c in zip(*rows))
    bound = rms(floor)
    covered = coverage(two, band)
    ratio = rms(two) / bound
    if args.json:
        print(json.dumps({"seed": args.seed, "evaluated": len(rows), "two_rate_rms_s": rms(two), "one_rate_rms_s": rms(one),
                          "hwclock_rms_s": rms(hw), "bound_s": bound, "ratio": ratio, "covered": covered,
                          "ideal_rms_s": rms(best), "ideal_ratio": rms(best) / bound, "ideal_covered": coverage(best, best_band),
                          "learning_bound_s": rms([b / 1.96 for b in best_band]),
                          "miss_ratios": [abs(e) / b if b else float("inf") for e, b in zip(two, band)],
                          "windows": windows(rows)}))
        sys.exit(0 if ratio <= 1.2 and covered >= 0.93 else 1)
    print(f"boots {args.boots}, evaluated {len(rows)} (seed {args.seed}; on {args.rate_on} ppm, off {args.rate_off} ppm, "
          f"wander {args.wander} ppm, clock sigma {args.sigma * 1e3:g} ms)")
    print(f"| method | next-boot error RMS, ms | RMS / bound | 95% band covers |")
    print(f"|---|---|---|---|")
    print(f"| two-rate fit (rtcal apply) | {rms(two) * 1e3:.2f} | {ratio:.2f} | {covered * 100:.1f}% |")
    print(f"| one-rate fit (rtcal drift) | {rms(one) * 1e3:.2f} | {rms(one) / bound:.1f} | |")
    print(f"| hwclock --update-drift | {rms(hw) * 1e3:.2f} | {rms(hw) / bound:.1f} | |")
    print(f"| ideal learner (knows wander and sigma, learns the rates) | {rms(best) * 1e3:.2f} | {rms(best) / bound:.2f} | "
          f"{coverage(best, best_band) * 100:.1f}% |")
    print(f"| bound (known mean rates: wander and set error only) | {bound * 1e3:.2f} | 1 | |")
    for w in windows(rows):
        print(f"boots {w['boots']}: two-rate RMS / bound {w['ratio']:.2f}, ideal {w['ideal_ratio']:.2f}; "
              f"band covers {w['covered'] * 100:.1f}%, ideal's {w['ideal_covered'] * 100:.1f}%")
    print(f"two-rate RMS / bound = {ratio:.2f} (target <= 1.2); 95% band covers {covered * 100:.1f}% (target >= 93%)")
    met = ratio <= 1.2 and covered >= 0.93
    print("targets " + ("met" if met else "NOT met"))
    if args.smoke:
        met = rms(two) < rms(one) / 5
        print("smoke: two-rate RMS " + ("under" if met else "NOT under") + " a fifth of the one-rate RMS")
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()

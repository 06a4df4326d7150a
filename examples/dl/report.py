#!/usr/bin/python3
"""Summary table of a examples/dl track (run-libtorch.sh, run-opencv.sh).

    report.py [--title T] [--line2 FMT] [--baseline B] [--startup S] \\
        OUT IMAGES SAMPLES ROUNDS DESC MARCH CONFIG...

OUT holds, per study C (sr, ud, chop-bf16, ...): C.json (prism-sample --json),
C-labels.json (prism-sample --categorical --json over the labels), C/ (the
prism-sample workdir: reference/summary.txt and run-NNNN/summary.txt with an
'accuracy' line); and per config C and timing round R (1..ROUNDS)
time-C-R.txt with an 'infer_seconds' line. CONFIG lists native, ieee and the
studies. DESC and MARCH fill the second line (--line2, a str.format with
{desc} and {march}). The defaults give the libtorch track's text.
"""
import argparse
import json
import os
import statistics


def parse():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--title", default="Fashion-MNIST CNN, Debian torch 1.13.1")
    ap.add_argument("--line2", default="ATen CPU kernels rebuilt with prism (LD_PRELOAD); "
                    "BLAS: {desc}; {march}")
    ap.add_argument("--baseline", default="the native-built kernels (same BLAS kind)")
    ap.add_argument("--startup", default="python and torch start-up")
    ap.add_argument("out")
    ap.add_argument("images", type=int)
    ap.add_argument("samples", type=int)
    ap.add_argument("rounds", type=int)
    ap.add_argument("desc")
    ap.add_argument("march")
    ap.add_argument("configs", nargs="+")
    a = ap.parse_args()
    for c in ("native", "ieee"):
        if c not in a.configs:
            ap.error(f"CONFIG must include {c}")
    return a


def value(path, key):
    """The number after KEY in a 'key value' file."""
    for line in open(path):
        k, _, x = line.partition(" ")
        if k == key:
            return float(x)
    raise SystemExit(f"report.py: no '{key}' line in {path}")


def main():
    a = parse()
    out = a.out
    times = {c: min(value(os.path.join(out, f"time-{c}-{r}.txt"), "infer_seconds")
                    for r in range(1, a.rounds + 1)) for c in a.configs}
    acc = lambda d: value(os.path.join(d, "summary.txt"), "accuracy")
    print(f"{a.title}, {a.images} test images, {a.samples} runs per study")
    print(a.line2.format(desc=a.desc, march=a.march))
    print(f"{'study':<10} {'CNH bits (min/med/mean)':>24} {'general med':>11} {'mean Dice':>9} "
          f"{'label agr.':>10} {'accuracy (ieee; runs mean/min)':>31} {'slowdown':>8} {'run s':>6}")
    f = lambda x: "n/a" if x is None else f"{x:.1f}"
    for c in a.configs:
        if c in ("native", "ieee"):
            continue
        d = json.load(open(os.path.join(out, f"{c}.json")))
        lab = json.load(open(os.path.join(out, f"{c}-labels.json")))
        s = d["summary"]
        cnh, gen = s.get("sig_bits_cnh") or {}, s.get("sig_bits_general") or {}
        agr = statistics.mean(o["agreement"] for o in lab["outputs"])
        ref = acc(os.path.join(out, c, "reference"))
        accs = [acc(os.path.join(out, c, f"run-{i:04d}")) for i in range(a.samples)]
        bits = f"{f(cnh.get('min'))} / {f(cnh.get('median'))} / {f(cnh.get('mean'))}"
        accuracy = f"{ref:.4f}; {statistics.mean(accs):.4f}/{min(accs):.4f}"
        print(f"{c:<10} {bits:>24} {f(gen.get('median')):>11} "
              f"{lab['categorical']['mean_dice']:>9.4f} {agr:>10.4f} {accuracy:>31} "
              f"{times[c] / times['native']:>7.2f}x {d['timings']['run_seconds_median']:>6.1f}")
    print(f"slowdown = inference time / that of {a.baseline}, min of {a.rounds} rounds; "
          f"run s = median wall time of one study run ({a.startup} included):")
    print("  " + ", ".join(f"{c} {times[c]:.3f} s" for c in a.configs)
          + f"; ieee/native {times['ieee'] / times['native']:.2f}x")


if __name__ == "__main__":
    main()

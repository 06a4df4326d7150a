#!/usr/bin/env python3
"""variability.py REF SAMPLE... - per output line: the ieee value, the spread
of the sr samples and Parker's significant bits -log2|sigma/mu|.
A stop-gap until prism-sample; standard library only."""
import math
import statistics
import sys

NAMES = ["zeta(2), float forward sum", "naive variance (cancellation)",
         "Cramer 2x2, cond ~ 3e10", "positive dot product"]


def read(path):
    with open(path) as f:
        return [float(tok) for tok in f.read().split()]


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: variability.py REF SAMPLE...")
    ref = read(sys.argv[1])
    samples = [read(p) for p in sys.argv[2:]]
    print(f"{'output':32} {'ieee':>24} {'sr min':>24} {'sr max':>24} {'sig. bits':>9}")
    for i, y in enumerate(ref):
        xs = [s[i] for s in samples]
        mu, sd = statistics.fmean(xs), statistics.pstdev(xs)
        if sd == 0:
            bits = "all"
        elif mu == 0:
            bits = "0"
        else:
            bits = f"{max(0.0, -math.log2(abs(sd / mu))):.1f}"
        name = NAMES[i] if i < len(NAMES) else f"output {i}"
        print(f"{name:32} {y:24.17g} {min(xs):24.17g} {max(xs):24.17g} {bits:>9}")


if __name__ == "__main__":
    main()

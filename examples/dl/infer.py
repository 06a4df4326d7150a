#!/usr/bin/python3
"""Fashion-MNIST inference with Debian's torch, for prism-sample.

    /usr/bin/python3 examples/dl/infer.py [-n N] [--threads T] [--aten-kernels LIB] ...

Runs the TorchScript CNN on the first N test images (batch of N, or
--batch) with MKL-DNN off, so convolutions and linear layers go through
ATen's own kernels and sgemm_ of libblas.so.3. Prints the logits on stdout,
one value per line in image-major order (hex floats by default: exact, and
read by prism-sample), or the predicted labels with --output labels.
The predicted labels, the accuracy and the inference time go to stderr and,
with --labels-out / --summary-out, to files.

--aten-kernels LIB re-executes the script with LD_PRELOAD=LIB and
ATEN_CPU_CAPABILITY=default: LIB's DispatchStub entry points (the rebuilt
aten/src/ATen/native/cpu kernels) then replace Debian's. --capability sets
ATEN_CPU_CAPABILITY alone (e.g. default, to compare with the plain library).
"""
import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def parse():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("-n", "--images", type=int, default=100,
                    help="number of test images, the first ones (default 100, max 10000)")
    ap.add_argument("--batch", type=int, default=0,
                    help="images per forward call (default: all N at once)")
    ap.add_argument("--threads", type=int, default=1,
                    help="torch.set_num_threads (default 1)")
    ap.add_argument("--model", default=os.path.join(HERE, "model", "fmnist_cnn.pt"))
    ap.add_argument("--aten-kernels", metavar="LIB",
                    help="preload LIB (rebuilt ATen CPU kernels); sets ATEN_CPU_CAPABILITY=default")
    ap.add_argument("--capability", choices=["default", "avx2", "avx512"],
                    help="ATEN_CPU_CAPABILITY for this run")
    ap.add_argument("--output", choices=["logits", "labels", "none"], default="logits",
                    help="what goes to stdout (default logits)")
    ap.add_argument("--format", choices=["hex", "repr"], default="hex",
                    help="logits as exact hex floats (default) or shortest float32 decimals")
    ap.add_argument("--labels-out", metavar="FILE", help="write the predicted labels, one a line")
    ap.add_argument("--summary-out", metavar="FILE",
                    help="write 'accuracy A', 'correct C', 'images N', 'infer_seconds S'")
    ap.add_argument("--warmup", type=int, default=0,
                    help="untimed forward passes before the timed ones (default 0)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="timed forward passes (at least); the time is their mean, the outputs those of the last")
    ap.add_argument("--min-seconds", type=float, default=0.0,
                    help="repeat the timed passes until they add up to this many seconds (timing)")
    ap.add_argument("-q", "--quiet", action="store_true", help="nothing on stderr")
    a = ap.parse_args()
    if not 1 <= a.images <= 10000:
        ap.error(f"--images must be in 1..10000, got {a.images}")
    if a.batch < 0 or a.warmup < 0 or a.threads < 1 or a.repeat < 1:
        ap.error("--batch and --warmup must be >= 0, --threads and --repeat >= 1")
    if not os.path.isfile(a.model):
        ap.error(f"no model file {a.model} (train it: /usr/bin/python3 {HERE}/train.py)")
    return a


def preload(a):
    """Re-executes with LIB preloaded; returns when it already is."""
    lib = os.path.abspath(a.aten_kernels)
    if not os.path.isfile(lib):
        sys.exit(f"infer.py: --aten-kernels: no such file {lib}")
    pre = os.environ.get("LD_PRELOAD", "").split()
    if lib in pre and os.environ.get("ATEN_CPU_CAPABILITY") == "default":
        return
    env = dict(os.environ)
    env["LD_PRELOAD"] = " ".join([lib] + [p for p in pre if p != lib])
    env["ATEN_CPU_CAPABILITY"] = "default"
    os.execve(sys.executable, [sys.executable] + sys.argv, env)


def main():
    a = parse()
    if a.aten_kernels:
        if a.capability and a.capability != "default":
            sys.exit("infer.py: --aten-kernels replaces the DEFAULT kernels: --capability must be default")
        preload(a)
    elif a.capability:
        os.environ["ATEN_CPU_CAPABILITY"] = a.capability

    sys.path.insert(0, HERE)
    sys.dont_write_bytecode = True  # no __pycache__ in the source tree
    import fmnist
    import numpy as np
    import torch

    torch.backends.mkldnn.enabled = False
    torch.set_num_threads(a.threads)
    torch.set_grad_enabled(False)

    x, y = fmnist.load("test", a.images)
    model = torch.jit.load(a.model, map_location="cpu").eval()
    inp = torch.from_numpy(x)
    bs = a.batch or a.images

    def forward():
        return torch.cat([model(inp[i:i + bs]) for i in range(0, a.images, bs)])

    for _ in range(a.warmup):
        forward()
    t0 = time.perf_counter()
    passes = 0
    while passes < a.repeat or time.perf_counter() - t0 < a.min_seconds:
        logits = forward()
        passes += 1
    secs = (time.perf_counter() - t0) / passes

    out = logits.numpy().astype(np.float32)
    pred = out.argmax(1)
    correct = int((pred == y).sum())
    acc = correct / a.images

    lines = []
    if a.output == "logits":
        if a.format == "hex":
            lines = [float(v).hex() for v in out.ravel()]
        else:
            lines = [repr(float(v)) if v != v or abs(v) == float("inf")
                     else np.format_float_positional(v, unique=True, trim="-")
                     for v in out.ravel()]
    elif a.output == "labels":
        lines = [str(int(p)) for p in pred]
    if lines:
        sys.stdout.write("\n".join(lines) + "\n")
    if a.labels_out:
        with open(a.labels_out, "w") as f:
            f.write("".join(f"{int(p)}\n" for p in pred))
    if a.summary_out:
        with open(a.summary_out, "w") as f:
            f.write(f"accuracy {acc!r}\ncorrect {correct}\nimages {a.images}\n"
                    f"infer_seconds {secs!r}\n")
    if not a.quiet:
        cap = os.environ.get("ATEN_CPU_CAPABILITY", "(torch's choice)")
        pre = os.environ.get("LD_PRELOAD", "") or "(none)"
        print(f"infer.py: {a.images} images, {a.threads} thread(s), capability {cap}, "
              f"preload {pre}, backend {os.environ.get('PRISM_BACKEND', '-')}: "
              f"accuracy {acc:.4f} ({correct}/{a.images}), inference {secs:.4f} s",
              file=sys.stderr)


if __name__ == "__main__":
    main()

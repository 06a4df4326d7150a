#!/usr/bin/env bash
# README command 1: set up, build prism, instrument the bundled examples, run
# them under several backends and report the significant bits that survive:
#   1. examples/basic/numerics.c (seconds): ieee bit-identical to the native
#      build, then 10 runs under sr and under ud with prism-sample;
#   2. the libtorch track of examples/dl (about 10 minutes on 2 cores): Debian's
#      torch runs a Fashion-MNIST CNN with ATen CPU kernels and netlib BLAS
#      rebuilt from Debian's sources with prism; prism-sample studies under sr,
#      ud and chop (bf16, fp16, e4m3): significant bits of the logits, label
#      agreement with the ieee run, accuracy and slowdown per backend.
# Environment: DEMO_DL=0 skips part 2; the variables of
# examples/dl/run-libtorch.sh (IMAGES, SAMPLES, BACKENDS, ATEN_FILES, ...)
# change part 2 (defaults here: 100 images, 10 runs, the CNN's kernel files).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
t0=$SECONDS
demo_dl=${DEMO_DL:-1}
[[ "$demo_dl" == 0 || "$demo_dl" == 1 ]] || { echo "demo.sh: DEMO_DL must be 0 or 1, got '$demo_dl'" >&2; exit 2; }
step() { printf '\n######## [%4d s] %s\n' "$((SECONDS - t0))" "$*"; }

step "Debian packages (scripts/setup.sh $([[ $demo_dl == 1 ]] && echo all || echo core))"
scripts/setup.sh "$([[ $demo_dl == 1 ]] && echo all || echo core)"
step "prism: configure and build (build/)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" --target PrismPass prism prism-backend-ieee prism-backend-sr \
  prism-backend-ud prism-backend-chop prism-chop prism-sample

step "examples/basic/numerics.c"
out=build/demo
mkdir -p "$out"
build/bin/prism-cc -O2 examples/basic/numerics.c -o "$out/numerics" -lm
echo "== native (clang-19 -O2) and instrumented under PRISM_BACKEND=ieee"
clang-19 -O2 examples/basic/numerics.c -o "$out/numerics-native" -lm
"$out/numerics-native" > "$out/native.txt"
PRISM_BACKEND=ieee "$out/numerics" > "$out/ieee.txt"
if cmp -s "$out/native.txt" "$out/ieee.txt"; then
  echo "ieee output is bit-identical to the native build"
else
  echo "ieee output DIFFERS from the native build" >&2
  exit 1
fi
for backend in sr ud; do
  echo
  echo "== prism-sample: 10 runs under $backend against the ieee run"
  build/bin/prism-sample -n 10 -j "$(nproc)" --backend "$backend" \
    --json "$out/$backend.json" --html "$out/$backend.html" -- "$out/numerics"
done
echo
echo "reports: $out/sr.html $out/ud.html (JSON beside them)"
((demo_dl == 1)) || exit 0

step "deep-learning inference: the libtorch track (examples/dl/run-libtorch.sh)"
# The kernel files on the CNN's path with floating-point work or data
# movement (BatchNorm, conv's unfold, ReLU's clamp, max-pool); argmax and
# fill stay Debian's. All 52 files: ATEN_FILES="" (about 15 more minutes).
export ATEN_FILES=${ATEN_FILES-batch_norm_kernel.cpp Unfold2d.cpp TensorCompareKernel.cpp MaxPoolKernel.cpp}
export IMAGES=${IMAGES:-100} SAMPLES=${SAMPLES:-10} TIMING_ROUNDS=${TIMING_ROUNDS:-2} JOBS=${JOBS:-2}
NO_PRISM_BUILD=1 bash examples/dl/run-libtorch.sh build
echo "demo.sh: done in $((SECONDS - t0)) s"

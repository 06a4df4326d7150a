#!/usr/bin/env bash
# README command 1: set up, build, instrument the bundled example, run it under
# ieee and under sr with several seeds, and show how much each output varies.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/setup.sh core
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"

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
echo "== PRISM_BACKEND=sr, seeds 1..10"
samples=()
for seed in $(seq 1 10); do
  PRISM_BACKEND=sr PRISM_SEED=$seed "$out/numerics" > "$out/sr-$seed.txt"
  samples+=("$out/sr-$seed.txt")
done
python3 examples/basic/variability.py "$out/ieee.txt" "${samples[@]}"

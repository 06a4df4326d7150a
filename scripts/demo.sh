#!/usr/bin/env bash
# README command 1: set up, build, instrument the bundled example, run it under
# ieee, then under sr and ud with prism-sample: significant bits of each output.
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
for backend in sr ud; do
  echo
  echo "== prism-sample: 10 runs under $backend against the ieee run"
  build/bin/prism-sample -n 10 -j "$(nproc)" --backend "$backend" \
    --json "$out/$backend.json" --html "$out/$backend.html" -- "$out/numerics"
done
echo
echo "reports: $out/sr.html $out/ud.html (JSON beside them)"

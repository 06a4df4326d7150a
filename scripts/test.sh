#!/usr/bin/env bash
# README command 2: set up, build, run every test (GoogleTest and lit, via ctest).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/setup.sh all   # core + the deep-learning packages (ctest dl.libtorch)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)"
cd build
ctest --output-on-failure -j"$(nproc)" --timeout 900

#!/usr/bin/env bash
# CI's reduced libtorch track (ctest dl.libtorch): Debian's torch runs the
# Fashion-MNIST CNN on a few test images with the BatchNorm kernels of ATen
# (aten/src/ATen/native/cpu/batch_norm_kernel.cpp) and netlib BLAS rebuilt
# from Debian's sources, natively and with prism (the builds of
# run-libtorch.sh). Asserts:
#   - PRISM_BACKEND=ieee reproduces the native rebuild's logits bit for bit;
#   - sr (seed 1) changes them, and prism-sample's CNH significant bits of the
#     logits (5 runs) have a median in a plausible range for float: [10, 24].
# Why that range: the logits are sums of a few thousand float products, so sr
# keeps most of float's 24 bits (18-19 measured on 100 images, see
# docs/PERFORMANCE.md); below 10 would mean the perturbation is not sr's
# last-bit noise, above 24 that nothing was perturbed.
# Usage: examples/dl/test-libtorch.sh [BUILD_DIR]   (default: <repo>/build)
# Environment: IMAGES (default 8), ATEN_FILES (default batch_norm_kernel.cpp).
# Exit 77 (ctest: skipped) when Debian's torch is not installed or a source
# package cannot be fetched; 1 when a check fails; 2 on bad usage.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fail() { echo "test-libtorch.sh: FAIL: $*" >&2; exit 1; }
skip() { echo "test-libtorch.sh: SKIP: $*" >&2; exit 77; }
[[ $# -le 1 && "${1:-}" != -* ]] || { echo "usage: test-libtorch.sh [BUILD_DIR]" >&2; exit 2; }
build=${1:-$here/../../build}
[[ -d "$build" ]] || { echo "test-libtorch.sh: no build directory '$build'" >&2; exit 2; }
build=$(cd "$build" && pwd)
images=${IMAGES:-8}
[[ "$images" =~ ^[1-9][0-9]*$ ]] || { echo "test-libtorch.sh: IMAGES must be a positive integer, got '$images'" >&2; exit 2; }
export ATEN_FILES=${ATEN_FILES:-batch_norm_kernel.cpp}

/usr/bin/python3 -c 'import torch' 2>/dev/null ||
  skip "Debian's torch is not installed (bash scripts/setup.sh dl)"

# build SCRIPT: runs a build script of examples/dl; its exit 3 means the
# source package is unreachable.
build_lib() {
  local status=0
  bash "$1" "$build" || status=$?
  ((status != 3)) || skip "$(basename "$1"): the source package is not reachable"
  ((status == 0)) || fail "$(basename "$1") failed ($status)"
}
build_lib "$here/libtorch/build-aten-kernels.sh"
build_lib "$here/blas/build-blas.sh"

source "$here/march.sh"   # dl_march_tag, as the build scripts
aten=$build/dl/aten/$dl_march_tag blas=$build/dl/blas/$dl_march_tag
work=$build/dl/test-libtorch
rm -rf "$work"; mkdir -p "$work"

# infer VARIANT OUT [VAR=VALUE ...]: logits of the first $images images with
# the VARIANT (native or prism) kernels and BLAS.
infer() {
  local v=$1 out=$2; shift 2
  env -u PRISM_BACKEND -u PRISM_SEED LD_LIBRARY_PATH="$blas/$v" "$@" \
    /usr/bin/python3 "$here/infer.py" -n "$images" -q --aten-kernels "$aten/$v/libaten-kernels.so" \
    > "$out" || fail "infer.py failed ($v $*)"
}
infer native "$work/native.txt"
infer prism "$work/ieee.txt" PRISM_BACKEND=ieee
infer prism "$work/sr.txt" PRISM_BACKEND=sr PRISM_SEED=1
n=$(wc -l < "$work/native.txt")
((n == images * 10)) || fail "expected $((images * 10)) logits from the native build, got $n"

cmp -s "$work/ieee.txt" "$work/native.txt" ||
  fail "ieee logits differ from the native build's ($(paste "$work/ieee.txt" "$work/native.txt" | awk '$1 != $2' | wc -l) of $n)"
echo "ok: ieee reproduces the native build's $n logits bit for bit"
changed=$(paste "$work/sr.txt" "$work/ieee.txt" | awk '$1 != $2' | wc -l)
((changed > 0)) || fail "sr (seed 1) left all $n logits unchanged"
echo "ok: sr (seed 1) changes $changed of $n logits"

LD_LIBRARY_PATH="$blas/prism" "$build/bin/prism-sample" -q -n 5 -j 2 --backend sr --precision 24 \
  --json "$work/sr.json" -- /usr/bin/python3 "$here/infer.py" -n "$images" -q \
  --aten-kernels "$aten/prism/libaten-kernels.so" > "$work/sr-report.txt" ||
  fail "prism-sample failed (see $work/sr-report.txt)"
median=$(/usr/bin/python3 -c 'import json, sys
print(round(json.load(open(sys.argv[1]))["summary"]["sig_bits_cnh"]["median"], 2))' "$work/sr.json") ||
  fail "no CNH median in $work/sr.json"
awk -v m="$median" 'BEGIN { exit !(m >= 10 && m <= 24) }' ||
  fail "median CNH significant bits of the logits under sr is $median, outside [10, 24]"
echo "ok: sr keeps a median of $median significant bits (CNH) of the logits (5 runs, in [10, 24])"

#!/usr/bin/env bash
# Checks the two BLAS builds of build-blas.sh against each other: gemm_check
# (a native C program calling sgemm_, dgemm_, cblas_sgemm, cblas_dgemm) run
# with LD_LIBRARY_PATH on the native libblas.so.3 is the oracle; on the prism
# one, PRISM_BACKEND=ieee must print the same bytes, and sr with two seeds must
# differ from it (and from each other) while every sum stays close.
# Usage: examples/dl/blas/test-blas.sh [BUILD_DIR]   (default: <repo>/build)
# DL_MARCH picks the pair of builds, as for build-blas.sh (default x86-64-v3).
# Exit 77 (ctest: skipped) when the lapack source cannot be fetched.
set -euo pipefail

die() { echo "test-blas.sh: $*" >&2; exit 1; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${1:-$here/../../../build}
[[ $# -le 1 && "${1:-}" != -* ]] || { echo "usage: test-blas.sh [BUILD_DIR]" >&2; exit 2; }
[[ -d "$build" ]] || { echo "test-blas.sh: no build directory '$build'" >&2; exit 2; }
build=$(cd "$build" && pwd)

status=0
bash "$here/build-blas.sh" "$build" || status=$?
if ((status == 3)); then
  echo "test-blas.sh: SKIP: the lapack source package is not reachable" >&2
  exit 77
fi
((status == 0)) || die "build-blas.sh failed ($status)"

source "$here/../march.sh"   # dl_march_tag, as build-blas.sh
native=$build/dl/blas/$dl_march_tag/native prism=$build/dl/blas/$dl_march_tag/prism
src=$(ls -d "$build"/dl/lapack-src/lapack-*/ | head -n1)
work=$build/dl/blas/$dl_march_tag/check
mkdir -p "$work"
clang-19 -O2 -I"${src}CBLAS/include" -I"$native/include" "$here/gemm_check.c" \
  -L"$native" -lblas -o "$work/gemm_check" || die "cannot build gemm_check"

# run LIBDIR [VAR=VALUE ...]: gemm_check's output with that libblas.so.3.
run() {
  local dir=$1; shift
  env -u PRISM_BACKEND -u PRISM_SEED LD_LIBRARY_PATH="$dir" "$@" "$work/gemm_check" ||
    die "gemm_check failed with $dir $*"
}
ref=$(run "$native")
[[ $(wc -l <<<"$ref") -eq 4 ]] || die "unexpected output: $ref"
# The prism library must be the one loaded (a stale or system libblas would
# make every comparison below meaningless).
[[ $(LD_LIBRARY_PATH=$prism ldd "$work/gemm_check") == *"=> $prism/libblas.so.3 "* ]] ||
  die "gemm_check does not load $prism/libblas.so.3"

fail=0
ieee=$(run "$prism" PRISM_BACKEND=ieee)
if [[ "$ieee" == "$ref" ]]; then echo "ok: ieee is bit-identical to the native BLAS"
else echo "FAIL: ieee differs from the native BLAS"; diff <(echo "$ref") <(echo "$ieee") || true; fail=1; fi
unset_out=$(run "$prism")
[[ "$unset_out" == "$ref" ]] || { echo "FAIL: PRISM_BACKEND unset differs from native"; fail=1; }

sr1=$(run "$prism" PRISM_BACKEND=sr PRISM_SEED=1)
sr2=$(run "$prism" PRISM_BACKEND=sr PRISM_SEED=2)
for s in "$sr1" "$sr2"; do
  # Each call's hash must change; its sum must stay within 1e-4 (float) or
  # 1e-10 (double) relative of the native one.
  if ! paste -d' ' <(echo "$ref") <(echo "$s") | awk '
      { tol = ($1 ~ /^(s|cblas_s)/) ? 1e-4 : 1e-10
        d = $6 - $3; if (d < 0) d = -d; r = $3 < 0 ? -$3 : $3
        if ($1 != $4 || $2 == $5 || d > tol * r) { print "  " $0; bad = 1 } }
      END { exit bad }'; then
    echo "FAIL: sr output not perturbed or not close (native | sr):"; fail=1
  fi
done
[[ "$sr1" != "$sr2" ]] || { echo "FAIL: sr seeds 1 and 2 give the same output"; fail=1; }
((fail)) || echo "ok: sr (seeds 1, 2) perturbs every gemm and stays close"
printf 'native:\n%s\nsr seed 1:\n%s\n' "$ref" "$sr1"
exit $fail

#!/usr/bin/env bash
# Builds Netlib BLAS + CBLAS (Debian's lapack source package) twice as
# libblas.so.3: natively with flang-new-19/clang-19 and instrumented with
# prism-fc/prism-cc, same flags. Either one replaces Debian's libblas.so.3
# through LD_LIBRARY_PATH (torch without MKL-DNN calls sgemm_ from it).
#
# Usage: examples/dl/blas/build-blas.sh [BUILD_DIR]   (default: <repo>/build)
#   sources:  BUILD_DIR/dl/lapack-src/lapack-*/   (apt-get source, reused)
#   output:   BUILD_DIR/dl/blas/TAG/{native,prism}/libblas.so.3
# Environment: DL_MARCH target of both builds (default x86-64-v3, i.e. AVX2 +
# FMA; native, none = baseline x86-64, or any -march value; see
# examples/dl/march.sh); TAG is its name (baseline for none, native-<cpu>).
# A library is rebuilt only when missing or older than this script or the
# prism wrapper/plugin it was compiled with. Exit 2: bad usage or a failed
# build; 3: the source package cannot be fetched.
set -euo pipefail

die() { echo "build-blas.sh: $*" >&2; exit 2; }
# Exit 3: the source package cannot be fetched (no network / mirror).
unreachable() { echo "build-blas.sh: $*" >&2; exit 3; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../common.sh"   # dl_args and the shared steps
dl_args 15 "$@"
[[ -d "$build" ]] || die "no build directory '$build' (cmake -S $repo -B $build first)"
build=$(cd "$build" && pwd)
fc_prism=$build/bin/prism-fc cc_prism=$build/bin/prism-cc
plugin=$build/lib/prism/PrismPass.so
for f in "$fc_prism" "$cc_prism" "$plugin" "$build/lib/libprism.so"; do
  [[ -e "$f" ]] || die "missing $f (build prism first: cmake --build $build)"
done
fc_native=$(command -v flang-new-19) || die "flang-new-19 not found (bash $repo/scripts/setup.sh core)"
cc_native=$(command -v clang-19) || die "clang-19 not found (bash $repo/scripts/setup.sh core)"
jobs=$(nproc)
source "$here/../march.sh"   # dl_march_flags, dl_march_fflags, dl_march_tag

# ---- sources: Debian's lapack 3.11 (BLAS/SRC, CBLAS/src) --------------------
src=$(dl_fetch_source lapack)
[[ -d "$src/BLAS/SRC" && -d "$src/CBLAS/src" ]] || die "unexpected source tree $src"

# ---- one variant ------------------------------------------------------------
# $1 name, $2 Fortran compiler, $3 C compiler, $4.. files the result depends on.
variant() {
  local name=$1 fc=$2 cc=$3; shift 3
  local out=$build/dl/blas/$dl_march_tag/$name dep
  local lib=$out/libblas.so.3
  if [[ -e "$lib" ]]; then
    local stale=0
    for dep in "$0" "$here/../march.sh" "$@"; do [[ "$dep" -nt "$lib" ]] && stale=1; done
    ((stale)) || { echo "build-blas.sh: $lib up to date" >&2; return 0; }
  fi
  local t0=$SECONDS
  rm -rf "$out"; mkdir -p "$out/obj" "$out/include"
  # The Makefile build's cblas_mangling.h: Fortran names get a trailing _.
  cp "$src/CBLAS/include/cblas_mangling_with_flags.h.in" "$out/include/cblas_mangling.h"
  # Debian drops BLAS/SRC/xerbla.f and keeps CBLAS's xerbla.c (both define
  # xerbla_; the C one also reports errors of the cblas_ entry points).
  (cd "$src/BLAS/SRC" && ls *.f *.f90 | grep -vx 'xerbla.f' | sed "s|^|$src/BLAS/SRC/|"
   cd "$src/CBLAS/src" && ls *.f | sed "s|^|$src/CBLAS/src/|") |
    (cd "$out/obj" && xargs -P "$jobs" -n 12 "$fc" -O2 "${dl_march_fflags[@]}" -fPIC -c) ||
    die "$name: Fortran compilation failed"
  (cd "$src/CBLAS/src" && ls *.c | sed "s|^|$src/CBLAS/src/|") |
    (cd "$out/obj" && xargs -P "$jobs" -n 12 "$cc" -O2 "${dl_march_flags[@]}" -fPIC \
       -I"$src/CBLAS/include" -I"$out/include" -c) ||
    die "$name: C compilation failed"
  "$fc" -shared -Wl,-soname=libblas.so.3 -o "$lib" "$out"/obj/*.o ||
    die "$name: link failed"
  ln -sf libblas.so.3 "$out/libblas.so"
  rm -rf "$out/obj"
  echo "build-blas.sh: $lib (${dl_march_flags[*]:-no -march}, $((SECONDS - t0)) s)" >&2
}

variant native "$fc_native" "$cc_native"
variant prism "$fc_prism" "$cc_prism" "$fc_prism" "$cc_prism" "$plugin"

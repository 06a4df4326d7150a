#!/usr/bin/env bash
# Rebuilds the ATen CPU kernels of Debian's libtorch 1.13.1 from the Debian
# source package, twice: with clang++-19 (native) and with prism-c++
# (instrumented), same flags, each into one shared library that replaces,
# through LD_PRELOAD, the DEFAULT-capability kernels of libtorch_cpu.so.
#
# Usage: examples/dl/libtorch/build-aten-kernels.sh [--only native|prism] [BUILD_DIR]
#   BUILD_DIR  prism's build directory (default: <repo>/build); prism-c++ is
#              BUILD_DIR/bin/prism-c++
#   source:    BUILD_DIR/dl/pytorch-src (apt-get source pytorch, reused)
#   output:    BUILD_DIR/dl/aten/TAG/{native,prism}/libaten-kernels.so
# Environment: JOBS parallel compilations (default 2), ATEN_OPT optimisation
# flags of both builds (default -O2), DL_MARCH target of both builds (default
# x86-64-v3, i.e. AVX2 + FMA; native, none = baseline x86-64 as pytorch's
# DEFAULT kernels, or any -march value; see examples/dl/march.sh); TAG is its
# name (baseline for none, native-<cpu> for native). ATEN_FILES (optional):
# only these kernel files (names in native/cpu, space-separated), for quick
# runs; the stubs of the others keep Debian's DEFAULT kernels. Objects (and
# failures) are reused while the compiler, the flags, prism's plugin and the
# source are unchanged. Exit 2: bad usage or a failed build; 3: the source
# package cannot be fetched.
#
# Every aten/src/ATen/native/cpu/*.cpp file defines DispatchStub entry points
# (DispatchStub<Fn, stub>::DEFAULT, exported data symbols of libtorch_cpu.so
# that libtorch_cpu.so reads through its GOT): a preloaded library defining
# them takes over, provided ATEN_CPU_CAPABILITY=default makes torch pick the
# DEFAULT kernels. See examples/dl/README.md.
set -euo pipefail

die() { echo "build-aten-kernels.sh: $*" >&2; exit 2; }
# Exit 3: the source package cannot be fetched (no network / mirror).
unreachable() { echo "build-aten-kernels.sh: $*" >&2; exit 3; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
variants=(native prism) build=""
while (($#)); do
  case "$1" in
    -h | --help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --only) (($# >= 2)) || die "--only needs native or prism"
            case "$2" in native | prism) variants=("$2") ;; *) die "--only: unknown variant '$2' (accepted: native, prism)" ;; esac
            shift 2 ;;
    -*) die "unknown option '$1' (usage: build-aten-kernels.sh [--only native|prism] [BUILD_DIR])" ;;
    *) [[ -z "$build" ]] || die "too many arguments (usage: build-aten-kernels.sh [--only native|prism] [BUILD_DIR])"
       build=$1; shift ;;
  esac
done
build=${build:-$repo/build}
[[ -d "$build" ]] || die "no build directory '$build' (cmake -S $repo -B $build first)"
build=$(cd "$build" && pwd)
work=$build/dl
prism_bin=$build/bin
jobs="${JOBS:-2}"
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || die "JOBS must be a positive integer, got '$jobs'"
optflags="${ATEN_OPT:--O2}"
source "$here/../march.sh"   # dl_march_flags, dl_march_tag

clangxx=$(command -v clang++-19 || true)
[[ -n "$clangxx" ]] || die "clang++-19 not found (bash scripts/setup.sh)"
[[ -r /usr/include/ATen/native/DispatchStub.h && -e /usr/lib/x86_64-linux-gnu/libtorch_cpu.so ]] ||
  die "libtorch-dev is not installed (bash scripts/setup.sh dl)"
gomp=/usr/lib/x86_64-linux-gnu/libgomp.so.1
[[ -e "$gomp" ]] || die "$gomp not found (it comes with libtorch)"
if [[ " ${variants[*]} " == *" prism "* && ! -x "$prism_bin/prism-c++" ]]; then
  die "$prism_bin/prism-c++ not found (build prism first: cmake --build $build)"
fi

# --- the source: Debian's pytorch source package (upstream .orig tarball) ----
src="$work/pytorch-src"
if [[ ! -f "$src/aten/src/ATen/native/DispatchStub.h" ]]; then
  mkdir -p "$work/src"
  if ! ls "$work"/src/pytorch_*.orig.tar.* >/dev/null 2>&1; then
    echo "== fetching the pytorch source package (apt-get source)"
    grep -rqs '^deb-src ' /etc/apt/sources.list.d/ /etc/apt/sources.list ||
      die "no deb-src line in apt's sources (bash scripts/setup.sh dl adds one)"
    # Debian's patch tarball is missing on the mirror: apt-get fails after
    # fetching the .orig tarball, which is all we need.
    (cd "$work/src" && apt-get source --download-only pytorch >/dev/null 2>&1) || true
  fi
  orig=$(ls "$work"/src/pytorch_*.orig.tar.* 2>/dev/null | head -1 || true)
  [[ -n "$orig" ]] || unreachable "apt-get source pytorch gave no .orig tarball in $work/src (network to deb.debian.org, deb-src line?)"
  echo "== unpacking $(basename "$orig")"
  rm -rf "$src.tmp" && mkdir -p "$src.tmp"
  tar -xf "$orig" -C "$src.tmp" --strip-components=1
  rm -rf "$src" && mv "$src.tmp" "$src"
fi
kdir="$src/aten/src/ATen/native/cpu"
mapfile -t files < <(cd "$kdir" && ls *.cpp | sort)
((${#files[@]})) || die "no kernel files in $kdir"
if [[ -n "${ATEN_FILES:-}" ]]; then
  for f in $ATEN_FILES; do [[ -f "$kdir/$f" ]] || die "ATEN_FILES: no kernel file $f in $kdir"; done
  mapfile -t files < <(printf '%s\n' $ATEN_FILES | sort -u)
  echo "== ATEN_FILES: ${#files[@]} kernel file(s) only; the others keep Debian's DEFAULT kernels"
fi

# Flags of the pytorch build for the DEFAULT variant of these files
# (cmake/Codegen.cmake: -DCPU_CAPABILITY=DEFAULT -DCPU_CAPABILITY_DEFAULT and no
# -m flag; torch_cpu gets AT_PER_OPERATOR_HEADERS and CAFFE2_BUILD_MAIN_LIB;
# Debian's CXX_FLAGS have -fno-math-errno -fno-trapping-math). The generated
# headers (ATen/ops/*, Functions.h, ...) come from /usr/include; headers of the
# source tree that Debian does not install are searched last (-idirafter).
# $here/include holds the libgomp-based <ATen/ParallelOpenMP.h>.
# DL_MARCH adds its -march (default x86-64-v3): the DEFAULT kernels (generic
# Vectorized<T>, CPU_CAPABILITY_DEFAULT) compiled for that target.
flags=(-std=c++17 $optflags "${dl_march_flags[@]}" -fPIC -fno-math-errno -fno-trapping-math
       -DCPU_CAPABILITY=DEFAULT -DCPU_CAPABILITY_DEFAULT
       -DAT_PER_OPERATOR_HEADERS -DCAFFE2_BUILD_MAIN_LIB -D_GLIBCXX_USE_CXX11_ABI=1
       -Wno-deprecated-declarations -Wno-unused-command-line-argument
       -I"$here/include" -idirafter "$src/aten/src")
# glog: layer_norm_kernel.cpp's CHECKs (libtorch_cpu.so links it too).
libs=(-L/usr/lib/x86_64-linux-gnu -ltorch_cpu -lc10 -lglog "$gomp")

compile_variant() {
  local v=$1 cxx out obj stamp n=${#files[@]} t0=$SECONDS
  case "$v" in native) cxx="$clangxx" ;; prism) cxx="$prism_bin/prism-c++" ;; esac
  out="$work/aten/$dl_march_tag/$v"; obj="$out/obj"
  mkdir -p "$obj"
  # Objects are reused while the compiler, its flags, prism's pass plugin (for
  # the prism variant) and the source are unchanged.
  stamp="$( { printf '%s\n' "$cxx" "${flags[@]}"
              if [[ $v == prism ]]; then md5sum < "$build/lib/prism/PrismPass.so"; fi; } | md5sum | cut -c1-12)"
  [[ -f "$out/flags.stamp" && "$(cat "$out/flags.stamp")" == "$stamp" ]] || rm -f "$obj"/*.o "$obj"/*.failed
  echo "$stamp" > "$out/flags.stamp"
  : > "$out/failed.txt"
  echo "== $v: compiling ${#files[@]} kernel files with $(basename "$cxx") (${dl_march_flags[*]:-no -march}, $jobs jobs)"
  printf '%s\n' "${flags[@]}" > "$out/flags.txt"
  # The prism variant also records what the pass instrumented, per function.
  [[ $v == prism ]] && echo --prism-report >> "$out/flags.txt"
  export cxx obj kdir out n
  printf '%s\n' "${files[@]}" | nl -w1 -s' ' | xargs -P "$jobs" -L1 bash -c '
    i=$1 f=$2 o="$obj/${2%.cpp}.o"
    if [[ -f "$o" && "$o" -nt "$kdir/$f" ]]; then echo "  [$i/$n] $f (up to date)"; exit 0; fi
    if [[ -f "$o.failed" && "$o.failed" -nt "$kdir/$f" ]]; then
      echo "$f" >> "$out/failed.txt"; echo "  [$i/$n] $f (failed before with the same compiler and flags: skipped)"; exit 0
    fi
    mapfile -t fl < "$out/flags.txt"
    s=$SECONDS
    if "$cxx" "${fl[@]}" -c "$kdir/$f" -o "$o.tmp" 2> "$obj/${f%.cpp}.log"; then
      mv "$o.tmp" "$o"; echo "  [$i/$n] $f ($((SECONDS - s)) s)"
    else
      rm -f "$o.tmp"; touch "$o.failed"; echo "$f" >> "$out/failed.txt"
      echo "  [$i/$n] $f FAILED (see $obj/${f%.cpp}.log)"
    fi' _
  if [[ -s "$out/failed.txt" ]]; then
    echo "== $v: $(wc -l < "$out/failed.txt") file(s) failed and are left to Debian's libtorch: $(tr '\n' ' ' < "$out/failed.txt")"
  fi
  if [[ $v == prism ]]; then
    # Instrumented operations per kernel file (prism-report lines of the logs).
    (cd "$obj" && for f in "${files[@]}"; do
       [[ -f "${f%.cpp}.o" ]] || continue
       { grep -h '^prism-report:' "${f%.cpp}.log" 2>/dev/null || true; } |
         awk -v f="$f" '{ n++; for (i = 1; i <= NF; i++) if (split($i, kv, "]=") == 2) ops += kv[2] }
                        END { printf "%-36s %6d functions %8d instrumented operations\n", f, n, ops }'
     done) > "$out/instrumented.txt"
    awk '{ fn += $2; ops += $4 } END { printf "== prism: %d instrumented functions, %d instrumented operations (static count; per file in %s)\n", fn, ops, "'"$out/instrumented.txt"'" }' "$out/instrumented.txt"
  fi
  # Helpers the kernels call that libtorch_cpu.so keeps hidden (see the file).
  local hs="$here/hidden_symbols.cpp"
  if [[ ! -f "$obj/_hidden_symbols.o" || "$hs" -nt "$obj/_hidden_symbols.o" ]]; then
    mapfile -t fl < "$out/flags.txt"
    "$cxx" "${fl[@]}" -c "$hs" -o "$obj/_hidden_symbols.o" 2> "$obj/_hidden_symbols.log" ||
      { cat "$obj/_hidden_symbols.log" >&2; die "$v: cannot compile $hs"; }
  fi
  local objs=("$obj/_hidden_symbols.o")
  for f in "${files[@]}"; do [[ -f "$obj/${f%.cpp}.o" ]] && objs+=("$obj/${f%.cpp}.o"); done
  "$cxx" -shared -o "$out/libaten-kernels.so.tmp" "${objs[@]}" "${libs[@]}" -Wl,--no-undefined
  mv "$out/libaten-kernels.so.tmp" "$out/libaten-kernels.so"
  echo "== $v: $out/libaten-kernels.so ($((${#objs[@]} - 1)) kernel files, $((SECONDS - t0)) s)"
}

for v in "${variants[@]}"; do compile_variant "$v"; done

#!/usr/bin/env bash
# Checks the full libtorch rebuild of docs/LIBTORCH.md as far as a small
# machine allows: configures pytorch 1.13.1 (Debian's source package) with
# cmake/PrismToolchain.cmake and the options of docs/LIBTORCH.md, then builds a
# representative set of translation units with prism-c++ (exclusion file
# examples/dl/libtorch/prism-exclude.txt) and checks that each object was
# instrumented and that argmax/argmin were not. Does NOT build all ~1,050
# objects, link libtorch or run a model (see docs/LIBTORCH.md).
#
# Usage: examples/dl/libtorch/check-full-build.sh [BUILD_DIR]
#   BUILD_DIR  prism's build directory (default: <repo>/build); prism-c++ is
#              BUILD_DIR/bin/prism-c++; work directory BUILD_DIR/dl/libtorch-full
#              (pytorch-src: patched copy of the source, build: the CMake tree,
#              check.log: the summary)
# Environment:
#   PYTORCH_SRC  unpacked pytorch 1.13.1 source, read only (default:
#                BUILD_DIR/dl/pytorch-src, fetched with apt-get source if absent)
#   JOBS         ninja jobs for code generation (default 2)
#   NATIVE       1 (default): also time each TU with clang++-19, same command
#                without prism; 0: prism only
#   TUS          object targets to build (space-separated, relative to the
#                build tree; default: the 8 of default_tus in this script)
#   RECONFIGURE  1: configure again even if the options did not change
set -euo pipefail
TIMEFORMAT='%R/%U+%S'   # wall/user+sys seconds of the timed compilations

die() { echo "check-full-build.sh: $*" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
build=""
for a in "$@"; do
  case "$a" in
    -h | --help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option '$a' (usage: check-full-build.sh [BUILD_DIR])" ;;
    *) [[ -z "$build" ]] || die "too many arguments (usage: check-full-build.sh [BUILD_DIR])"
       build=$a ;;
  esac
done
build=${build:-$repo/build}
[[ -d "$build" ]] || die "no build directory '$build' (cmake -S $repo -B $build first)"
build=$(cd "$build" && pwd)
[[ -x "$build/bin/prism-c++" && -x "$build/bin/prism-cc" ]] ||
  die "$build/bin/prism-c++ not found (build prism first: cmake --build $build)"
jobs=${JOBS:-2}
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || die "JOBS must be a positive integer, got '$jobs'"
native=${NATIVE:-1}
[[ "$native" == 0 || "$native" == 1 ]] || die "NATIVE must be 0 or 1, got '$native'"
clangxx=$(command -v clang++-19 || true)
[[ -n "$clangxx" ]] || die "clang++-19 not found (bash scripts/setup.sh)"
command -v cmake >/dev/null || die "cmake not found (bash scripts/setup.sh)"
command -v ninja >/dev/null || die "ninja not found (bash scripts/setup.sh libtorch-full)"
exclude=$here/prism-exclude.txt
[[ -r "$exclude" ]] || die "cannot read $exclude"
# The -dev packages configure needs (scripts/setup.sh libtorch-full).
for h in /usr/include/fmt/format.h /usr/include/x86_64-linux-gnu/sleef.h /usr/include/cpuinfo.h /usr/include/fp16.h \
         /usr/include/psimd.h /usr/include/fxdiv.h /usr/include/onnx/onnx_pb.h \
         /usr/include/google/protobuf/message.h /usr/include/eigen3/Eigen/Core \
         /usr/lib/x86_64-linux-gnu/libblas.so /usr/lib/x86_64-linux-gnu/liblapack.so \
         /usr/lib/llvm-19/lib/libomp.so; do
  [[ -e "$h" ]] || die "$h not found (bash scripts/setup.sh libtorch-full)"
done
/usr/bin/python3 -c 'import yaml, typing_extensions' 2>/dev/null || die "python3-yaml / python3-typing-extensions missing (bash scripts/setup.sh libtorch-full)"

work=$build/dl/libtorch-full
mkdir -p "$work"
log=$work/check.log
: > "$log"
say() { echo "$*" | tee -a "$log"; }
t_start=$SECONDS

# --- the source ---------------------------------------------------------------
ref=${PYTORCH_SRC:-$build/dl/pytorch-src}
if [[ -z "${PYTORCH_SRC:-}" && ! -f "$ref/aten/src/ATen/native/DispatchStub.h" ]]; then
  mkdir -p "$build/dl/src"
  if ! ls "$build"/dl/src/pytorch_*.orig.tar.* >/dev/null 2>&1; then
    say "== fetching the pytorch source package (apt-get source)"
    grep -rqs '^deb-src ' /etc/apt/sources.list.d/ /etc/apt/sources.list ||
      die "no deb-src line in apt's sources (bash scripts/setup.sh src adds one)"
    # Debian's patch tarball is missing on the mirror: apt-get fails after
    # fetching the .orig tarball, which is all we need.
    (cd "$build/dl/src" && apt-get source --download-only pytorch >/dev/null 2>&1) || true
  fi
  orig=$(ls "$build"/dl/src/pytorch_*.orig.tar.* 2>/dev/null | head -1 || true)
  [[ -n "$orig" ]] || die "apt-get source pytorch gave no .orig tarball in $build/dl/src"
  say "== unpacking $(basename "$orig")"
  rm -rf "$ref.tmp" && mkdir -p "$ref.tmp"
  tar -xf "$orig" -C "$ref.tmp" --strip-components=1
  rm -rf "$ref" && mv "$ref.tmp" "$ref"
fi
[[ -f "$ref/aten/src/ATen/native/DispatchStub.h" && -f "$ref/torchgen/gen.py" ]] ||
  die "PYTORCH_SRC '$ref' is not a pytorch source tree (no aten/src/ATen/native/DispatchStub.h)"
# (the 1.13.1 tarball's version.txt reads 1.13.0a0)
grep -q '^1\.13\.' "$ref/version.txt" 2>/dev/null ||
  die "PYTORCH_SRC '$ref' is not pytorch 1.13 (version.txt: $(head -c 40 "$ref/version.txt" 2>/dev/null || echo none))"
ref=$(cd "$ref" && pwd)

# Code generation writes into the source tree (torch/csrc/autograd/generated):
# work on a copy, with three adjustments for Debian's +dfsg tarball, whose
# third_party/ submodules are empty (Debian's own patches are not on the
# mirror; these are the smallest changes that let upstream's CMake use
# Debian's packages):
#  1. third_party/fmt: an INTERFACE target fmt::fmt-header-only over Debian's
#     header-only fmt 9 (libfmt-dev) instead of add_subdirectory(fmt sources);
#  2. third_party/foxi: an empty foxi_loader target (the ONNXIFI loader is
#     used by Caffe2 only, BUILD_CAFFE2=OFF);
#  3. cmake/Dependencies.cmake: without third_party/pocketfft/pocketfft_hdronly.h
#     (not packaged in Debian 12) FFT is disabled (AT_POCKETFFT_ENABLED 0)
#     instead of compiled against a missing header.
src=$work/pytorch-src
if [[ ! -f "$src/.prism-prepared" || "$(cat "$src/.prism-prepared")" != "$ref" ]]; then
  say "== copying $ref to $src"
  rm -rf "$src" "$work/build"
  cp -a "$ref" "$src.tmp" && mv "$src.tmp" "$src"
  cat > "$src/third_party/fmt/CMakeLists.txt" <<'EOF'
# prism check-full-build.sh: Debian's header-only fmt (libfmt-dev) instead of the stripped submodule.
add_library(fmt-header-only INTERFACE)
target_compile_definitions(fmt-header-only INTERFACE FMT_HEADER_ONLY=1)
add_library(fmt::fmt-header-only ALIAS fmt-header-only)
EOF
  cat > "$src/third_party/foxi/CMakeLists.txt" <<'EOF'
# prism check-full-build.sh: foxi (ONNXIFI loader) is used by Caffe2 only (BUILD_CAFFE2=OFF): empty stand-in.
add_library(foxi_loader INTERFACE)
EOF
  /usr/bin/python3 - "$src/cmake/Dependencies.cmake" <<'EOF'
import sys
p = sys.argv[1]; s = open(p).read()
old = '''  set(AT_POCKETFFT_ENABLED 1)
  message(STATUS "Using pocketfft in directory: ${POCKETFFT_INCLUDE_DIR}")'''
new = '''  if(EXISTS "${POCKETFFT_INCLUDE_DIR}/pocketfft_hdronly.h")
    set(AT_POCKETFFT_ENABLED 1)
    message(STATUS "Using pocketfft in directory: ${POCKETFFT_INCLUDE_DIR}")
  else()
    message(WARNING "pocketfft_hdronly.h not found in ${POCKETFFT_INCLUDE_DIR}: FFT operators disabled")
  endif()'''
if s.count(old) != 1:
    sys.exit("check-full-build.sh: cmake/Dependencies.cmake: pocketfft block not found (not pytorch 1.13.1?)")
open(p, "w").write(s.replace(old, new))
EOF
  echo "$ref" > "$src/.prism-prepared"
fi

# --- configure ------------------------------------------------------------------
# Ninja: per-object targets, ninja -t commands / targets for the checks.
gen=(-G Ninja) buildtool=ninja
# The options of docs/LIBTORCH.md (keep the two in sync).
opts=(
  -DCMAKE_TOOLCHAIN_FILE="$repo/cmake/PrismToolchain.cmake"
  -DPRISM_PREFIX="$build"
  -DCMAKE_BUILD_TYPE=Release
  -DCMAKE_C_FLAGS="--prism-exclude=$exclude"
  -DCMAKE_CXX_FLAGS="--prism-exclude=$exclude"
  -DPYTHON_EXECUTABLE=/usr/bin/python3
  -DBUILD_PYTHON=OFF -DBUILD_TEST=OFF -DBUILD_CAFFE2=OFF
  -DUSE_CUDA=OFF -DUSE_ROCM=OFF -DUSE_MKLDNN=OFF -DUSE_FBGEMM=OFF -DUSE_KINETO=OFF
  -DUSE_DISTRIBUTED=OFF -DUSE_MPI=OFF -DUSE_GLOO=OFF -DUSE_TENSORPIPE=OFF
  -DUSE_NNPACK=OFF -DUSE_QNNPACK=OFF -DUSE_PYTORCH_QNNPACK=OFF -DUSE_XNNPACK=OFF
  -DUSE_NUMPY=OFF -DUSE_ITT=OFF -DUSE_NUMA=OFF
  -DUSE_SYSTEM_CPUINFO=ON -DUSE_SYSTEM_SLEEF=ON -DUSE_SYSTEM_FP16=ON
  -DUSE_SYSTEM_PTHREADPOOL=ON -DUSE_SYSTEM_PSIMD=ON -DUSE_SYSTEM_FXDIV=ON
  -DUSE_SYSTEM_EIGEN_INSTALL=ON -DUSE_SYSTEM_ONNX=ON -DONNX_NAMESPACE=onnx
  -DBUILD_CUSTOM_PROTOBUF=OFF
  -DBLAS=Generic -DUSE_LAPACK=ON
  -DUSE_OPENMP=ON -DOpenMP_libomp_LIBRARY=/usr/lib/llvm-19/lib/libomp.so
)
# pytorch's BLAS=Generic reads the library name from the environment only.
export GENERIC_BLAS_LIBRARIES=blas
bdir=$work/build
stamp=$(printf '%s\n' "${gen[@]}" "${opts[@]}" "$(md5sum < "$exclude")" | md5sum | cut -c1-12)
if [[ "${RECONFIGURE:-0}" == 1 || ! -f "$bdir/CMakeCache.txt" || "$(cat "$bdir/.prism-stamp" 2>/dev/null)" != "$stamp" ]]; then
  rm -rf "$bdir" && mkdir -p "$bdir"
  say "== configuring pytorch 1.13.1 with $repo/cmake/PrismToolchain.cmake (${gen[*]}; log: $bdir/configure.log)"
  t0=$SECONDS
  if ! (cd "$bdir" && cmake -Wno-dev "${gen[@]}" -S "$src" -B . "${opts[@]}") > "$bdir/configure.log" 2>&1; then
    grep -A6 'CMake Error' "$bdir/configure.log" | head -30 >&2
    die "configure failed (see $bdir/configure.log)"
  fi
  echo "$stamp" > "$bdir/.prism-stamp"
  say "   configure: $((SECONDS - t0)) s"
else
  say "== configured already ($bdir; RECONFIGURE=1 to redo)"
fi
grep -E 'C\+\+ compiler  |Will link against OpenMP|Using BLAS|pocketfft|Private Dependencies' "$bdir/configure.log" |
  sed 's/^/   /' | tee -a "$log"
ntu=$(cd "$bdir" && ninja -t targets all 2>/dev/null | grep -c '\.o:' || true)
say "   $ntu object files in the full build (ninja -t targets)"

# --- the representative translation units --------------------------------------
default_tus=(
  c10/CMakeFiles/c10.dir/core/TensorImpl.cpp.o                                          # c10
  caffe2/CMakeFiles/torch_cpu.dir/__/aten/src/ATen/native/Normalization.cpp.o          # ATen native: batch_norm set-up
  caffe2/CMakeFiles/torch_cpu.dir/__/aten/src/ATen/native/cpu/ReduceOpsKernel.cpp.DEFAULT.cpp.o   # argmax/argmin + reductions
  caffe2/CMakeFiles/torch_cpu.dir/__/aten/src/ATen/native/cpu/TensorCompareKernel.cpp.DEFAULT.cpp.o
  caffe2/CMakeFiles/torch_cpu.dir/__/aten/src/ATen/native/cpu/batch_norm_kernel.cpp.AVX2.cpp.o    # an AVX2 variant
  caffe2/CMakeFiles/torch_cpu.dir/__/aten/src/ATen/UfuncCPUKernel_add.cpp.DEFAULT.cpp.o          # generated by torchgen
  caffe2/CMakeFiles/torch_cpu.dir/__/aten/src/ATen/native/BlasKernel.cpp.o              # cpublas fallbacks
  caffe2/CMakeFiles/torch_cpu.dir/__/torch/csrc/jit/serialization/import.cpp.o          # TorchScript: torch::jit::load
)
if [[ -n "${TUS:-}" ]]; then read -r -a tus <<< "$TUS"; else tus=("${default_tus[@]}"); fi
alltargets=$(cd "$bdir" && ninja -t targets all 2>/dev/null | sed -n 's/^\([^:]*\.o\):.*/\1/p')
for t in "${tus[@]}"; do
  grep -qxF "$t" <<< "$alltargets" || die "TUS: no object target '$t' in $bdir (ninja -t targets all)"
done

say "== building ${#tus[@]} translation units with prism-c++ (code generation first: torchgen, protoc)"
t0=$SECONDS
# Code generation (torchgen: ATen operators, autograd, lazy; protoc) first,
# through the order-only dependency CMake gives every torch_cpu object.
(cd "$bdir" && ninja -j"$jobs" cmake_object_order_depends_target_torch_cpu) > "$work/codegen.log" 2>&1 ||
  { tail -20 "$work/codegen.log" >&2; die "code generation failed (see $work/codegen.log)"; }
say "   code generation: $((SECONDS - t0)) s"

bad=0 rows=()
for t in "${tus[@]}"; do
  obj=$bdir/$t name=$(basename "$t" .o)
  rm -f "$obj"
  # Wall and CPU (user + sys) seconds: the machine may be shared.
  if ! { time { (cd "$bdir" && $buildtool -j1 "$t") > "$work/$name.log" 2>&1; }; } 2> "$work/$name.time"; then
    say "   $name: FAILED with prism-c++ (see $work/$name.log)"; bad=1; continue
  fi
  tp=$(awk -F'[/+]' '{ printf "%d/%d", $1, $2 + $3 }' "$work/$name.time")
  # Instrumented: the object references prism's runtime (__prism_init and the
  # rounding entry points) and has a '.prism_native' clone per function that
  # has floating-point arithmetic; functions of the exclusion file have none.
  refs=$(nm -u "$obj" | grep -c ' __prism_' || true)
  fns=$(nm "$obj" | grep -c '\.prism_native$' || true)
  ctor=$(nm "$obj" | grep -c ' prism\.module_ctor$' || true)
  tn=-
  if ((native)); then
    cmd=$(cd "$bdir" && ninja -t commands "$t" | tail -1)
    cmd=${cmd//--prism-exclude=$exclude/}
    cmd=${cmd/"$build/bin/prism-c++"/$clangxx}
    cmd=${cmd/"$build/bin/prism-cc"/clang-19}
    cmd=${cmd//" -o $t "/" -o $t.native "}
    cmd=${cmd//" -MF $t.d "/" -MF $t.native.d "}
    if { time { (cd "$bdir" && eval "$cmd") > "$work/$name.native.log" 2>&1; }; } 2> "$work/$name.native.time"; then
      tn=$(awk -F'[/+]' '{ printf "%d/%d", $1, $2 + $3 }' "$work/$name.native.time")
    else
      tn=failed
    fi
    rm -f "$obj.native" "$obj.native.d"
  fi
  # A TU without floating-point arithmetic gets nothing from prism (no
  # runtime reference, no clone): only check that prism-c++ compiled it.
  if ((ctor == 0 || refs == 0)); then
    if (cd "$bdir" && ninja -t commands "$t" | tail -1 | grep -qF "$build/bin/prism-c"); then
      say "   $name: compiled by prism-c++, no floating-point arithmetic to instrument"
    else
      say "   $name: NOT compiled by prism-c++"; bad=1
    fi
  fi
  rows+=("$(printf '%-44s %13s %13s %9s %7s' "$name" "$tp" "$tn" "$fns" "$refs")")
done

# argmax/argmin: no instrumented function in their objects may be named after
# them, while their neighbours are instrumented.
for t in "${tus[@]}"; do
  case "$t" in */ReduceOpsKernel.cpp.*.o | */TensorCompareKernel.cpp.*.o) ;; *) continue ;; esac
  [[ -f "$bdir/$t" ]] || continue
  n_ex=$(nm -C "$bdir/$t" | grep 'clone \.prism_native' | grep -Ec 'argmax_kernel_impl|argmin_kernel_impl|ArgMaxOps|ArgMinOps|max_kernel_impl|min_kernel_impl' || true)
  n_all=$(nm -C "$bdir/$t" | grep -c 'clone \.prism_native' || true)
  if ((n_ex == 0 && n_all > 0)); then
    say "   $(basename "$t" .o): excluded functions instrumented: 0 (argmax/argmin/max/min with indices); others: $n_all"
    # The same compilation without the exclusion file: the rules must matter.
    if [[ "$t" == */ReduceOpsKernel.cpp.DEFAULT.cpp.o ]]; then
      cmd=$(cd "$bdir" && ninja -t commands "$t" | tail -1)
      cmd=${cmd//--prism-exclude=$exclude/}
      cmd=${cmd//" -o $t "/" -o $t.noexcl "}
      cmd=${cmd//" -MF $t.d "/" -MF $t.noexcl.d "}
      if (cd "$bdir" && eval "$cmd") > "$work/noexclude.log" 2>&1; then
        n_ex2=$(nm -C "$bdir/$t.noexcl" | grep 'clone \.prism_native' | grep -Ec 'argmax_kernel_impl|argmin_kernel_impl|ArgMaxOps|ArgMinOps' || true)
        n_all2=$(nm -C "$bdir/$t.noexcl" | grep -c 'clone \.prism_native' || true)
        say "   $(basename "$t" .o) without the exclusion file: argmax/argmin functions instrumented: $n_ex2 of $n_all2"
      fi
      rm -f "$bdir/$t.noexcl" "$bdir/$t.noexcl.d"
    fi
  else
    say "   $(basename "$t" .o): excluded functions instrumented: $n_ex of $n_all: exclusion FAILED"; bad=1
  fi
done

say ""
say "$(printf '%-44s %13s %13s %9s %7s' "translation unit" "prism-c++" "clang++-19" "instr." "runtime")"
say "$(printf '%-44s %13s %13s %9s %7s' "" "wall/cpu [s]" "wall/cpu [s]" "functions" "refs")"
for r in "${rows[@]}"; do say "$r"; done
say ""
say "== not done here: the other objects, linking libtorch_cpu.so, installing, running a model (docs/LIBTORCH.md)"
say "== total $((SECONDS - t_start)) s; summary in $log"
exit $bad

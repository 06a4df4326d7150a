#!/usr/bin/env bash
# The OpenCV track of examples/dl, end to end: OpenCV 4.6's dnn module (core,
# imgproc, dnn rebuilt from Debian's source, scalar) runs the Fashion-MNIST
# CNN from model/fmnist_cnn.onnx; the same native inference program loads
# either the native or the prism build of the libraries; prism-sample
# measures the variability of the logits and labels under sr, ud and chop;
# the slowdown of each backend is measured against the native OpenCV build.
#
# Usage: examples/dl/run-opencv.sh [BUILD_DIR]     (default: <repo>/build)
# Environment (all optional):
#   IMAGES=100        test images per run (the first ones of the test set)
#   SAMPLES=10        prism-sample runs per backend
#   THREADS=1         cv::setNumThreads of every run
#   JOBS=1            prism-sample runs in parallel (1 keeps timings clean)
#   BACKENDS="sr ud chop-bf16 chop-fp16 chop-e4m3"   studies to run
#   TIMING_ROUNDS=3   rounds of the timing loop (the minimum per config is kept)
#   TIMING_SECONDS=1  each timing run repeats the forward pass (after one
#                     warm-up pass) until this many seconds, 3 passes at least
#   DL_MARCH=x86-64-v3  target of both OpenCV builds (see examples/dl/march.sh)
#   NO_PRISM_BUILD=1  do not (re)build prism itself (it must be built)
# Results: BUILD_DIR/dl/opencv-report/ (summary.txt, checks.txt, <study>.json/.html).
set -euo pipefail

die() { echo "run-opencv.sh: $*" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/common.sh"   # dl_args and the shared steps
dl_args 21 "$@"
dl_settings

# ---- 1. packages, prism, OpenCV, the inference program -------------------------
step "Debian packages (scripts/setup.sh all: core and dl)"
bash "$repo/scripts/setup.sh" all

dl_prism_build
source "$here/march.sh"   # dl_march_flags, dl_march_tag (as build-opencv.sh)
march_desc="both built with ${dl_march_flags[*]:-no -march (baseline x86-64)}"

step "OpenCV core, imgproc, dnn: native and prism (examples/dl/opencv/build-opencv.sh)"
bash "$here/opencv/build-opencv.sh" "$build"
cvdir=$build/dl/opencv/$dl_march_tag

# infer_opencv, built natively once per OpenCV build (rpath to its libraries).
# Every run also gets LD_LIBRARY_PATH=<that build>/install/lib: the prism-built
# libraries carry a RUNPATH (to libprism.so), which hides the program's rpath
# from their own dependencies, so libopencv_dnn.so would otherwise find
# Debian's libopencv_imgproc.so.406 when that is installed.
for v in native prism; do
  bin=$cvdir/$v/infer_opencv inst=$cvdir/$v/install
  if [[ ! -x "$bin" || "$here/opencv/infer_opencv.cpp" -nt "$bin" || "$inst/lib/libopencv_dnn.so" -nt "$bin" ]]; then
    step "infer_opencv against the $v build (clang++-19, not instrumented)"
    clang++-19 -std=c++20 -O2 -Wall -Wextra -DPRISM_DL_DIR="\"$here\"" \
      "$here/opencv/infer_opencv.cpp" -I"$inst/include/opencv4" -L"$inst/lib" \
      -lopencv_dnn -lopencv_core -lz -Wl,-rpath,"$inst/lib" -o "$bin" || die "cannot build $bin"
  fi
done
ld_path() { echo "$cvdir/$1/install/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"; }
native_cmd=(env LD_LIBRARY_PATH="$(ld_path native)" "$cvdir/native/infer_opencv")
prism_cmd=(env LD_LIBRARY_PATH="$(ld_path prism)" "$cvdir/prism/infer_opencv")

out=$build/dl/opencv-report
rm -rf "$out"; mkdir -p "$out"
infer_args=(-n "$images" --threads "$threads")

# run_infer CONFIG OUTFILE [args...]: CONFIG native, or a prism backend (ieee,
# sr, ud, chop-F; sr and ud with seed 1). stderr goes to OUTFILE.err.
run_infer() {
  local c=$1 of=$2 cmd=("${prism_cmd[@]}") envs=(); shift 2
  if [[ $c == native ]]; then cmd=("${native_cmd[@]}"); else read -ra envs <<< "$(backend_env "$c")"; fi
  env "${envs[@]}" "${cmd[@]}" "${infer_args[@]}" "$@" > "$of" 2> "$of.err" ||
    { cat "$of.err" >&2; die "infer_opencv failed ($c, $*)"; }
}

# ---- 2. checks: ieee is bit-identical, the instrumented code is in use ---------
step "checks: ieee bit-identity and the instrumented libraries in use ($images images)"
run_infer native "$out/native.txt"
run_infer ieee "$out/prism-ieee.txt"
run_infer sr "$out/prism-sr.txt"
# Which OpenCV libraries (and libprism.so) each build's program loads, from
# the loader's own log (LD_DEBUG=libs), and how many come from that build.
libs_of() {
  LD_DEBUG=libs LD_DEBUG_OUTPUT=$out/libs run_infer "$1" "$out/libs.out" -n 1 --output none
  cat "$out"/libs.* | sed -n 's/.*calling init: //p' |
    grep -E 'libopencv_(core|imgproc|dnn)|libprism.so' | sort -u
  rm -f "$out"/libs.*
}
libs_native=$(libs_of native) libs_prism=$(libs_of ieee)
n_native=$(grep -c "^$cvdir/native/install/lib/libopencv_" <<< "$libs_native" || true)
n_prism=$(grep -c "^$cvdir/prism/install/lib/libopencv_" <<< "$libs_prism" || true)
{
  echo "logits of $images images, $threads thread(s); OpenCV 4.6 core+imgproc+dnn, $march_desc"
  echo "  prism, ieee        vs native OpenCV build: $(same "$out/prism-ieee.txt" "$out/native.txt")"
  echo "  prism, sr (seed 1) vs prism, ieee: $(same "$out/prism-sr.txt" "$out/prism-ieee.txt")"
  echo "  accuracy: native $(sed -n 's/.*accuracy \([0-9.]*\).*/\1/p' "$out/native.txt.err"), prism ieee $(sed -n 's/.*accuracy \([0-9.]*\).*/\1/p' "$out/prism-ieee.txt.err")"
  echo "  libraries loaded, native run ($n_native of 3 OpenCV libraries from the native build):"
  sed 's/^/    /' <<< "$libs_native"
  echo "  libraries loaded, prism run ($n_prism of 3 OpenCV libraries from the prism build):"
  sed 's/^/    /' <<< "$libs_prism"
} | tee "$out/checks.txt"
cmp -s "$out/prism-ieee.txt" "$out/native.txt" || die "ieee is not bit-identical to the native OpenCV build"
! cmp -s "$out/prism-sr.txt" "$out/prism-ieee.txt" || die "sr left every logit unchanged: the prism build is not in use"
((n_native == 3 && n_prism == 3)) || die "a run does not load its build's three OpenCV libraries"

# ---- 3. prism-sample studies ------------------------------------------------------
for b in $backends; do
  step "study $b: prism-sample -n $samples over $images images (+1 ieee reference run)"
  dl_study "$out" "$b" "${prism_cmd[@]}" "${infer_args[@]}"
done

# ---- 4. slowdown vs the native OpenCV build, same run ------------------------------
step "timing: inference of $images images, $rounds rounds (min kept), vs the native build"
configs=(native ieee $backends)
dl_timing "$out" run_infer "${configs[@]}"

# ---- 5. report --------------------------------------------------------------------
step "report"
cat "$out/checks.txt"
echo
/usr/bin/python3 "$here/report.py" --title "Fashion-MNIST CNN (ONNX), OpenCV 4.6 dnn" \
  --line2 "{desc}; {march}" --baseline "the native OpenCV build" \
  --startup "process and OpenCV start-up, model loading" \
  "$out" "$images" "$samples" "$rounds" \
  "OpenCV core, imgproc, dnn rebuilt with prism (scalar, DNN backend OpenCV, target CPU)" \
  "$march_desc" "${configs[@]}" | tee "$out/summary.txt"
for v in native prism; do
  [[ -f "$cvdir/$v/build-seconds" ]] && echo "OpenCV $v build: $(cat "$cvdir/$v/build-seconds") s (when it was built)"
done
echo "reports: $out/{$(echo $backends | tr ' ' ',')}.html and .json; total $((SECONDS - dl_t0)) s"

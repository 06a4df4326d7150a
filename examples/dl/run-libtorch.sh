#!/usr/bin/env bash
# The libtorch track of examples/dl, end to end: Debian's torch runs the
# Fashion-MNIST CNN with its ATen CPU kernels (and, when available, its BLAS)
# replaced by copies rebuilt from source with prism; prism-sample measures the
# variability of the logits and labels under sr, ud and chop; the slowdown of
# each backend is measured against the same kernels built natively.
#
# Usage: examples/dl/run-libtorch.sh [BUILD_DIR]     (default: <repo>/build)
# Environment (all optional):
#   IMAGES=100        test images per run (the first ones of the test set)
#   SAMPLES=10        prism-sample runs per backend
#   THREADS=1         torch.set_num_threads of every run
#   JOBS=1            prism-sample runs in parallel (1 keeps timings clean)
#   BACKENDS="sr ud chop-bf16 chop-fp16 chop-e4m3"   studies to run
#   BLAS=auto         auto: use examples/dl/blas/build-blas.sh when it exists;
#                     on: require it; off: Debian's libblas.so.3 (not instrumented)
#   TIMING_ROUNDS=3   rounds of the timing loop (the minimum per config is kept)
#   TIMING_SECONDS=1  each timing run repeats the forward pass (after one
#                     warm-up pass) until this many seconds, 3 passes at least
#   DL_MARCH=x86-64-v3  target of the rebuilt kernels and BLAS, native and
#                     prism alike (native, none = baseline x86-64, or any
#                     -march value; see examples/dl/march.sh)
#   ATEN_FILES="..."  rebuild only these native/cpu kernel files (quick runs;
#                     see examples/dl/libtorch/build-aten-kernels.sh)
#   NO_PRISM_BUILD=1  do not (re)build prism itself (it must be built)
# Results: BUILD_DIR/dl/libtorch-report/ (summary.txt, <study>.json/.html).
set -euo pipefail

die() { echo "run-libtorch.sh: $*" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/common.sh"   # dl_args and the shared steps
dl_args 25 "$@"

dl_settings
blas_mode=${BLAS:-auto}
case "$blas_mode" in auto | on | off) ;; *) die "BLAS must be auto, on or off, got '$blas_mode'" ;; esac
py=/usr/bin/python3

# ---- 1. packages, prism, the replacement libraries --------------------------
step "Debian packages (scripts/setup.sh all)"
bash "$repo/scripts/setup.sh" all

dl_prism_build
source "$here/march.sh"   # dl_march_flags, dl_march_tag (as the build scripts)

step "ATen CPU kernels, native and prism (examples/dl/libtorch/build-aten-kernels.sh)"
bash "$here/libtorch/build-aten-kernels.sh" "$build"
aten_native=$build/dl/aten/$dl_march_tag/native/libaten-kernels.so
aten_prism=$build/dl/aten/$dl_march_tag/prism/libaten-kernels.so

blas_native="" blas_prism=""
if [[ "$blas_mode" != off ]]; then
  if [[ -f "$here/blas/build-blas.sh" ]]; then
    step "netlib BLAS, native and prism (examples/dl/blas/build-blas.sh)"
    if bash "$here/blas/build-blas.sh" "$build"; then
      blas_native=$build/dl/blas/$dl_march_tag/native blas_prism=$build/dl/blas/$dl_march_tag/prism
    elif [[ "$blas_mode" == on ]]; then
      die "examples/dl/blas/build-blas.sh failed (BLAS=off runs without it)"
    else
      echo "run-libtorch.sh: the BLAS build failed: going on with Debian's libblas.so.3 (not instrumented)" >&2
    fi
  elif [[ "$blas_mode" == on ]]; then
    die "BLAS=on but examples/dl/blas/build-blas.sh does not exist"
  fi
fi
for d in $blas_native $blas_prism; do
  [[ -e "$d/libblas.so.3" ]] || die "no $d/libblas.so.3 after build-blas.sh"
done
blas_desc=${blas_prism:+"netlib BLAS rebuilt with prism ($blas_prism)"}
blas_desc=${blas_desc:-"Debian's libblas.so.3, NOT instrumented"}

out=$build/dl/libtorch-report
rm -rf "$out"; mkdir -p "$out"
infer=("$py" "$here/infer.py" -n "$images" --threads "$threads")

# run_infer KERNELS BLAS OUTFILE [infer.py args...]: KERNELS plain (Debian's),
# native or prism; BLAS debian, native or prism (the last two fall back to
# Debian's when the BLAS is not built). stderr goes to OUTFILE.err.
run_infer() {
  local kern=$1 blas=$2 of=$3; shift 3
  local lib=() ld=""
  case "$kern" in
    native) lib=(--aten-kernels "$aten_native") ;;
    prism) lib=(--aten-kernels "$aten_prism") ;;
  esac
  case "$blas" in native) ld=$blas_native ;; prism) ld=$blas_prism ;; esac
  LD_LIBRARY_PATH="${ld}${ld:+${LD_LIBRARY_PATH:+:}}${LD_LIBRARY_PATH:-}" \
    "${infer[@]}" "${lib[@]}" "$@" > "$of" 2> "$of.err" ||
    { cat "$of.err" >&2; die "infer.py failed (kernels $kern, BLAS $blas, $*)"; }
}

# ---- 2. the replacements are really used; ieee is bit-identical -------------
step "checks: ieee bit-identity and the replacements in use ($images images)"
run_infer plain debian "$out/plain-debian.txt"
run_infer plain debian "$out/plain-default.txt" --capability default
run_infer native debian "$out/native-debian-blas.txt"
run_infer native native "$out/native.txt"
PRISM_BACKEND=ieee run_infer prism prism "$out/prism-ieee.txt"
PRISM_BACKEND=sr PRISM_SEED=1 run_infer prism prism "$out/prism-sr.txt"
# sr in the ATen kernels alone (native BLAS): the difference comes from them.
PRISM_BACKEND=sr PRISM_SEED=1 run_infer prism native "$out/prism-sr-aten-only.txt"
# Which library the DispatchStub::DEFAULT entry points of libtorch_cpu.so bind to.
LD_DEBUG=bindings LD_DEBUG_OUTPUT=$out/bindings PRISM_BACKEND=ieee \
  run_infer prism prism "$out/bindings-logits.txt" -n 1 --output none
bound=$(cat "$out"/bindings.* | grep 'libtorch_cpu.so' | grep -c "libaten-kernels.so.*DispatchStub.*7DEFAULTE" || true)
blas_bound=$(cat "$out"/bindings.* | grep -c "to $blas_prism/libblas.so.3.*sgemm_" || true)
stubs=$(nm -D --defined-only "$aten_prism" | grep -c 'DispatchStub.*7DEFAULTE' || true)
rm -f "$out"/bindings.*

{
  echo "logits of $images images, $threads thread(s); BLAS: $blas_desc"
  echo "  native kernels, Debian BLAS  vs Debian torch, ATEN_CPU_CAPABILITY=default: $(same "$out/native-debian-blas.txt" "$out/plain-default.txt")"
  echo "  native kernels, Debian BLAS  vs Debian torch, its own choice (AVX2/AVX512): $(same "$out/native-debian-blas.txt" "$out/plain-debian.txt")"
  [[ -n "$blas_native" ]] &&
  echo "  native kernels, native BLAS  vs native kernels, Debian BLAS: $(same "$out/native.txt" "$out/native-debian-blas.txt")"
  echo "  prism, ieee                  vs native kernels and BLAS: $(same "$out/prism-ieee.txt" "$out/native.txt")"
  echo "  prism, sr (seed 1)           vs prism, ieee: $(same "$out/prism-sr.txt" "$out/prism-ieee.txt")"
  echo "  prism ATen kernels only, sr  vs prism, ieee: $(same "$out/prism-sr-aten-only.txt" "$out/prism-ieee.txt")"
  echo "  DispatchStub::DEFAULT references of libtorch_cpu.so bound to libaten-kernels.so: $bound (it defines $stubs)"
  [[ -n "$blas_prism" ]] &&
  echo "  sgemm_ references bound to $blas_prism/libblas.so.3: $blas_bound"
  true
} | tee "$out/checks.txt"
cmp -s "$out/prism-ieee.txt" "$out/native.txt" || die "ieee is not bit-identical to the native build"
! cmp -s "$out/prism-sr-aten-only.txt" "$out/prism-ieee.txt" || die "sr left every logit unchanged: the kernels are not in use"
((bound > 0)) || die "no DispatchStub entry point of libtorch_cpu.so binds to the replacement library"

# ---- 3. prism-sample studies --------------------------------------------------
ld_prism="${blas_prism}${blas_prism:+${LD_LIBRARY_PATH:+:}}${LD_LIBRARY_PATH:-}"
for b in $backends; do
  step "study $b: prism-sample -n $samples over $images images (+1 ieee reference run)"
  LD_LIBRARY_PATH="$ld_prism" dl_study "$out" "$b" "${infer[@]}" --aten-kernels "$aten_prism"
done

# ---- 4. slowdown vs the native kernels, same run -------------------------------
step "timing: inference of $images images, $rounds rounds (min kept), vs native kernels"
configs=(native ieee $backends)
# time_infer CONFIG OUTFILE ARGS...: native kernels and BLAS, or the prism ones
# under CONFIG's backend.
time_infer() {
  local c=$1 of=$2 kv; shift 2
  if [[ $c == native ]]; then run_infer native native "$of" "$@"; return; fi
  ( for kv in $(backend_env "$c"); do export "${kv?}"; done
    run_infer prism prism "$of" "$@" )
}
dl_timing "$out" time_infer "${configs[@]}"

# ---- 5. report ----------------------------------------------------------------
step "report"
cat "$out/checks.txt"
echo
"$py" "$here/report.py" "$out" "$images" "$samples" "$rounds" "$blas_desc" \
  "both built with ${dl_march_flags[*]:-no -march (baseline x86-64)}" "${configs[@]}" | tee "$out/summary.txt"
echo "reports: $out/{$(echo $backends | tr ' ' ',')}.html and .json; total $((SECONDS - dl_t0)) s"

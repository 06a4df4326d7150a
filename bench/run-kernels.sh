#!/usr/bin/env bash
# run-kernels.sh - build (if needed) and run the kernel benchmark suite once per
# backend; each run times the native and the prism-c++ build of the same
# kernels against each other and prints the slowdowns and their geomean.
#
#   bench/run-kernels.sh                 # backends ieee and sr
#   bench/run-kernels.sh ieee            # one backend
#   bench/run-kernels.sh sr -- gemm dot --budget=3   # harness arguments after --
#   bench/run-kernels.sh chop:bf16:rne   # chop with PRISM_FORMAT / PRISM_ROUNDING
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
build_dir="$root/build"
do_build=1
backends=() harness_args=()

usage() {
  cat <<USAGE
usage: ${0##*/} [--build-dir DIR] [--no-build] [backend ...] [-- harness-args ...]
  backend          ieee, sr, ... (default: ieee sr); one harness run each;
                   chop:FORMAT[:ROUNDING] runs chop with PRISM_FORMAT=FORMAT
                   and PRISM_ROUNDING=ROUNDING (e.g. chop:bf16:rne)
  --build-dir DIR  build tree (default: $root/build; configured if absent)
  --no-build       do not configure or build, run what is there
  harness-args     kernel names, --budget=S, --wall, --check-only, ...
                   (see build/bench/prism-bench-kernels --help)
USAGE
}

while (($#)); do
  case "$1" in
    --build-dir) build_dir=$2; shift 2 ;;
    --build-dir=*) build_dir=${1#*=}; shift ;;
    --no-build) do_build=0; shift ;;
    -h | --help) usage; exit 0 ;;
    --) shift; harness_args=("$@"); break ;;
    -*) echo "${0##*/}: unknown option '$1'" >&2; usage >&2; exit 2 ;;
    *) backends+=("$1"); shift ;;
  esac
done
((${#backends[@]})) || backends=(ieee sr)

if ((do_build)); then
  if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
    cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DPRISM_BUILD_BENCH=ON
  fi
  cmake --build "$build_dir" -j2 --target prism-bench-kernels
fi
harness="$build_dir/bench/prism-bench-kernels"
[[ -x "$harness" ]] || { echo "${0##*/}: $harness not found (configure with -DPRISM_BUILD_BENCH=ON)" >&2; exit 2; }

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs"
flags=$(sed -n 's/^PRISM_BENCH_FLAGS:[A-Z]*=//p' "$build_dir/CMakeCache.txt" 2>/dev/null || true)
pflags=$(sed -n 's/^PRISM_BENCH_PRISM_FLAGS:[A-Z]*=//p' "$build_dir/CMakeCache.txt" 2>/dev/null || true)
echo "kernels built with: clang++-19 $flags / prism-c++ $flags${pflags:+ $pflags}"

status=0 summary=()
for b in "${backends[@]}"; do
  echo
  # chop:FORMAT[:ROUNDING] -> PRISM_BACKEND=chop PRISM_FORMAT=... PRISM_ROUNDING=...
  benv=("PRISM_BACKEND=$b")
  if [[ "$b" == chop:* ]]; then
    IFS=: read -r _ fmt rnd <<<"$b"
    benv=("PRISM_BACKEND=chop" "PRISM_FORMAT=$fmt")
    [[ -n "$rnd" ]] && benv+=("PRISM_ROUNDING=$rnd")
  fi
  echo "=== ${benv[*]}"
  out=$(mktemp)
  rc=0
  env "${benv[@]}" "$harness" "${harness_args[@]}" | tee "$out" || rc=$?
  g=$(sed -n 's/^geomean [^ ]\{1,\} \([0-9.]\{1,\}\) (.*/\1/p' "$out")
  rm -f "$out"
  ((rc == 0)) || status=1
  if [[ -n "$g" ]]; then
    line="$(printf '%-6s' "$b") geomean slowdown $(awk -v g="$g" 'BEGIN { printf(g < 100 ? "%.2fx" : "%.0fx", g) }')"
  else
    line="$(printf '%-6s' "$b") not timed"
  fi
  if [[ "$b" == ieee && -n "$g" ]]; then
    if awk -v g="$g" 'BEGIN { exit !(g <= 1.5) }'; then
      line+="  (goal <= 1.5x: met)"
    else
      line+="  (goal <= 1.5x: NOT met)"
    fi
  fi
  ((rc == 0)) || line+="  [harness exit status $rc]"
  summary+=("$line")
done

echo
echo "=== summary: prism-c++ vs native, geometric mean of the per-kernel slowdowns"
printf '%s\n' "${summary[@]}"
exit $status

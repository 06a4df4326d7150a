#!/usr/bin/env bash
# run-microbench.sh - build (if needed) and run the per-operation
# microbenchmarks once per backend (the backend is per process), then the
# two-thread throughput benchmark under sr. Prints one table per backend:
# op, type, width, native ns/elem, prism ns/elem, ratio.
#
#   bench/run-microbench.sh                    # ieee sr ud, then 2 threads (sr)
#   bench/run-microbench.sh sr                 # one backend (2 threads under sr)
#   bench/run-microbench.sh --no-threads ud    # no two-thread run
#   bench/run-microbench.sh sr -- --benchmark_filter='^div/'   # binary args
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
build_dir="$root/build"
do_build=1 threads=1 verbose=0
min_time=0.1
threads_backend=sr
backends=() extra=()

usage() {
  cat <<USAGE
usage: ${0##*/} [--build-dir DIR] [--no-build] [--no-threads] [--verbose]
                [--min-time S] [--threads-backend B] [backend ...] [-- args ...]
  backend            ieee, sr, ud, ... (default: ieee sr ud); one run each
  --build-dir DIR    build tree (default: $root/build; configured if absent)
  --no-build         do not configure or build, run what is there
  --no-threads       skip the two-thread throughput benchmark
  --threads-backend  backend of the two-thread run (default: sr)
  --min-time S       --benchmark_min_time of each benchmark (default $min_time)
  --verbose          also print Google Benchmark's own output (counters)
  args               passed to prism-bench-micro (see its --help)
USAGE
}

while (($#)); do
  case "$1" in
    --build-dir) build_dir=$2; shift 2 ;;
    --build-dir=*) build_dir=${1#*=}; shift ;;
    --no-build) do_build=0; shift ;;
    --no-threads) threads=0; shift ;;
    --threads-backend) threads_backend=$2; shift 2 ;;
    --threads-backend=*) threads_backend=${1#*=}; shift ;;
    --min-time) min_time=$2; shift 2 ;;
    --min-time=*) min_time=${1#*=}; shift ;;
    --verbose) verbose=1; shift ;;
    -h | --help) usage; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    -*) echo "${0##*/}: unknown option '$1'" >&2; usage >&2; exit 2 ;;
    *) backends+=("$1"); shift ;;
  esac
done
((${#backends[@]})) || backends=(ieee sr ud)

if ((do_build)); then
  if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
    cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DPRISM_BUILD_BENCH=ON
  fi
  cmake --build "$build_dir" -j2 --target prism-bench-micro
fi
bin="$build_dir/bench/prism-bench-micro"
[[ -x "$bin" ]] || { echo "${0##*/}: $bin not found (configure with -DPRISM_BUILD_BENCH=ON)" >&2; exit 2; }

flags=$(sed -n 's/^PRISM_MICRO_FLAGS:[A-Z]*=//p' "$build_dir/CMakeCache.txt" 2>/dev/null || true)
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "kernels built with: clang++-19 $flags / prism-c++ $flags (/ prism-c++ $flags -mllvm -prism-native-clone=false)"

quiet=(--quiet)
((verbose)) && quiet=()
status=0 start=$SECONDS
for b in "${backends[@]}"; do
  echo
  echo "=== PRISM_BACKEND=$b"
  PRISM_BACKEND=$b "$bin" "${quiet[@]}" --benchmark_min_time="$min_time" \
    "${extra[@]}" || status=1
done
if ((threads)); then
  echo
  echo "=== PRISM_BACKEND=$threads_backend, two threads"
  PRISM_BACKEND=$threads_backend "$bin" --no-micro --threads "${extra[@]}" || status=1
fi
echo
echo "total $((SECONDS - start)) s"
exit $status

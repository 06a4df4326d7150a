#!/usr/bin/env bash
# run-heldout.sh - the held-out suite: Eigen's own benchmark programs (the
# bench/ folder of Debian's eigen3 source package, code no one here wrote),
# built natively with clang++-19 and instrumented with prism-c++ from the same
# flags, then timed as whole processes under each backend.
#
#   bench/heldout/run-heldout.sh --build-dir build-ho            # ieee sr ud, 5 rounds
#   bench/heldout/run-heldout.sh --build-dir build-ho sr chop:bf16:rne
#   bench/heldout/run-heldout.sh --build-dir build-ho --check-only   # build, run once, exit status
#
# Per program and backend: N rounds alternating the native and the prism run
# (native first in odd rounds, prism first in even ones); the user+sys CPU time
# of each child process; ratio = median prism time / median native time.
# Sources: <build-dir>/heldout/src (apt-get source eigen3, reused).
# Binaries: <build-dir>/heldout/bin/{native,prism}/ (rebuilt when the compile
# command, the source or prism's plugin/runtime changed).
# Exit status: 0 all ran (and ieee outputs identical where comparable);
# 1 a build or run failed or an ieee output differed; 2 bad usage or missing
# prism build; 3 the eigen3 source cannot be fetched.
set -euo pipefail

me=${0##*/}
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
build_dir="$root/build"
rounds=5 check_only=0 jobs=2 extra_flags=""
backends=()

usage() {
  cat <<USAGE
usage: $me [--build-dir DIR] [--rounds N] [--check-only] [--jobs J] [--cxxflags "F ..."] [backend ...]
  backend          ieee, sr, ud, chop, or chop:FORMAT[:ROUNDING] (sets PRISM_FORMAT /
                   PRISM_ROUNDING, e.g. chop:bf16:rne); default: ieee sr ud
  --build-dir DIR  prism build tree with bin/prism-c++ (default: $root/build);
                   sources and binaries go to DIR/heldout/
  --rounds N       timed rounds per program and backend (default 5)
  --check-only     build, run each program once per backend, check exit status 0
                   (and ieee output identical where the output is deterministic)
  --jobs J         parallel compiles (default 2)
  --cxxflags "F"   extra flags for both builds, after -O3 -march=native -DNDEBUG
                   (e.g. "-DEIGEN_DONT_VECTORIZE"; binaries are rebuilt when they change)
USAGE
}
die() { echo "$me: $*" >&2; exit 2; }

while (($#)); do
  case "$1" in
    --build-dir) (($# >= 2)) || die "--build-dir needs a directory"; build_dir=$2; shift 2 ;;
    --build-dir=*) build_dir=${1#*=}; shift ;;
    --rounds) (($# >= 2)) || die "--rounds needs a number"; rounds=$2; shift 2 ;;
    --rounds=*) rounds=${1#*=}; shift ;;
    --jobs) (($# >= 2)) || die "--jobs needs a number"; jobs=$2; shift 2 ;;
    --jobs=*) jobs=${1#*=}; shift ;;
    --cxxflags) (($# >= 2)) || die "--cxxflags needs a string"; extra_flags=$2; shift 2 ;;
    --cxxflags=*) extra_flags=${1#*=}; shift ;;
    --check-only) check_only=1; shift ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "$me: unknown option '$1'" >&2; usage >&2; exit 2 ;;
    *) backends+=("$1"); shift ;;
  esac
done
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || die "--rounds: '$rounds' is not a positive integer"
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || die "--jobs: '$jobs' is not a positive integer"
((${#backends[@]})) || backends=(ieee sr ud)
for b in "${backends[@]}"; do
  case "$b" in
    ieee | sr | ud | chop) ;;
    chop:?*) ;;
    *) die "unknown backend '$b' (accepted: ieee, sr, ud, chop, chop:FORMAT[:ROUNDING])" ;;
  esac
done

[[ -d "$build_dir" ]] || die "no build directory '$build_dir'"
build_dir=$(cd "$build_dir" && pwd)
prism_cxx=$build_dir/bin/prism-c++
plugin=$build_dir/lib/prism/PrismPass.so
runtime=$build_dir/lib/libprism.so
for f in "$prism_cxx" "$plugin" "$runtime"; do
  [[ -e "$f" ]] || die "missing $f (build prism first: cmake --build $build_dir -j2)"
done
native_cxx=$(command -v clang++-19) || die "clang++-19 not found (bash $root/scripts/setup.sh core)"
flags=(-O3 -march=native -DNDEBUG)
# shellcheck disable=SC2206
flags+=($extra_flags)
hdir=$build_dir/heldout

# ---- the programs ---------------------------------------------------------
# name | source in bench/ | what it computes (type, sizes) | -D macros | arguments | deterministic stdout (1) or timings (0)
# Sizes are chosen so that a native run takes about 0.1-0.3 s here.
programs=(
  "benchmark|benchmark.cpp|f64 3x3 fixed: m = 1 + 5e-5(m + m*m), 1e7 times|-DREPEAT=10000000||1"
  "bench_sum|bench_sum.cpp|f32 n=4000 dynamic: v.sum(), 1e6 times|-DSCALAR=float -DSIZE=4000||1"
  "benchmarkX|benchmarkX.cpp|f64 320x320 dynamic: m = 1 + 1e-4(m + m*m), 50 times|-DMATTYPE=MatrixXd -DMATSIZE=320 -DREPEAT=50||1"
  "bench_gemm|bench_gemm.cpp|f32 640^3 GEMM x10, lazy-product check|| -s 640 -t 10|0"
  "benchCholesky|benchCholesky.cpp|f32 LLT+LDLT, n=4..1500 dynamic, 2..16 fixed|-DREPEAT=100 -DTRIES=2||0"
  "geometry|geometry.cpp|f64 3-D transforms (7 kinds) of 1..3 points|-DSCALAR=double -DSIZE=3||0"
  "benchGeometry|benchGeometry.cpp|f32+f64 Transform*vec, Transform*Transform|-DREPEAT=50000||0"
)
field() { local IFS='|'; local -a a; read -r -a a <<<"$1"; printf '%s' "${a[$2]-}"; }

# ---- 1. the eigen3 source -------------------------------------------------
unreachable() { echo "$me: $*" >&2; exit 3; }
srcroot=$hdir/src
src=$(ls -d "$srcroot"/eigen3-*/ 2>/dev/null | head -n1 || true)
if [[ -z "$src" || ! -e "$src/.complete" ]]; then
  if ! command -v dpkg-source >/dev/null ||
     [[ $(apt-cache showsrc eigen3 2>/dev/null) != *"Package: eigen3"* ]]; then
    bash "$root/scripts/setup.sh" src >&2 ||
      unreachable "cannot set up apt-get source (bash $root/scripts/setup.sh src failed)"
  fi
  rm -rf "$srcroot" "$srcroot.tmp"; mkdir -p "$srcroot.tmp"
  echo "$me: apt-get source eigen3 into $srcroot" >&2
  (cd "$srcroot.tmp" && apt-get source -qq eigen3 >apt.log 2>&1) || {
    sed 's/^/  /' "$srcroot.tmp/apt.log" >&2
    unreachable "apt-get source eigen3 failed (network to deb.debian.org, deb-src line?)"
  }
  src=$(ls -d "$srcroot.tmp"/eigen3-*/ 2>/dev/null | head -n1 || true)
  [[ -n "$src" ]] || unreachable "apt-get source eigen3 left no eigen3-*/ directory in $srcroot.tmp"
  touch "$src/.complete"
  mv "$srcroot.tmp" "$srcroot"   # a half-extracted tree is never reused
  src=$(ls -d "$srcroot"/eigen3-*/ | head -n1)
fi
src=${src%/}
[[ -f "$src/Eigen/Core" && -d "$src/bench" ]] || die "unexpected source tree $src"

# ---- 2-3. builds ----------------------------------------------------------
# One compile command per variant; a binary is rebuilt when its recorded
# command differs, or the source, or (prism) the wrapper/plugin/runtime is newer.
mkdir -p "$hdir/bin/native" "$hdir/bin/prism"
declare -A build_ok=()
pids=() pid_key=()

needs_build() { # out cmdfile deps...
  local out=$1 cmd=$2 d; shift 2
  [[ -x "$out" && -f "$out.cmd" ]] || return 0
  [[ "$(cat "$out.cmd")" == "$cmd" ]] || return 0
  for d in "$@"; do [[ "$d" -nt "$out" ]] && return 0; done
  return 1
}

reap_one() { # wait for the oldest build
  local pid=${pids[0]} key=${pid_key[0]}
  pids=("${pids[@]:1}") pid_key=("${pid_key[@]:1}")
  if wait "$pid"; then
    build_ok[$key]=1
  else
    build_ok[$key]=0
    echo "$me: FAILED to build $key; last lines of $hdir/bin/$key.log:" >&2
    tail -n 15 "$hdir/bin/$key.log" | sed 's/^/  /' >&2
  fi
}

start_build() { # variant program-record
  local variant=$1 p=$2 name file defs cxx out
  name=$(field "$p" 0) file=$(field "$p" 1) defs=$(field "$p" 3)
  if [[ $variant == native ]]; then cxx=$native_cxx; else cxx=$prism_cxx; fi
  out=$hdir/bin/$variant/$name
  # shellcheck disable=SC2206
  local -a cmd=("$cxx" "${flags[@]}" $defs -I"$src" "$src/bench/$file" -o "$out")
  local deps=("$src/bench/$file")
  [[ $variant == prism ]] && deps+=("$prism_cxx" "$plugin" "$runtime")
  if ! needs_build "$out" "${cmd[*]}" "${deps[@]}"; then
    build_ok[$variant/$name]=1
    return
  fi
  while ((${#pids[@]} >= jobs)); do reap_one; done
  echo "build $variant/$name: ${cmd[*]}"
  (
    t0=$SECONDS
    rm -f "$out" "$out.cmd"
    "${cmd[@]}" >"$out.log" 2>&1
    echo "${cmd[*]}" >"$out.cmd"
    echo "built $variant/$name in $((SECONDS - t0)) s"
  ) &
  pids+=($!) pid_key+=("$variant/$name")
}

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "eigen source: $src"
echo "flags: ${flags[*]} (native: $native_cxx; instrumented: $prism_cxx)"
for p in "${programs[@]}"; do
  start_build native "$p"
  start_build prism "$p"
done
while ((${#pids[@]})); do reap_one; done

# ---- 4. runs --------------------------------------------------------------
status=0
rundir=$hdir/runs
mkdir -p "$rundir"
run_limit=1800 # seconds per process, a hang guard

# run_one OUTPREFIX ENV... -- CMD ARGS: sets R_CPU (user+sys s), R_RC; stdout
# in OUTPREFIX.out, stderr in OUTPREFIX.err.
run_one() {
  local o=$1; shift
  local -a envs=()
  while [[ $1 != -- ]]; do envs+=("$1"); shift; done
  shift
  local TIMEFORMAT='%3U %3S' u s
  R_RC=0
  { time env "${envs[@]}" timeout "$run_limit" "$@" >"$o.out" 2>"$o.err"; } 2>"$o.time" || R_RC=$?
  read -r u s <"$o.time" || true
  R_CPU=$(awk -v u="${u:-0}" -v s="${s:-0}" 'BEGIN { printf "%.3f", u + s }')
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

backend_env() { # spec -> array BENV
  local b=$1 fmt rnd
  BENV=("PRISM_BACKEND=$b")
  if [[ "$b" == chop:* ]]; then
    IFS=: read -r _ fmt rnd <<<"$b"
    BENV=("PRISM_BACKEND=chop" "PRISM_FORMAT=$fmt")
    [[ -n "$rnd" ]] && BENV+=("PRISM_ROUNDING=$rnd")
  fi
  return 0
}

# Native reference output, once per program (also its exit status check).
declare -A native_ok=()
for p in "${programs[@]}"; do
  name=$(field "$p" 0) args=$(field "$p" 4)
  [[ ${build_ok[native/$name]:-0} == 1 ]] || continue
  # shellcheck disable=SC2086
  run_one "$rundir/$name.native.ref" -- "$hdir/bin/native/$name" $args
  if ((R_RC != 0)); then
    echo "$me: native $name exited with status $R_RC (see $rundir/$name.native.ref.err)" >&2
    status=1; native_ok[$name]=0
  else
    native_ok[$name]=1
  fi
done

summary=()
for b in "${backends[@]}"; do
  backend_env "$b"
  echo
  if ((check_only)); then
    echo "=== ${BENV[*]}: check only (one run per program)"
  else
    echo "=== ${BENV[*]}: $rounds rounds, median user+sys CPU s of the whole process"
  fi
  if [[ $b == ieee ]]; then ocol="ieee-identical"; else ocol="output vs native"; fi
  printf '%-14s %-50s %9s %9s %8s  %s\n' program "what" "native s" "prism s" ratio "$ocol"
  ratios=() worst=0 worst_name="" failed=()
  for p in "${programs[@]}"; do
    name=$(field "$p" 0) what=$(field "$p" 2) args=$(field "$p" 4) det=$(field "$p" 5)
    if [[ ${build_ok[native/$name]:-0} != 1 || ${build_ok[prism/$name]:-0} != 1 ]]; then
      printf '%-14s %-50s %9s %9s %8s  %s\n' "$name" "$what" - - - "not built (see above)"
      failed+=("$name"); status=1; continue
    fi
    [[ ${native_ok[$name]} == 1 ]] || { failed+=("$name"); continue; }
    nt=() pt=() same=1 rc_bad=""
    o=$rundir/$name.$b
    if ((check_only)); then
      # shellcheck disable=SC2086
      run_one "$o.prism" "${BENV[@]}" -- "$hdir/bin/prism/$name" $args
      ((R_RC == 0)) || rc_bad="prism exit status $R_RC"
      cmp -s "$o.prism.out" "$rundir/$name.native.ref.out" || same=0
      nt=(0) pt=("$R_CPU")
    else
      for ((r = 1; r <= rounds; r++)); do
        if ((r % 2)); then order=(native prism); else order=(prism native); fi
        for v in "${order[@]}"; do
          if [[ $v == native ]]; then
            # shellcheck disable=SC2086
            run_one "$o.native" "${BENV[@]}" -- "$hdir/bin/native/$name" $args
            ((R_RC == 0)) || rc_bad="native exit status $R_RC"
            nt+=("$R_CPU")
          else
            # shellcheck disable=SC2086
            run_one "$o.prism" "${BENV[@]}" -- "$hdir/bin/prism/$name" $args
            ((R_RC == 0)) || rc_bad="prism exit status $R_RC"
            cmp -s "$o.prism.out" "$rundir/$name.native.ref.out" || same=0
            pt+=("$R_CPU")
          fi
        done
        [[ -z "$rc_bad" ]] || break
      done
    fi
    if [[ $det == 1 ]]; then
      if [[ $b == ieee ]]; then
        if ((same)); then ocmp="yes"; else ocmp="NO (differs from native)"; status=1; fi
      else
        if ((same)); then ocmp="identical"; else ocmp="differs"; fi
      fi
    else
      ocmp="n/a (prints timings)"
    fi
    if [[ -n "$rc_bad" ]]; then
      printf '%-14s %-50s %9s %9s %8s  %s\n' "$name" "$what" - - - "FAILED: $rc_bad (see $o.prism.err)"
      failed+=("$name"); status=1; continue
    fi
    if ((check_only)); then
      printf '%-14s %-50s %9s %9.3f %8s  %s\n' "$name" "$what" - "${pt[0]}" ok "$ocmp"
      continue
    fi
    mn=$(median "${nt[@]}") mp=$(median "${pt[@]}")
    ratio=$(awk -v p="$mp" -v n="$mn" 'BEGIN { printf "%.3f", (n > 0 ? p / n : 0) }')
    ratios+=("$ratio")
    if awk -v r="$ratio" -v w="$worst" 'BEGIN { exit !(r > w) }'; then worst=$ratio worst_name=$name; fi
    printf '%-14s %-50s %9.3f %9.3f %7s  %s\n' "$name" "$what" "$mn" "$mp" \
      "$(awk -v r="$ratio" 'BEGIN { printf(r < 100 ? "%.2fx" : "%.0fx", r) }')" "$ocmp"
  done
  if ((check_only)); then
    if ((${#failed[@]})); then line="$(printf '%-16s' "$b") check FAILED: ${failed[*]}"; else line="$(printf '%-16s' "$b") check ok"; fi
    summary+=("$line")
    continue
  fi
  if ((${#ratios[@]})); then
    g=$(printf '%s\n' "${ratios[@]}" | awk '$1 > 0 { s += log($1); n++ } END { printf "%.3f", exp(s / n) }')
    fmt() { awk -v r="$1" 'BEGIN { printf(r < 100 ? "%.2fx" : "%.0fx", r) }'; }
    printf '%-14s %-50s %9s %9s %7s\n' geomean "(${#ratios[@]} programs)" "" "" "$(fmt "$g")"
    printf '%-14s %-50s %9s %9s %7s\n' worst "($worst_name)" "" "" "$(fmt "$worst")"
    line="$(printf '%-16s' "$b") geomean $(fmt "$g"), worst $(fmt "$worst") ($worst_name)"
    goal=""
    case "$b" in
      ieee) awk -v g="$g" 'BEGIN { exit !(g <= 1.5) }' && goal="met" || goal="NOT met"
            line+="  [goal geomean <= 1.5x: $goal]" ;;
      sr) ok1=$(awk -v g="$g" 'BEGIN { print (g <= 8) ? "met" : "NOT met" }')
          ok2=$(awk -v w="$worst" 'BEGIN { print (w <= 25) ? "met" : "NOT met" }')
          line+="  [goal geomean <= 8x: $ok1; worst <= 25x: $ok2]" ;;
      ud) ok1=$(awk -v g="$g" 'BEGIN { print (g <= 6) ? "met" : "NOT met" }')
          line+="  [goal geomean <= 6x: $ok1]" ;;
    esac
  else
    line="$(printf '%-16s' "$b") nothing timed"
  fi
  ((${#failed[@]} == 0)) || line+="  failed: ${failed[*]}"
  summary+=("$line")
done

echo
echo "=== summary: prism-c++ vs clang++-19, whole-process CPU time, Eigen's bench/ programs"
printf '%s\n' "${summary[@]}"
exit $status

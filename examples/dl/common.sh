# Sourced by the run-*.sh tracks of examples/dl: the shared settings, the
# prism-sample studies and the timing loop. The caller defines die() first.
#
# dl_args LAST "$@": the one argument of every script here, [BUILD_DIR]:
#   -h/--help prints lines 2..LAST of the script's header comment; sets repo
#   and build (default <repo>/build); one line and exit 2 for anything else.
# dl_settings: reads and checks IMAGES SAMPLES THREADS JOBS TIMING_ROUNDS
#   TIMING_SECONDS BACKENDS (see run-libtorch.sh) into images samples threads
#   jobs rounds min_secs backends; starts the clock of step().
# step TEXT: a progress line with the elapsed seconds.
# same A B: "bit-identical" or "DIFFERENT (k of n logits differ)".
# backend_env STUDY: the PRISM_* variables of a config (ieee, sr, ud, chop-F),
#   as NAME=VALUE words for env.
# dl_study OUT STUDY CMD...: prism-sample over CMD (which must accept
#   --labels-out/--summary-out/-q like infer.py) into OUT/STUDY{,.json,.html,
#   .txt} and the label agreement into OUT/STUDY-labels.{json,txt}.
# dl_prism_build: unless NO_PRISM_BUILD is set, configures (first time) and
#   builds the prism targets the tracks need in $build; checks they exist and
#   makes $build absolute.
# dl_fetch_source PKG: Debian's source package PKG unpacked by apt-get source
#   under $build/dl/PKG-src (reused when complete; the deb-src line comes from
#   scripts/setup.sh src); prints the source directory. The caller defines
#   unreachable() (exit 3) for a package that cannot be fetched.
# dl_timing OUT RUN_FN CONFIG...: TIMING_ROUNDS rounds; RUN_FN CONFIG OUTFILE
#   ARGS... must run the inference of CONFIG with ARGS (stdout to OUTFILE);
#   the summaries go to OUT/time-CONFIG-ROUND.txt (what report.py reads).

dl_args() {
  local last=$1 usage="$(basename "$0") [BUILD_DIR]"; shift
  case "${1:-}" in
    -h | --help) sed -n "2,${last}p" "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option '$1' (usage: $usage)" ;;
  esac
  (($# <= 1)) || die "too many arguments (usage: $usage)"
  repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  build=${1:-$repo/build}
}

posint() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || die "$1 must be a positive integer, got '$2'"; }

dl_settings() {
  images=${IMAGES:-100} samples=${SAMPLES:-10} threads=${THREADS:-1} jobs=${JOBS:-1}
  rounds=${TIMING_ROUNDS:-3} min_secs=${TIMING_SECONDS:-1}
  backends=${BACKENDS:-sr ud chop-bf16 chop-fp16 chop-e4m3}
  local b
  posint IMAGES "$images"; posint SAMPLES "$samples"; posint THREADS "$threads"
  posint JOBS "$jobs"; posint TIMING_ROUNDS "$rounds"
  [[ "$min_secs" =~ ^[0-9]+([.][0-9]+)?$ ]] ||
    die "TIMING_SECONDS must be a non-negative number, got '$min_secs'"
  ((images <= 10000)) || die "IMAGES must be at most 10000, got '$images'"
  ((samples >= 2)) || die "SAMPLES must be at least 2, got '$samples'"
  for b in $backends; do
    case "$b" in sr | ud | chop-bf16 | chop-fp16 | chop-e4m3) ;;
      *) die "unknown study '$b' in BACKENDS (accepted: sr ud chop-bf16 chop-fp16 chop-e4m3)" ;;
    esac
  done
  dl_t0=$SECONDS
}

step() { printf '\n==== [%4d s] %s\n' "$((SECONDS - dl_t0))" "$*"; }

same() {
  cmp -s "$1" "$2" && echo "bit-identical" ||
    echo "DIFFERENT ($(paste "$1" "$2" | awk '$1 != $2' | wc -l) of $(wc -l < "$1") logits differ)"
}

backend_env() {
  case "$1" in
    chop-*) echo "PRISM_BACKEND=chop PRISM_FORMAT=${1#chop-} PRISM_ROUNDING=rne" ;;
    *) echo "PRISM_BACKEND=$1 PRISM_SEED=1" ;;
  esac
}

dl_study() {
  local out=$1 b=$2; shift 2
  local be=$b chop=()
  case "$b" in chop-*) be=chop chop=(PRISM_FORMAT="${b#chop-}" PRISM_ROUNDING=rne) ;; esac
  env "${chop[@]}" "$build/bin/prism-sample" -n "$samples" -j "$jobs" \
    --backend "$be" --precision 24 --workdir "$out/$b" --json "$out/$b.json" \
    --html "$out/$b.html" -- "$@" \
    --labels-out '{}/labels.txt' --summary-out '{}/summary.txt' -q > "$out/$b.txt"
  # Labels: the same runs, replayed as categorical outputs (Dice per label).
  "$build/bin/prism-sample" -q -n "$samples" --categorical --json "$out/$b-labels.json" -- bash -c \
    'if [[ -n "${PRISM_SAMPLE_INDEX:-}" ]]; then cat "$1/run-$(printf %04d "$PRISM_SAMPLE_INDEX")/labels.txt"
     else cat "$1/reference/labels.txt"; fi' _ "$out/$b" > "$out/$b-labels.txt"
  tail -n 1 "$out/$b.txt"; tail -n 1 "$out/$b-labels.txt"
}

dl_timing() {
  local out=$1 fn=$2 r c; shift 2
  for r in $(seq "$rounds"); do
    for c in "$@"; do
      "$fn" "$c" "$out/time.out" --output none --warmup 1 --repeat 3 \
        --min-seconds "$min_secs" --summary-out "$out/time-$c-$r.txt"
      printf '  round %d/%d %-10s %8.3f s\n' "$r" "$rounds" "$c" \
        "$(awk '$1 == "infer_seconds" { print $2 }' "$out/time-$c-$r.txt")"
    done
  done
}

dl_prism_build() {
  if [[ -z "${NO_PRISM_BUILD:-}" ]]; then
    step "prism (cmake in $build)"
    [[ -f "$build/CMakeCache.txt" ]] || cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release
    cmake --build "$build" -j2 --target PrismPass prism prism-backend-ieee prism-backend-sr \
      prism-backend-ud prism-backend-chop prism-chop prism-sample
  fi
  [[ -d "$build" ]] || die "no build directory '$build'"
  build=$(cd "$build" && pwd)
  local f
  for f in bin/prism-c++ bin/prism-sample lib/libprism.so lib/prism/PrismPass.so; do
    [[ -e "$build/$f" ]] || die "missing $build/$f (build prism, or unset NO_PRISM_BUILD)"
  done
}

dl_fetch_source() {
  local pkg=$1 root=$build/dl/$1-src src
  src=$(ls -d "$root/$pkg"-*/ 2>/dev/null | head -n1 || true)
  if [[ -z "$src" || ! -e "$src/.complete" ]]; then
    if ! command -v dpkg-source >/dev/null ||
       [[ $(apt-cache showsrc "$pkg" 2>/dev/null) != *"Package: $pkg"* ]]; then
      bash "$repo/scripts/setup.sh" src >&2 ||
        unreachable "cannot set up apt-get source (bash $repo/scripts/setup.sh src failed)"
    fi
    rm -rf "$root" "$root.tmp"; mkdir -p "$root.tmp"
    echo "apt-get source $pkg into $root" >&2
    (cd "$root.tmp" && apt-get source -qq "$pkg" >/dev/null) ||
      unreachable "apt-get source $pkg failed (network to deb.debian.org, deb-src line?)"
    src=$(ls -d "$root.tmp/$pkg"-*/ | head -n1)
    touch "$src/.complete"
    mv "$root.tmp" "$root"   # atomic: a half-extracted tree is never reused
    src=$(ls -d "$root/$pkg"-*/ | head -n1)
  fi
  echo "${src%/}"
}

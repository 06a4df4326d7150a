# Sourced by build-blas.sh, build-aten-kernels.sh and run-libtorch.sh: the
# target flag of the rebuilt libraries, the same for the native and the prism
# build (so that PRISM_BACKEND=ieee stays bit-identical to the native build).
#
#   DL_MARCH=x86-64-v3  (default) AVX2 + FMA (Haswell / Zen and later): prism's
#                       inline sr/ud rounding covers add, sub, mul, div, sqrt
#                       and fma (without FMA only add, sub and fptrunc are
#                       inline; the rest calls the runtime, see docs/DESIGN.md)
#   DL_MARCH=native     this machine's CPU (the cache directory is named after
#                       the CPU clang resolves it to, e.g. native-znver3)
#   DL_MARCH=none       no -march flag: baseline x86-64 (SSE2, no FMA), what
#                       Debian and pytorch's DEFAULT kernels use
#   DL_MARCH=<cpu>      any other -march value clang and flang accept
#
# Sets dl_march_flags (C/C++, array, empty for none), dl_march_fflags
# (Fortran) and dl_march_tag: the libraries of each flag set live in their
# own directory (BUILD_DIR/dl/{aten,blas}/TAG/), so a build with other flags
# is never reused.
#
# flang-new-19 turns -march into a "target-cpu" function attribute only,
# without the "target-features" list clang writes; prism's pass reads FMA
# from that list (passes/PrismInstrument.cpp, targetFusesMulAdd), so for
# Fortran the features clang derives from the same -march are passed
# explicitly (-Xflang -target-feature). The code generator sees the same
# target either way.
dl_march=${DL_MARCH-x86-64-v3}
case "$dl_march" in
  "" | none | baseline) dl_march_flags=() dl_march_fflags=() dl_march_tag=baseline ;;
  native)
    dl_march_flags=(-march=native)
    dl_march_tag=$(clang-19 -march=native -### -x c -c /dev/null -o /dev/null 2>&1 |
                   sed -n 's/.*"-target-cpu" "\([^"]*\)".*/\1/p' | head -n1)
    dl_march_tag=native-${dl_march_tag:-unknown} ;;
  *)
    [[ "$dl_march" =~ ^[A-Za-z0-9][A-Za-z0-9._+-]*$ ]] ||
      { echo "DL_MARCH: not a -march value: '$dl_march'" >&2; exit 2; }
    dl_march_flags=(-march="$dl_march") dl_march_tag=$dl_march ;;
esac
if ((${#dl_march_flags[@]})); then
  dl_march_features=$(echo 'void f(void) {}' |
    clang-19 "${dl_march_flags[@]}" -S -emit-llvm -x c - -o - 2>/dev/null |
    sed -n 's/.*"target-features"="\([^"]*\)".*/\1/p' | head -n1)
  [[ -n "$dl_march_features" ]] ||
    { echo "DL_MARCH: clang-19 does not accept ${dl_march_flags[*]}" >&2; exit 2; }
  dl_march_fflags=("${dl_march_flags[@]}" -Xflang -target-feature -Xflang "$dl_march_features")
fi

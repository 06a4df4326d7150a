#!/usr/bin/env bash
# Installs the Debian 12 packages prism needs. Idempotent: skips what is present.
# Usage: scripts/setup.sh [core|dl|src|libtorch-full|all]   (default: core)
# src: only what `apt-get source` needs (dpkg-dev, the deb-src line), e.g. for
# examples/dl/blas/build-blas.sh.
# libtorch-full: what configuring/building pytorch 1.13.1 from source with
# Debian's libraries needs (docs/LIBTORCH.md, examples/dl/libtorch/check-full-build.sh);
# not part of all.
set -euo pipefail

group="${1:-core}"
core=(clang-19 llvm-19-dev llvm-19-tools libclang-rt-19-dev libhwy-dev libgtest-dev
      libgmock-dev libbenchmark-dev libmpfr-dev libgmp-dev libboost-math-dev
      libomp-19-dev libeigen3-dev libeigen3-doc cmake make python3 autoconf automake
      file chromium flang-19)
dl=(python3-torch libtorch-dev dataset-fashion-mnist protobuf-compiler
    dpkg-dev libprotobuf-dev zlib1g-dev ninja-build)
libtorch_full=(ninja-build python3-yaml python3-typing-extensions libfmt-dev libsleef-dev
               libcpuinfo-dev libpthreadpool-dev libfp16-dev libfxdiv-dev libpsimd-dev
               libonnx-dev libprotobuf-dev protobuf-compiler libflatbuffers-dev
               libeigen3-dev libblas-dev liblapack-dev dpkg-dev)

case "$group" in
  core) want=("${core[@]}") ;;
  dl) want=("${dl[@]}") ;;
  src) want=(dpkg-dev) ;;
  libtorch-full) want=("${libtorch_full[@]}") ;;
  all) want=("${core[@]}" "${dl[@]}") ;;
  *) echo "setup.sh: unknown group '$group' (accepted: core, dl, src, libtorch-full, all)" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$p")
done

if [[ "$group" != core ]]; then
  # apt refuses two entries for the same source with different Signed-By: reuse
  # the keyring of the system's deb822 entry when it names one.
  keyring=$(sed -n 's/^Signed-By: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
  srcline="deb-src http://deb.debian.org/debian bookworm main"
  [[ -n "$keyring" ]] && srcline="deb-src [signed-by=$keyring] http://deb.debian.org/debian bookworm main"
  if ! grep -qsxF "$srcline" /etc/apt/sources.list.d/prism-src.list; then
    echo "$srcline" > /etc/apt/sources.list.d/prism-src.list
    missing+=(.update)
  fi
fi

if ((${#missing[@]})); then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  pkgs=("${missing[@]/.update/}")
  pkgs=($(printf '%s\n' "${pkgs[@]}" | grep -v '^$' || true))
  ((${#pkgs[@]})) && $SUDO apt-get install -y -qq --no-install-recommends "${pkgs[@]}"
fi
echo "setup.sh: $group packages present"

#!/usr/bin/env bash
# Installs the Debian 12 packages prism needs. Idempotent: skips what is present.
# Usage: scripts/setup.sh [core|dl|all]   (default: core)
set -euo pipefail

group="${1:-core}"
core=(clang-19 llvm-19-dev llvm-19-tools libclang-rt-19-dev libhwy-dev libgtest-dev
      libgmock-dev libbenchmark-dev libmpfr-dev libgmp-dev libboost-math-dev
      libomp-19-dev libeigen3-dev libeigen3-doc cmake make python3 autoconf automake
      file chromium)
dl=(flang-19 python3-torch libtorch-dev dataset-fashion-mnist protobuf-compiler
    dpkg-dev)

case "$group" in
  core) want=("${core[@]}") ;;
  dl) want=("${dl[@]}") ;;
  all) want=("${core[@]}" "${dl[@]}") ;;
  *) echo "setup.sh: unknown group '$group' (accepted: core, dl, all)" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$p")
done

if [[ "$group" != core ]] &&
   ! grep -rqs '^deb-src .*bookworm main' /etc/apt/sources.list.d/prism-src.list; then
  echo "deb-src http://deb.debian.org/debian bookworm main" \
    > /etc/apt/sources.list.d/prism-src.list
  missing+=(.update)
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

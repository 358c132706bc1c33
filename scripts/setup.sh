#!/usr/bin/env bash
# Installs the C libraries Pretext uses (libcsv, OpenBLAS, oneDNN, XGBoost, zlib) when their
# headers are missing, and Open MPI's mpirun (openmpi-bin, which brings libmpi.so.40) for
# data-parallel training — loaded only under mpirun, so Pretext builds without it, but
# the test suite runs 2-rank jobs. As root it runs apt-get; otherwise it prints the command.
set -euo pipefail

declare -A header_for=(
  [libcsv-dev]=/usr/include/csv.h
  [libdnnl-dev]=/usr/include/oneapi/dnnl/dnnl.h
  [libopenblas-dev]=/usr/include/x86_64-linux-gnu/cblas.h
  [libxgboost-dev]=/usr/include/xgboost/c_api.h
  [zlib1g-dev]=/usr/include/zlib.h
  [openmpi-bin]=/usr/bin/mpirun
)
missing=()
for package in "${!header_for[@]}"; do
  header=${header_for[$package]}
  # OpenBLAS's cblas.h lives under the multiarch folder; accept any architecture.
  if [[ $package == libopenblas-dev ]]; then
    compgen -G "/usr/include/*/cblas.h" >/dev/null || compgen -G "/usr/include/cblas.h" >/dev/null || missing+=("$package")
  elif [[ ! -f $header ]]; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq "${missing[@]}" >&2
else
  echo "setup: missing system packages: ${missing[*]}" >&2
  echo "setup: install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

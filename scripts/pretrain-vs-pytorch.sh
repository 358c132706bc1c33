#!/usr/bin/env bash
# `pretext pretrain` against its PyTorch twin, end to end, in alternating rounds
# (scripts/pretrain-vs-pytorch.py). Makes a venv with torch, pandas and numpy from PyPI
# (VENV, default /tmp/pretext-torch) and a release build, then runs; arguments pass on.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${VENV:-/tmp/pretext-torch}
[[ -x $venv/bin/python ]] || python3 -m venv "$venv"
"$venv/bin/python" -c "import torch, pandas, numpy" 2>/dev/null || "$venv/bin/pip" install -q torch pandas numpy
bash scripts/setup.sh
bash scripts/fresh-build.sh release --product pretext 2>&1 | tail -n 1 >&2
"$venv/bin/python" scripts/pretrain-vs-pytorch.py "$@"

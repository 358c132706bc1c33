#!/usr/bin/env bash
# The main job on a bundled dataset: installs what is missing, builds (release) and runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product pretext 2>&1 | tail -n 1 >&2
.build/release/pretext inspect datasets/credit_data.csv --target target

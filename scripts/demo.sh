#!/usr/bin/env bash
# The main job on a bundled dataset: installs what is missing, builds (release), shows
# how the CSV is read, then asks whether SCARF pretraining helps at 5% and 100% labels.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/fresh-build.sh release --product pretext 2>&1 | tail -n 1 >&2
.build/release/pretext inspect datasets/breast_cancer.csv --target target
echo
.build/release/pretext compare datasets/breast_cancer.csv --target target --repeats 5

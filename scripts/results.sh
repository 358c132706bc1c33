#!/usr/bin/env bash
# Regenerates the README's SCARF result tables (results/scarf-*.md): 5 seeds, 5% and
# 100% labels, MLP from scratch vs SCARF + linear probe vs SCARF + full fine-tune.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product pretext 2>&1 | tail -n 1 >&2
mkdir -p results
for dataset in breast_cancer credit_data; do
  .build/release/pretext compare "datasets/$dataset.csv" --target target --seeds 5 --labels 5%,100% \
    --methods mlp,scarf-linear-probe,scarf-full -o "results/scarf-$dataset.md"
done

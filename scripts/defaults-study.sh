#!/usr/bin/env bash
# Measures candidate SCARF defaults with pretext compare (3 seeds, 5% and 100% labels)
# on the bundled classification tables; writes results/defaults-study/*.md.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product pretext 2>&1 | tail -n 1 >&2
out=results/defaults-study
mkdir -p "$out"
run() {  # name, extra flags…
  local name=$1; shift
  for dataset in breast_cancer credit_data wine; do
    .build/release/pretext compare "datasets/$dataset.csv" --target target --seeds 3 --labels 5%,100% \
      --methods scarf-linear-probe,scarf-full --quiet "$@" -o "$out/$name-$dataset.md" > /dev/null
  done
  echo "done $name" >&2
}
run paper                                                   # τ = 1, patience 3, lr 1e-3
run temperature-0.5 --temperature 0.5
run temperature-0.1 --temperature 0.1
run patience-10 --pretrain-patience 10
run temperature-0.5-patience-10 --temperature 0.5 --pretrain-patience 10
run finetune-lr-3e-4 --fine-tune-learning-rate 3e-4

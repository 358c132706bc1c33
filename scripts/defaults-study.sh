#!/usr/bin/env bash
# Measures candidate SCARF defaults with pretext compare (3 seeds, 5% and 100% labels)
# on the bundled classification tables; writes results/defaults-study/*.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/fresh-build.sh release --product pretext 2>&1 | tail -n 1 >&2
out=results/defaults-study
mkdir -p "$out"
run() {  # name, extra flags…
  local name=$1; shift
  for dataset in breast_cancer credit_data wine; do
    .build/release/pretext compare "datasets/$dataset.csv" --target target --repeats 3 --labels 5%,100% \
      --methods scarf-linear-probe,scarf-full --quiet "$@" -o "$out/$name-$dataset.md" > /dev/null
  done
  echo "done $name" >&2
}
# Flags are explicit so the study does not depend on the current defaults.
run paper --temperature 1 --pretrain-patience 3                      # the paper's values
run temperature-0.5 --temperature 0.5 --pretrain-patience 3
run temperature-0.1 --temperature 0.1 --pretrain-patience 3
run patience-10 --temperature 1 --pretrain-patience 10
run temperature-0.5-patience-10 --temperature 0.5 --pretrain-patience 10   # Pretext's defaults
run finetune-lr-3e-4 --temperature 1 --pretrain-patience 3 --fine-tune-learning-rate 3e-4

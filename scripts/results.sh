#!/usr/bin/env bash
# Regenerates the README's two-table results: pretext compare with every default method
# (tuned XGBoost, linear, the same network from scratch, SCARF + linear probe, SCARF +
# full fine-tune), SCARF + self-training and auto, 5 seeds, 5%, 25% and 100% labels, on the
# two bundled tables — the benchmark suite's settings (scripts/suite.sh), so the reports
# go where the suite's do, results/suite/<table>/, and the two share their cells (cells
# are keyed on the data's content, the settings and the sources, not on the file's path).
# `python3 scripts/tabular-tables.py` prints the README's tables from the reports.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/fresh-build.sh release --product pretext 2>&1 | tail -n 1 >&2
mkdir -p results/suite
for dataset in breast_cancer credit_data; do
  .build/release/pretext compare "datasets/$dataset.csv" --target target --repeats 5 --labels 5%,25%,100% \
    --methods xgboost,linear,scratch,scarf-linear-probe,scarf-full,self-training,auto --quiet -o "results/suite/$dataset" > /dev/null
done
# Walkthrough 2 shows the credit-data chart of this run.
sed -n '/<svg/,/<\/svg>/p' results/suite/credit_data/report.html > notebooks-md/02-few-labels.svg

#!/usr/bin/env bash
# The development study of how `auto` serves its candidates (scripts/auto-rule-study.sh),
# at the smallest budgets where cross-validation runs: 2, 3 and 5 labeled rows per class
# on average (2K, 3K and 5K rows for K classes), where a candidate can learn nothing
# (XGBoost without a split predicts the class prior) and the suite's smallest tables
# sit at 5% labels. Same protocol: `compare --development --record-candidates --methods
# auto`, 3 seeds, each seed's test rows set aside unread. Reports and cells go to
# results/auto-rule-study-tiny/<table>/; replay with
#   python3 scripts/auto-rule-study.py results/auto-rule-study results/auto-rule-study-tiny \
#     --budgets 5%,25%,100%,4,6,9,10,12,15,18,20,30,38,57,95 --overall average-all,pseudo-bma-plus
# About an hour on 2 cores.
#
# Usage: bash scripts/auto-rule-study-tiny.sh   (STUDY_TABLES="wine:3 glass:6" limits the tables)
set -euo pipefail
cd "$(dirname "$0")/.."
data=${SUITE_DATA:-../shared/datasets}
tables=${STUDY_TABLES:-"wine:3 penguins:3 ad_data:2 house_votes_84:2 breast_cancer:2 two_class_dat:2 glass:6 soybean:19 digits:10 cells:2 credit_data:2 wa_churn:2"}
out=results/auto-rule-study-tiny
bash scripts/setup.sh
bash scripts/fresh-build.sh release --product pretext 2>&1 | tail -n 1 >&2
mkdir -p "$out"
for entry in $tables; do
  table=${entry%%:*}
  classes=${entry##*:}
  echo "auto-rule-study-tiny: $table, $((2 * classes)), $((3 * classes)) and $((5 * classes)) labeled rows ($(date -u +%H:%M:%S))" >&2
  OPENBLAS_NUM_THREADS=1 .build/release/pretext compare "$data/$table.csv" --target target --development --record-candidates \
    --repeats 3 --labels "$((2 * classes)),$((3 * classes)),$((5 * classes))" --methods auto --quiet -o "$out/$table" > /dev/null
done

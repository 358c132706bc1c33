#!/usr/bin/env bash
# Development study of the rule by which `auto` serves a model (issue 17). One
# `pretext compare --development --record-candidates --methods auto` per table keeps, in
# each cell, every candidate refit on the budget rows with its selection loss, its
# calibrated out-of-fold probabilities and its test probabilities; then
# scripts/auto-rule-study.py replays rules on them (the served choice, each candidate
# alone, one-standard-error rules, averages of the best k, of all). Each seed's test rows
# are set aside unread (--development), so nothing here touches the rows the suite's
# results are scored on. 3 seeds, 5% and 25% labels, the development suite's
# classification tables but shuttle and lending_club (the largest; hours each); 100% too
# on the eight smallest (STUDY_FULL_TABLES).
# Reports go to results/auto-rule-study/<table>/ (finished cells are kept: re-running
# resumes, also after a rebuild of the same commit).
#
# Usage: bash scripts/auto-rule-study.sh   (STUDY_TABLES="wine glass" limits the tables)
set -euo pipefail
cd "$(dirname "$0")/.."
data=${SUITE_DATA:-../shared/datasets}
tables=${STUDY_TABLES:-"wine penguins glass soybean ad_data two_class_dat house_votes_84 breast_cancer vowel cells digits credit_data wa_churn"}
full=" ${STUDY_FULL_TABLES:-wine penguins glass two_class_dat house_votes_84 soybean ad_data breast_cancer} "
out=results/auto-rule-study
bash scripts/setup.sh
bash scripts/fresh-build.sh release --product pretext 2>&1 | tail -n 1 >&2
mkdir -p "$out"
for table in $tables; do
  echo "auto-rule-study: $table ($(date -u +%H:%M:%S))" >&2
  labels=5%,25%
  if [[ $full == *" $table "* ]]; then labels=5%,25%,100%; fi
  OPENBLAS_NUM_THREADS=1 .build/release/pretext compare "$data/$table.csv" --target target --development --record-candidates \
    --repeats 3 --labels "$labels" --methods auto --quiet -o "$out/$table" > /dev/null
done
python3 scripts/auto-rule-study.py "$out" --budgets 5%,25%,100%

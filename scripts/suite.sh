#!/usr/bin/env bash
# The benchmark suite of issue 17: `pretext compare` on every classification table of the
# development suite (../shared/datasets, 15 tables), then the suite table
# (scripts/suite-table.py): per table the mean test accuracy of each method, wins / ties /
# losses against the same network from scratch and against tuned XGBoost, mean ranks and
# mean log loss.
#
# Usage: bash scripts/suite.sh [SEEDS] [BUDGETS] [METHODS]
#   defaults: 5 seeds, 5%,25%,100% labels, xgboost,linear,scratch,scarf-linear-probe,scarf-full,self-training,auto
# Reports go to results/suite/<table>/ (finished cells are kept there and committed:
# re-running resumes, also in another session or on another machine, as long as the build
# is of the same sources — scripts/fresh-build.sh stamps it — so pin a long run to one
# commit with a worktree). The full default run takes many hours on 2 cores;
# SUITE_TABLES="wine glass" limits the tables (two such runs side by side use both cores);
# SUITE_OUT puts a run at other code beside the one in results/suite (e.g. results/suite-af7c823).
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=${1:-5}
budgets=${2:-5%,25%,100%}
methods=${3:-xgboost,linear,scratch,scarf-linear-probe,scarf-full,self-training,auto}
data=${SUITE_DATA:-../shared/datasets}
tables=${SUITE_TABLES:-"breast_cancer wine credit_data penguins digits glass soybean vowel house_votes_84 shuttle cells lending_club wa_churn ad_data two_class_dat"}
if [[ ! -d $data ]]; then
  echo "suite: no development datasets at $data (set SUITE_DATA to the folder holding them)" >&2
  exit 1
fi
bash scripts/setup.sh
bash scripts/fresh-build.sh release --product pretext 2>&1 | tail -n 1 >&2
out=${SUITE_OUT:-results/suite}
mkdir -p "$out"
for table in $tables; do
  file="$data/$table.csv"
  [[ -f $file ]] || { echo "suite: missing $file" >&2; exit 1; }
  echo "suite: $table ($(date -u +%H:%M:%S))" >&2
  .build/release/pretext compare "$file" --target target --repeats "$seeds" --labels "$budgets" --methods "$methods" \
    --quiet -o "$out/$table" > /dev/null
done
python3 scripts/suite-table.py "$out"

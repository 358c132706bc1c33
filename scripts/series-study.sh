#!/usr/bin/env bash
# Compares settings of contrastive series pretraining on development data only: each
# bundled classification set's *training* file is split in half (stratified,
# scripts/dev_split.py), and `series compare` runs on those halves once per variant
# (3 seeds, 10% and 100% of the development training half; methods: contrastive + linear
# probe, frozen + ridge, full fine-tuning; 1-NN as the yardstick). The official test files
# are never read.
#
# Usage: bash scripts/series-study.sh STUDY 'NAME=FLAGS' ['NAME=FLAGS' ...]
#   STUDY   writes results/STUDY/<set>-<NAME>/report.{md,json} and prints one table
#   FLAGS   extra `series compare` options for that variant ('' for the defaults)
# Example: bash scripts/series-study.sh schedule-study 'batch-128=--pretrain-batch-size 128' 'batch-8=--pretrain-batch-size 8'
# SERIES_STUDY_SETS="coffee motions" runs some of the sets (default: italy coffee motions vowels);
# SERIES_STUDY_SPLIT=1 draws the development halves with another seed (default 0);
# SERIES_STUDY_METHODS overrides the methods (default 1nn,contrastive-linear-probe,contrastive-ridge,contrastive-full).
set -euo pipefail
cd "$(dirname "$0")/.."
study=${1:?usage: series-study.sh STUDY 'NAME=FLAGS' ...}
shift
[ $# -ge 1 ] || { echo "series-study.sh: name at least one variant as NAME=FLAGS" >&2; exit 2; }
sets=${SERIES_STUDY_SETS:-"italy coffee motions vowels"}
split=${SERIES_STUDY_SPLIT:-0}
methods=${SERIES_STUDY_METHODS:-1nn,contrastive-linear-probe,contrastive-ridge,contrastive-full}
bash scripts/fresh-build.sh release --product pretext 2>&1 | tail -n 1 >&2
out=results/$study
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
mkdir -p "$out"
python3 scripts/dev_split.py datasets/italy_power_demand_train.csv "$data/italy" --seed "$split"
python3 scripts/dev_split.py datasets/coffee_train.csv "$data/coffee" --seed "$split"
python3 scripts/dev_split.py datasets/basic_motions_train.csv "$data/motions" --series-id series_id --seed "$split"
python3 scripts/dev_split.py datasets/japanese_vowels_train.csv "$data/vowels" --series-id series_id --seed "$split"
names=()
for variant in "$@"; do
  name=${variant%%=*}
  read -r -a flags <<< "${variant#*=}"
  names+=("$name")
  for set in $sets; do
    layout=()
    [[ $set == motions || $set == vowels ]] && layout=(--series-id series_id --time t)
    echo "$study: $set, $name ($(date -u +%H:%M:%S))" >&2
    .build/release/pretext series compare "$data/${set}_train.csv" --test "$data/${set}_test.csv" --target target "${layout[@]}" \
      --labels 10%,100% --repeats 3 --methods "$methods" \
      "${flags[@]}" --quiet -o "$out/$set-$name" > /dev/null
  done
done
python3 - "$out" "$sets" "${names[@]}" <<'PY'
import json, sys
out, sets, names = sys.argv[1], sys.argv[2].split(), sys.argv[3:]
print("| set | budget | method | " + " | ".join(names) + " |")
print("|---|---|---|" + "---:|" * len(names))
for name in sets:
    reports = [json.load(open(f"{out}/{name}-{variant}/report.json")) for variant in names]
    for index, point in enumerate(reports[0]["points"]):
        for entry in point["methods"]:
            cells = []
            for report in reports:
                match = [m for m in report["points"][index]["methods"] if m["method"] == entry["method"]]
                cells.append(f"{match[0]['metrics']['accuracy']['mean']:.3f}" if match else "–")
            print(f"| {name} | {point['label']} | {entry['title']} | " + " | ".join(cells) + " |")
PY

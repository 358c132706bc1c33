#!/usr/bin/env bash
# Does TS2Vec's temporal term help contrastive series pretraining? Decided on development
# data only: each bundled classification set's *training* file is split in half
# (stratified, scripts/dev_split.py), and `series compare` runs on those halves with
# --temporal-weight 0 and 1 (3 seeds, 10% and 100% of the development training half;
# methods: contrastive + linear probe, frozen + ridge, full fine-tuning). The official
# test files are never read. Writes results/temporal-study/<set>-weight-<λ>/report.md and
# prints one table.
# Usage: bash scripts/temporal-study.sh [WEIGHTS]   (default "0 1")
set -euo pipefail
cd "$(dirname "$0")/.."
weights=${1:-"0 1"}
bash scripts/fresh-build.sh release --product pretext 2>&1 | tail -n 1 >&2
out=results/temporal-study
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
mkdir -p "$out"
python3 scripts/dev_split.py datasets/italy_power_demand_train.csv "$data/italy"
python3 scripts/dev_split.py datasets/coffee_train.csv "$data/coffee"
python3 scripts/dev_split.py datasets/basic_motions_train.csv "$data/motions" --series-id series_id
python3 scripts/dev_split.py datasets/japanese_vowels_train.csv "$data/vowels" --series-id series_id
for weight in $weights; do
  for set in italy coffee motions vowels; do
    layout=()
    [[ $set == motions || $set == vowels ]] && layout=(--series-id series_id --time t)
    echo "temporal study: $set, weight $weight ($(date -u +%H:%M:%S))" >&2
    .build/release/pretext series compare "$data/${set}_train.csv" --test "$data/${set}_test.csv" --target target "${layout[@]}" \
      --labels 10%,100% --repeats 3 --methods contrastive-linear-probe,contrastive-ridge,contrastive-full \
      --temporal-weight "$weight" --quiet -o "$out/$set-weight-$weight" > /dev/null
  done
done
python3 - "$out" $weights <<'PY'
import json, sys
out, weights = sys.argv[1], sys.argv[2:]
print("| set | budget | method | " + " | ".join(f"λ = {w}" for w in weights) + " |")
print("|---|---|---|" + "---:|" * len(weights))
for name in ["italy", "coffee", "motions", "vowels"]:
    reports = [json.load(open(f"{out}/{name}-weight-{w}/report.json")) for w in weights]
    for index, point in enumerate(reports[0]["points"]):
        for entry in point["methods"]:
            cells = []
            for report in reports:
                match = [m for m in report["points"][index]["methods"] if m["method"] == entry["method"]]
                cells.append(f"{match[0]['metrics']['accuracy']['mean']:.3f}" if match else "–")
            print(f"| {name} | {point['label']} | {entry['title']} | " + " | ".join(cells) + " |")
PY

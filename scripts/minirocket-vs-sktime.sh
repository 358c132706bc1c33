#!/usr/bin/env bash
# MiniRocket in Pretext against sktime's, on the same CSVs, same official splits, seeds
# 0..SEEDS-1, run alternately: `pretext series classify --method minirocket` + `pretext
# predict` versus scripts/minirocket_sktime.py (sktime MiniRocket / MiniRocketMultivariate
# / MiniRocketMultivariateVariable + the reference ridge). Prints one Markdown row per set:
# mean test accuracy (min–max) of each and the published figure.
#
# Usage: bash scripts/minirocket-vs-sktime.sh [SEEDS]   (default 5; makes /tmp/pretext-sktime)
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=${1:-5}
venv=${PRETEXT_SKTIME_VENV:-/tmp/pretext-sktime}
[ -x "$venv/bin/python" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q sktime numba pandas scikit-learn; }
bash scripts/fresh-build.sh release --product pretext > /dev/null
pretext=.build/release/pretext
data=${PRETEXT_SERIES_DATA:-../shared/datasets}
[ -f "$data/basic_motions_train.csv" ] || data=datasets
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

accuracy() {  # truth.csv predictions.csv key
  python3 - "$1" "$2" "$3" <<'PY'
import csv, sys
truth, predicted, key = sys.argv[1:]
rows = list(csv.DictReader(open(truth)))
if key == "row":
    labels = [r["target"] for r in rows]
    guesses = [r["prediction"] for r in csv.DictReader(open(predicted))]
    print(f"{sum(a == b for a, b in zip(labels, guesses)) / len(labels):.4f}")
else:
    labels = {r[key]: r["target"] for r in rows}
    guesses = {r[key]: r["prediction"] for r in csv.DictReader(open(predicted))}
    print(f"{sum(labels[k] == v for k, v in guesses.items()) / len(guesses):.4f}")
PY
}

echo "| set | Pretext MiniRocket | sktime MiniRocket | published |"
echo "|---|---:|---:|---:|"
# name, layout options, published accuracy (Dempster et al. 2021 for UCR; Ruiz et al. 2021 for UEA)
while read -r name layout published; do
  train="$data/${name}_train.csv"; test="$data/${name}_test.csv"
  [ -f "$train" ] || { echo "| $name | missing $train | | |"; continue; }
  options=(); key=row; sk=()
  if [ "$layout" = long ]; then options=(--series-id series_id --time t); key=series_id; sk=(--series-id series_id --time t); fi
  ours=(); theirs=()
  for seed in $(seq 0 $((seeds - 1))); do
    "$pretext" series classify "$train" --target target "${options[@]}" --method minirocket --seed "$seed" -o "$work/m.safetensors" > /dev/null 2>&1
    "$pretext" predict "$work/m.safetensors" "$test" -o "$work/p.csv" > /dev/null 2>&1
    ours+=("$(accuracy "$test" "$work/p.csv" "$key")")
    theirs+=("$("$venv/bin/python" scripts/minirocket_sktime.py "$train" "$test" "$seed" "${sk[@]}" 2> /dev/null | tail -n 1)")
  done
  python3 - "$name" "$published" "${ours[*]}" "${theirs[*]}" <<'PY'
import sys
name, published, ours, theirs = sys.argv[1], sys.argv[2], [float(x) for x in sys.argv[3].split()], [float(x) for x in sys.argv[4].split()]
cell = lambda xs: f"{sum(xs) / len(xs):.3f} ({min(xs):.3f}–{max(xs):.3f})"
print(f"| {name} | {cell(ours)} | {cell(theirs)} | {published} |")
PY
done <<'SETS'
italy_power_demand wide 0.96
coffee wide 1.00
basic_motions long 1.00
japanese_vowels long 0.99
SETS
echo
echo "$seeds seeds each, official train/test splits; $(date -u +%Y-%m-%d)."

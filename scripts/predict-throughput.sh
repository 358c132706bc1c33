#!/usr/bin/env bash
# predict throughput end to end (issue 19): a seeded synthetic numeric CSV of ROWS rows
# and 20 features with a binary target; a SCARF model (fit --method scarf, 5 pretraining
# epochs) and an XGBoost model (fit --method xgboost) trained on its first 20,000 rows;
# then `pretext predict` on every row, timed as a whole process (read, preprocess,
# predict, write the predictions CSV). Prints rows per minute for each.
# Usage: bash scripts/predict-throughput.sh [ROWS]   (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
bash scripts/setup.sh
bash scripts/fresh-build.sh release --product pretext 2>&1 | tail -n 1 >&2
pretext=.build/release/pretext
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$rows" "$work" <<'PY'
import random, sys
rows, folder = int(sys.argv[1]), sys.argv[2]
generator = random.Random(0)
loadings = [[generator.gauss(0, 1) for _ in range(4)] for _ in range(20)]
with open(f"{folder}/all.csv", "w") as all_rows, open(f"{folder}/train.csv", "w") as train:
    header = ",".join(f"x{j}" for j in range(20)) + ",y\n"
    all_rows.write(header); train.write(header)
    for row in range(rows):
        z = [generator.gauss(0, 1) for _ in range(4)]
        values = [sum(l * f for l, f in zip(loading, z)) + 0.5 * generator.gauss(0, 1) for loading in loadings]
        line = ",".join(f"{v:.5g}" for v in values) + ("," + ("1" if z[0] + 0.5 * z[1] > 0 else "0")) + "\n"
        all_rows.write(line)
        if row < 20000: train.write(line)
PY
$pretext fit "$work/train.csv" --target y --method scarf --pretrain-epochs 5 --quiet -o "$work/scarf.safetensors" > /dev/null
$pretext fit "$work/train.csv" --target y --method xgboost --quiet -o "$work/xgboost.safetensors" > /dev/null
for model in scarf xgboost; do
  start=$(date +%s.%N)
  $pretext predict "$work/$model.safetensors" "$work/all.csv" -o "$work/$model-predictions.csv" 2> /dev/null
  end=$(date +%s.%N)
  lines=$(($(wc -l < "$work/$model-predictions.csv") - 1))
  python3 -c "import sys; s=$end-$start; print(f'predict with the {sys.argv[1]} model: {$lines:,} rows in {s:.2f} s = {$lines/s*60:,.0f} rows/minute')" "$model"
done

#!/usr/bin/env bash
# Development study of how `auto` ranks its candidates (issue 17): the current rule (each
# candidate's own validation-curve minimum) against the log loss of its calibrated
# out-of-fold probabilities (`auto-calibrated`, AutoConfig.ChoiceLoss.calibratedOutOfFold),
# side by side in one `pretext compare --development` per table — each seed's test rows
# set aside unread, so nothing here touches the rows the suite's results are scored on.
# 3 seeds, 5% and 25% labels, every classification table of the development suite.
# Reports go to results/auto-choice-study/<table>/ (finished cells are kept: re-running
# resumes, also after a rebuild of the same commit); then a summary table.
#
# Usage: bash scripts/auto-choice-study.sh   (STUDY_TABLES="wine glass" limits the tables)
set -euo pipefail
cd "$(dirname "$0")/.."
data=${SUITE_DATA:-../shared/datasets}
tables=${STUDY_TABLES:-"breast_cancer wine credit_data penguins digits glass soybean vowel house_votes_84 shuttle cells lending_club wa_churn ad_data two_class_dat"}
out=results/auto-choice-study
bash scripts/setup.sh
bash scripts/fresh-build.sh release --product pretext 2>&1 | tail -n 1 >&2
mkdir -p "$out"
for table in $tables; do
  echo "auto-choice-study: $table ($(date -u +%H:%M:%S))" >&2
  .build/release/pretext compare "$data/$table.csv" --target target --development --repeats 3 --labels 5%,25% \
    --methods auto,auto-calibrated --quiet -o "$out/$table" > /dev/null
done
python3 - "$out" <<'PY'
import glob, json, statistics, sys
rows = []
for path in sorted(glob.glob(f"{sys.argv[1]}/*/report.json")):
    report = json.load(open(path))
    for budget in report["budgets"]:
        m = {r["method"]: r for r in budget["methods"]}
        if "auto" not in m or "auto-calibrated" not in m: continue
        a, c = m["auto"]["metrics"], m["auto-calibrated"]["metrics"]
        rows.append((path.split("/")[-2], budget["budget"], a["accuracy"]["mean"], c["accuracy"]["mean"], a["log loss"]["mean"], c["log loss"]["mean"]))
print("| table | budget | auto accuracy | auto-calibrated | auto log loss | auto-calibrated |")
print("|---|---|---:|---:|---:|---:|")
for r in rows: print(f"| {r[0]} | {r[1]} | {r[2]:.3f} | {r[3]:.3f} | {r[4]:.3f} | {r[5]:.3f} |")
for budget in sorted({r[1] for r in rows}):
    sel = [r for r in rows if r[1] == budget]
    better = sum(r[5] < r[4] for r in sel); worse = sum(r[5] > r[4] for r in sel)
    print(f"\n{budget}: {len(sel)} tables; calibrated ranking lowers log loss on {better}, raises it on {worse}; "
          f"mean accuracy {statistics.mean(r[2] for r in sel):.3f} → {statistics.mean(r[3] for r in sel):.3f}, "
          f"mean log loss {statistics.mean(r[4] for r in sel):.3f} → {statistics.mean(r[5] for r in sel):.3f}")
PY

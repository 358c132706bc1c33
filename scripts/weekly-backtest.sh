#!/usr/bin/env bash
# A 52-step weekly forecasting backtest, timed: the bundled Chicago ridership series
# (datasets/chicago_ridership.csv, daily) summed into complete Monday-to-Sunday weeks
# (814 weeks, 2001–2016), then `pretext series compare` with horizon 52 and 3 origins on
# the statistical baselines and XGBoost on lags (one booster per future step, tuned once
# per fold and shared across steps). Prints the report's table and the wall time and
# peak memory of the whole command (release build).
#
# Usage: bash scripts/weekly-backtest.sh [METHODS]
#        (default naive,seasonal-naive,ar,theta,xgboost-lags)
set -euo pipefail
cd "$(dirname "$0")/.."
methods=${1:-naive,seasonal-naive,ar,theta,xgboost-lags}
bash scripts/fresh-build.sh release --product pretext > /dev/null 2>&1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work/chicago_weekly.csv" <<'PY'
import csv, datetime, sys
weeks = {}
for row in csv.DictReader(open("datasets/chicago_ridership.csv")):
    day = datetime.date.fromisoformat(row["date"])
    weeks.setdefault(day - datetime.timedelta(days=day.weekday()), []).append(float(row["ridership"]))
with open(sys.argv[1], "w") as out:
    out.write("week,ridership\n")
    for monday in sorted(weeks):
        if len(weeks[monday]) == 7:
            out.write(f"{monday.isoformat()},{sum(weeks[monday]):.3f}\n")
PY
echo "# $(($(wc -l < "$work/chicago_weekly.csv") - 1)) complete weeks; horizon 52, 3 origins, methods $methods"
/usr/bin/time -f "wall %e s, peak memory %M KB" .build/release/pretext series compare "$work/chicago_weekly.csv" --time week \
  --value ridership --horizon 52 --folds 3 --methods "$methods" --repeats 1 --quiet -o "$work/report" 2>&1 \
  | sed -n '/^| method/,/^$/p;/^wall/p'

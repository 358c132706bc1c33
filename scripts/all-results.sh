#!/usr/bin/env bash
# Regenerates every result the README shows, in one command:
# the tabular comparisons (results.sh), the objectives study (objectives.sh) and the
# time-series comparisons (series-results.sh). Each script prints or writes its tables;
# the reports land in results/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/results.sh
bash scripts/objectives.sh
bash scripts/series-results.sh

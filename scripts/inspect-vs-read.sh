#!/usr/bin/env bash
# `pretext inspect`'s whole-process time against the read inside it (issue 19: within
# 1.3×), on the files `pretext bench ingest` generates (numeric 1M × 20, mixed 1M × 7).
# Each round runs inspect once per file; prints per file the median whole-process
# seconds, the median read seconds (inspect's own "read in" line) and the median ratio.
# Usage: bash scripts/inspect-vs-read.sh [ROUNDS] [ROWS]   (defaults 7 and 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-7}
rows=${2:-1000000}
bash scripts/fresh-build.sh release --product pretext > /dev/null 2>&1
directory=${PRETEXT_BENCH_DIRECTORY:-/tmp/pretext-bench}
numeric="$directory/numeric-${rows}x20-s42.csv"
mixed="$directory/mixed-${rows}-s42.csv"
if [[ ! -f $numeric || ! -f $mixed ]]; then   # generate them (and read them once)
  .build/release/pretext bench ingest --rows "$rows" --mixed-rows "$rows" --repeats 1 --directory "$directory" > /dev/null 2>&1
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for round in $(seq 1 "$rounds"); do
  for file in "$numeric" "$mixed"; do
    start=$(date +%s.%N)
    read_seconds=$(.build/release/pretext inspect "$file" | grep -oE 'read in [0-9.]+ s' | grep -oE '[0-9.]+')
    end=$(date +%s.%N)
    echo "$(basename "$file") $(echo "$end - $start" | bc) $read_seconds" >> "$log"
  done
done
python3 - "$log" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
for name in dict.fromkeys(row[0] for row in rows):
    mine = [(float(w), float(r)) for n, w, r in rows if n == name]
    ratios = sorted(w / r for w, r in mine)
    print(f"{name}: inspect {statistics.median(w for w, _ in mine):.3f} s, read {statistics.median(r for _, r in mine):.3f} s, "
          f"ratio median {statistics.median(ratios):.2f} (range {ratios[0]:.2f}–{ratios[-1]:.2f}, {len(mine)} rounds)")
PY

#!/usr/bin/env bash
# CSV reading side by side with polars, pyarrow and pandas on the files `pretext bench
# ingest` generates (numeric: 1M × 20 floats; mixed: 1M × 7 with ints, decimals with
# missing values, quoted strings, booleans and categories), alternating in one run so a
# noisy machine slows every reader alike: each round reads each file once with Pretext
# (in process, `bench ingest --repeats 1`) and once with each Python reader. Prints the
# median MB/s of each and Pretext's ratio to polars and to pyarrow (2 threads each).
#
# Usage: bash scripts/ingest-vs-polars.sh [ROUNDS] [ROWS]   (defaults 5 and 1000000;
#        makes a venv in /tmp/pretext-polars)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
rows=${2:-1000000}
venv=${PRETEXT_POLARS_VENV:-/tmp/pretext-polars}
[ -x "$venv/bin/python" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q polars pyarrow pandas; }
bash scripts/fresh-build.sh release --product pretext > /dev/null 2>&1
directory=${PRETEXT_BENCH_DIRECTORY:-/tmp/pretext-bench}
threads=$(nproc)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
numeric="$directory/numeric-${rows}x20-s42.csv"
mixed="$directory/mixed-${rows}-s42.csv"
cat > "$work/peers.py" <<'PY'
import os, sys, time
threads = int(sys.argv[1])
os.environ["POLARS_MAX_THREADS"] = str(threads)   # read when polars is imported
import pandas, polars, pyarrow, pyarrow.csv
pyarrow.set_cpu_count(threads)
for path in sys.argv[2:]:
    size = os.path.getsize(path) / 1e6
    for name, read in [("polars", lambda p: polars.read_csv(p)),
                       ("pyarrow", lambda p: pyarrow.csv.read_csv(p, read_options=pyarrow.csv.ReadOptions(use_threads=True))),
                       ("pandas", lambda p: pandas.read_csv(p))]:
        start = time.perf_counter()
        read(path)
        print(f"{os.path.basename(path)} {name} {size / (time.perf_counter() - start):.1f}")
PY
for round in $(seq 1 "$rounds"); do
  .build/release/pretext bench ingest --rows "$rows" --mixed-rows "$rows" --repeats 1 --directory "$directory" --threads "$threads" 2>&1 \
    | sed -nE 's/^([^ ]+\.csv) read 1: .* ([0-9.]+) MB\/s$/\1 pretext \2/p' >> "$work/speeds"
  "$venv/bin/python" "$work/peers.py" "$threads" "$numeric" "$mixed" >> "$work/speeds"
done
python3 - "$work/speeds" "$rounds" "$threads" <<'PY'
import statistics, sys, collections
speeds = collections.defaultdict(list)
for line in open(sys.argv[1]):
    file, reader, value = line.split()
    speeds[(file, reader)].append(float(value))
print("| file | Pretext MB/s | polars | pyarrow | pandas | Pretext ÷ polars | Pretext ÷ pyarrow |")
print("|---|---:|---:|---:|---:|---:|---:|")
for file in sorted({file for file, _ in speeds}, reverse=True):
    m = {reader: statistics.median(speeds[(file, reader)]) for reader in ["pretext", "polars", "pyarrow", "pandas"] if speeds[(file, reader)]}
    print(f"| {file} | {m['pretext']:.0f} | {m['polars']:.0f} | {m['pyarrow']:.0f} | {m['pandas']:.0f} | "
          f"{m['pretext'] / m['polars']:.2f}× | {m['pretext'] / m['pyarrow']:.2f}× |")
print(f"\nmedians of {sys.argv[2]} alternating rounds, {sys.argv[3]} threads for every reader.")
PY

#!/usr/bin/env bash
# Builds the two libFuzzer targets (address sanitizer) and runs each for a fixed number
# of executions from a seed corpus made of the test fixtures. Prints one summary line
# per target; crashing inputs are saved under fuzz/crashes/<target>/.
# Usage: bash fuzz/run.sh [RUNS]   (default 200000 executions per target)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-200000}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
data_sources=$(find Sources/PretextData -name '*.swift' | sort)
flags=(-sanitize=fuzzer,address -parse-as-library -O -module-name PretextData -I Sources/CCSV -I Sources/CZlib -lcsv -lz)

swiftc "${flags[@]}" $data_sources fuzz/FuzzCSV.swift -o "$out/fuzz-csv" 2> "$out/build.log" || { cat "$out/build.log"; exit 1; }
swiftc "${flags[@]}" $data_sources Sources/PretextNN/Serialization/SafeTensors.swift Sources/PretextNN/Serialization/ModelFileError.swift \
  fuzz/FuzzModelFile.swift -o "$out/fuzz-model" 2> "$out/build.log" || { cat "$out/build.log"; exit 1; }

mkdir -p "$out/seeds-csv" "$out/seeds-model" fuzz/crashes/csv fuzz/crashes/model
cp Tests/PretextCLITests/Fixtures/bad/*.csv* "$out/seeds-csv/" 2>/dev/null || true
for f in datasets/wine.csv datasets/penguins.csv datasets/airline.csv; do head -c 4096 "$f" > "$out/seeds-csv/$(basename "$f")"; done
cp Tests/PretextNNTests/Fixtures/*.safetensors "$out/seeds-model/"

for target in csv model; do
  binary="$out/fuzz-$target"
  log="$out/$target.log"
  status=0
  ASAN_OPTIONS=detect_leaks=0 "$binary" -runs="$runs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="fuzz/crashes/$target/" "$out/seeds-$target" > "$log" 2>&1 || status=$?
  executed=$(grep -oE 'Done [0-9]+ runs' "$log" | grep -oE '[0-9]+' || echo 0)
  crashes=$(find "fuzz/crashes/$target" -type f | wc -l)
  echo "fuzz $target: $executed executions, exit $status, $crashes crashing input(s) saved"
done

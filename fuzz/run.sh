#!/usr/bin/env bash
# Builds the five libFuzzer targets (address sanitizer) and runs each for a fixed number
# of executions from the committed seed corpus (fuzz/corpus/<target>/). Prints one
# summary line per target: executions, seconds, coverage (libFuzzer's edge count "cov"
# and feature count "ft") and crashing inputs saved under fuzz/crashes/<target>/.
#
# Usage: bash fuzz/run.sh [RUNS] [TARGETS...]
#   RUNS     executions per target (default 200000; the recorded campaign used 10000000)
#   TARGETS  any of csv model series preprocessing cache (default: all five)
# New inputs that add coverage stay in a scratch copy; `FUZZ_MERGE=1` merges them back
# into fuzz/corpus/<target>/ (minimised with -merge=1) so a campaign can grow the seeds.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-200000}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(csv model series preprocessing cache)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
data_sources=$(find Sources/PretextData -name '*.swift' | sort)
flags=(-sanitize=fuzzer,address -parse-as-library -O -module-name PretextData -I Sources/CCSV -I Sources/CZlib -lcsv -lz)

build() {  # target, extra sources...
  local target=$1; shift
  swiftc "${flags[@]}" $data_sources "$@" -o "$out/fuzz-$target" > "$out/build-$target.log" 2>&1 \
    || { grep -v "Cannot export" "$out/build-$target.log"; exit 1; }
}

for target in "${targets[@]}"; do
  case $target in
    csv) build csv fuzz/FuzzCSV.swift ;;
    model) build model Sources/PretextNN/Serialization/SafeTensors.swift Sources/PretextNN/Serialization/ModelFileError.swift fuzz/FuzzModelFile.swift ;;
    series) build series fuzz/FuzzSeries.swift ;;
    preprocessing) build preprocessing fuzz/FuzzPreprocessing.swift ;;
    cache) build cache fuzz/FuzzCache.swift ;;
    *) echo "unknown fuzz target: $target (csv, model, series, preprocessing, cache)" >&2; exit 2 ;;
  esac
  mkdir -p "fuzz/crashes/$target" "$out/corpus-$target"
  cp fuzz/corpus/$target/* "$out/corpus-$target/"
  log="$out/$target.log"
  status=0
  start=$(date +%s)
  # SWIFT_BACKTRACE=enable=no: a Swift trap prints its message and stops; the Swift backtracer
  # itself trips ASan (stack-buffer-underflow in memserver_read) and hides the message.
  SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 "$out/fuzz-$target" -runs="$runs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="fuzz/crashes/$target/" "$out/corpus-$target" > "$log" 2>&1 || status=$?
  seconds=$(( $(date +%s) - start ))
  executed=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
  coverage=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -n 1 | grep -oE 'cov: [0-9]+ ft: [0-9]+' || echo "cov: ? ft: ?")
  corpus=$(ls "$out/corpus-$target" | wc -l)
  crashes=$(find "fuzz/crashes/$target" -type f | wc -l)
  echo "fuzz $target: $executed executions in ${seconds} s, exit $status, $coverage, corpus $corpus inputs, $crashes crashing input(s) saved"
  if [ $status -ne 0 ]; then grep -E 'ERROR|Fatal error|SUMMARY' "$log" | head -n 5 | sed 's/^/    /' >&2; fi
  if [ "${FUZZ_MERGE:-0}" = 1 ]; then
    ASAN_OPTIONS=detect_leaks=0 "$out/fuzz-$target" -merge=1 -max_len=65536 "fuzz/corpus/$target" "$out/corpus-$target" > /dev/null 2>&1 || true
  fi
done

#!/usr/bin/env bash
# Measures libcsv's own parsing speed (no number conversion) on FILE, 1 and 2 threads.
set -euo pipefail
file=${1:?usage: benchmarks/libcsv-ceiling.sh FILE.csv}
out=$(mktemp -d)
gcc -O2 "$(dirname "$0")/libcsv-ceiling.c" -o "$out/libcsv-ceiling" -lcsv -lpthread
"$out/libcsv-ceiling" "$file"
rm -rf "$out"

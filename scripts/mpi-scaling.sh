#!/usr/bin/env bash
# Data-parallel pretraining over Open MPI on this machine: strong scaling (one table of
# ROWS rows, the same global batch, on 1, 2 and 4 ranks) and weak scaling (ROWS/2 rows
# per rank), rank counts alternating within each round so a noisy machine slows each
# alike. Prints per run the wall time of the whole command, training rows/s (Pretext's
# progress line) and, from rank 0's report, the gradient bytes summed per step and the
# time per step spent in collectives — the numbers BENCHMARKS.md projects to N machines
# from.
#
# On a 2-core machine 2 ranks get one compute lane each (1 rank gets both), and 4 ranks
# oversubscribe the cores: the 4-rank rows measure overhead, not speed-up. Every run is
# started with `--bind-to none`: mpirun otherwise binds each rank to one core, and a
# single rank would run its two lanes on one core (an unfair, 35% slower baseline).
#
# Usage: bash scripts/mpi-scaling.sh [ROUNDS] [ROWS]   (defaults 2 and 100000; needs mpirun:
#        scripts/setup.sh installs openmpi-bin)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2}
rows=${2:-100000}
command -v mpirun > /dev/null || { echo "mpirun not found: bash scripts/setup.sh installs openmpi-bin" >&2; exit 1; }
bash scripts/fresh-build.sh release --product pretext > /dev/null 2>&1
binary=$PWD/.build/release/pretext
directory=${PRETEXT_BENCH_DIRECTORY:-/tmp/pretext-bench}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The generated numeric tables (20 float columns) of `pretext bench ingest`.
half=$((rows / 2))
for count in $half $rows $((2 * rows)); do
  "$binary" bench ingest --rows "$count" --mixed-rows 10 --repeats 1 --directory "$directory" > /dev/null 2>&1
done
table() { echo "$directory/numeric-${1}x20-s42.csv"; }

run() {  # label ranks rows epochs
  local label=$1 ranks=$2 count=$3 epochs=$4 log="$work/run.log" start end
  start=$(date +%s.%N)
  mpirun --oversubscribe --allow-run-as-root --bind-to none -np "$ranks" "$binary" pretrain "$(table "$count")" -o "$work/encoder.safetensors" \
    --pretrain-epochs "$epochs" --pretrain-patience 1000 --pretrain-batch-size 512 --seed 1 > /dev/null 2> "$log"
  end=$(date +%s.%N)
  local speed comm
  speed=$(grep -oE '[0-9]+ rows/s' "$log" | tail -n 1 || echo "? rows/s")
  comm=$(grep -oE '[0-9.]+ MB of gradients summed per step, [0-9.]+ ms per step in collectives' "$log" || echo "no collectives (one rank)")
  printf '%-6s %d rank(s)  %7d rows  %5.1f s  %-13s  %s\n' "$label" "$ranks" "$count" "$(echo "$end - $start" | bc)" "$speed" "$comm"
}

echo "# mpi-scaling: $(mpirun --version | head -n 1), $(nproc) cores, $rounds round(s), global batch 512, 20 features, encoder 4x256"
for round in $(seq 1 "$rounds"); do
  echo "## round $round"
  for ranks in 1 2 4; do run strong "$ranks" "$rows" 2; done
  run weak 1 "$half" 2
  run weak 2 "$rows" 2
  run weak 4 $((2 * rows)) 2
done

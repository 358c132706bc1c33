#!/usr/bin/env bash
# Pretraining on a table larger than the memory the process may use: a generated numeric
# CSV (ROWS rows × 20 float columns, from `pretext bench ingest`) is cached, pretrained on
# and fine-tuned on (column f20 as a numeric target, every row labeled; full and linear
# probe) inside a cgroup (v1 memory controller) limited to LIMIT_MB, and then — as the control
# that shows the limit is real — pretrained from the CSV itself under the same limit.
# Prints each run's exit status, wall time, the process's own peak resident memory
# (VmHWM, as Pretext reports it) and the cgroup's peak charge (memory.max_usage_in_bytes:
# anonymous memory plus the page cache it touched, which the kernel reclaims under the
# limit), against the table's size as 32-bit floats.
#
# Usage: bash scripts/out-of-core.sh [ROWS] [LIMIT_MB] [EPOCHS]   (defaults 4000000, 200, 1)
# Needs root and a writable /sys/fs/cgroup/memory (cgroup v1), as on this machine.
# PRETEXT_BINARY=path uses that release build instead of building one here.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-4000000}
limit_mb=${2:-200}
epochs=${3:-1}
controller=/sys/fs/cgroup/memory$(awk -F: '$2 == "memory" { print $3 }' /proc/self/cgroup)
[ -w "$controller" ] || { echo "out-of-core: $controller is not writable (needs root and cgroup v1's memory controller)" >&2; exit 1; }
if [ -n "${PRETEXT_BINARY:-}" ]; then
  binary=$PRETEXT_BINARY   # a release build made elsewhere
else
  bash scripts/fresh-build.sh release --product pretext > /dev/null 2>&1
  binary=$PWD/.build/release/pretext
fi
directory=${PRETEXT_BENCH_DIRECTORY:-/tmp/pretext-bench}
"$binary" bench ingest --rows "$rows" --mixed-rows 10 --repeats 1 --directory "$directory" > /dev/null 2>&1
csv="$directory/numeric-${rows}x20-s42.csv"
work=$(mktemp -d)
group="$controller/pretext-out-of-core-$$"
trap 'rmdir "$group" 2> /dev/null || true; rm -rf "$work"' EXIT
mkdir "$group"
echo $((limit_mb * 1024 * 1024)) > "$group/memory.limit_in_bytes"
table_mb=$((rows * 20 * 4 / 1000000))
echo "table: $rows rows × 20 columns = $table_mb MB as float32 (CSV $(($(stat -c %s "$csv") / 1000000)) MB); memory limit $limit_mb MiB"

limited() {  # label, command...: runs the command inside the cgroup and reports
  local label=$1; shift
  echo 0 > "$group/memory.max_usage_in_bytes"
  local start status
  start=$(date +%s.%N)
  status=0
  sh -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$group" /usr/bin/time -f "%M" -o "$work/peak" "$@" > "$work/out" 2> "$work/err" || status=$?
  local seconds peak charged
  seconds=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
  peak=$(( $(tail -n 1 "$work/peak" 2> /dev/null | grep -E '^[0-9]+$' || echo 0) / 1024 ))
  charged=$(( $(cat "$group/memory.max_usage_in_bytes") / 1024 / 1024 ))
  printf '%-34s exit %3d  %7.1f s  peak resident %5d MB  cgroup peak %5d MiB\n' "$label" "$status" "$seconds" "$peak" "$charged"
  if [ "$status" -ne 0 ]; then tail -n 2 "$work/err" | sed 's/^/    /'; fi
}

limited "pretext cache (streamed)" "$binary" cache "$csv" -o "$work/table.pretext" --quiet
limited "pretext pretrain cache (streamed)" "$binary" pretrain "$work/table.pretext" --target f20 --pretrain-epochs "$epochs" --window-mb "$((limit_mb / 6))" --quiet -o "$work/encoder.safetensors"
for strategy in full linear-probe; do
  limited "pretext finetune cache, $strategy" "$binary" finetune "$work/table.pretext" --target f20 --encoder "$work/encoder.safetensors" \
    --strategy "$strategy" --fine-tune-epochs "$epochs" --window-mb "$((limit_mb / 6))" --quiet -o "$work/model-$strategy.safetensors"
done
limited "pretext pretrain CSV (in memory)" "$binary" pretrain "$csv" --pretrain-epochs "$epochs" --quiet -o "$work/encoder-csv.safetensors"

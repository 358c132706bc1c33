#!/usr/bin/env bash
# A long fuzzing campaign in chunks: `fuzz/run.sh RUNS TARGET` CHUNKS times, each chunk
# starting from the corpus the previous ones grew (FUZZ_MERGE=1 merges every chunk's new
# coverage into fuzz/corpus/TARGET, minimised). A chunk that is interrupted costs only
# itself; the corpus and the log keep what finished. The log records the git tree of the
# fuzzed code (Sources/PretextData and fuzz/) so chunks are only added up on one tree,
# and the script prints the executions of the finished chunks in all.
#
# Usage: bash fuzz/campaign.sh TARGET CHUNKS [RUNS] [LOG]
#   TARGET  csv, model, series or preprocessing
#   CHUNKS  chunks to run (10 × the default 1,000,000 = the recorded 10M campaigns)
#   LOG     appended to (default fuzz/campaign-TARGET.log, not committed)
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: fuzz/campaign.sh TARGET CHUNKS [RUNS] [LOG]}
chunks=${2:?usage: fuzz/campaign.sh TARGET CHUNKS [RUNS] [LOG]}
runs=${3:-1000000}
log=${4:-fuzz/campaign-$target.log}
tree=$(git rev-parse HEAD:Sources/PretextData)
[ -z "$(git status --porcelain -- Sources/PretextData fuzz/*.swift fuzz/run.sh)" ] \
  || { echo "fuzz/campaign.sh: Sources/PretextData or the fuzz targets have uncommitted changes; commit first" >&2; exit 1; }
echo "start $(date -u +%FT%TZ) data tree $tree" >> "$log"
for chunk in $(seq 1 "$chunks"); do
  line=$(FUZZ_MERGE=1 bash fuzz/run.sh "$runs" "$target")
  echo "$line" >> "$log"
  echo "chunk $chunk done $(date -u +%FT%TZ) data tree $tree" >> "$log"
  echo "$line"
  case $line in *"exit 0"*) ;; *) echo "fuzz/campaign.sh: chunk $chunk did not end cleanly; stopping" >&2; exit 1 ;; esac
done
# Only chunks fuzzed on this tree count: each result line is followed by its "chunk N done
# … data tree T" line, and a chunk counts when T is the current tree.
total=$(awk -v tree="$tree" -v target="$target" '
  $1 == "fuzz" && $2 == target":" { pending = $3; next }
  $1 == "chunk" && $3 == "done" { if ($NF == tree && pending != "") total += pending; pending = "" }
  END { print total + 0 }' "$log")
echo "campaign $target: $total executions in the finished chunks on data tree $tree logged in $log"

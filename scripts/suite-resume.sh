#!/usr/bin/env bash
# Resumes a suite run pinned to an earlier commit (e.g. results/suite-001974d, whose
# README says which commit): a worktree of that commit, its stamped release build, the
# cells committed here copied in, `pretext compare` on the given tables in two streams
# (one per core), and the worktree's cells copied back into this checkout every 10
# minutes and at the end, so a session can commit them as they come (`git add OUT`).
#
# Usage: bash scripts/suite-resume.sh COMMIT OUT "TABLES OF STREAM 1" ["TABLES OF STREAM 2"]
#   e.g. bash scripts/suite-resume.sh 001974d results/suite-001974d "ad_data glass vowel" "digits soybean shuttle"
# SUITE_WORKTREE (default /tmp/suite-COMMIT) is where the worktree goes; SUITE_DATA the
# development datasets (default ../shared/datasets). Logs: OUT-resume-*.log in the worktree.
set -euo pipefail
cd "$(dirname "$0")/.."
commit=${1:?usage: suite-resume.sh COMMIT OUT "tables" ["tables"]}
out=${2:?usage: suite-resume.sh COMMIT OUT "tables" ["tables"]}
streams=("${@:3}")
[[ ${#streams[@]} -gt 0 ]] || { echo "suite-resume: name the tables of at least one stream" >&2; exit 1; }
main=$(pwd)
data=$(cd "${SUITE_DATA:-../shared/datasets}" && pwd)
worktree=${SUITE_WORKTREE:-/tmp/suite-$commit}
methods=xgboost,linear,scratch,scarf-linear-probe,scarf-full,self-training,auto
for stream in "${streams[@]}"; do
  for table in $stream; do [[ -f $data/$table.csv ]] || { echo "suite-resume: no $data/$table.csv" >&2; exit 1; }; done
done
[[ -d $worktree ]] || git worktree add "$worktree" "$commit" > /dev/null
[[ $(git -C "$worktree" rev-parse HEAD) == $(git rev-parse "$commit^{commit}") ]] \
  || { echo "suite-resume: $worktree is not at $commit" >&2; exit 1; }
mkdir -p "$out" "$worktree/$out"
cp -r "$out/." "$worktree/$out/"
(cd "$worktree" && bash scripts/setup.sh > /dev/null && bash scripts/fresh-build.sh release --product pretext 2>&1 | tail -n 1 >&2)

run_stream() {   # the tables of one stream, one after another
  local name=$1; shift
  for table in $*; do
    local status=0
    echo "$(date -u +%H:%M:%S) start $table" >> "$out-resume-$name.log"
    .build/release/pretext compare "$data/$table.csv" --target target --repeats 5 --labels 5%,25%,100% \
      --methods "$methods" --quiet -o "$out/$table" > /dev/null 2>> "$out-resume-$name.log" || status=$?
    echo "$(date -u +%H:%M:%S) done $table (exit $status)" >> "$out-resume-$name.log"
  done
}
copy_back() { cp -r "$worktree/$out/." "$main/$out/"; }
any_alive() { local pid; for pid in "${pids[@]}"; do kill -0 "$pid" 2> /dev/null && return 0; done; return 1; }

pids=()
cd "$worktree"
for index in "${!streams[@]}"; do
  run_stream "$((index + 1))" ${streams[$index]} &
  pids+=($!)
done
trap 'kill "${pids[@]}" 2> /dev/null || true; copy_back' EXIT
while any_alive; do
  for _ in $(seq 20); do any_alive || break; sleep 30; done
  copy_back
done
echo "suite-resume: done; the cells are in $main/$out (commit them)" >&2

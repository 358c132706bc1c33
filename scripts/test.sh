#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# A build from scratch when sources changed since the last one (see fresh-build.sh), then
# the suite. It is XCTest only; Swift Testing would add a closing "0 tests" line.
bash scripts/fresh-build.sh debug --build-tests
swift test --skip-build --disable-swift-testing 2>&1 | tee "$log" || status=$?
summary=$(grep -E "^[[:space:]]*Executed [0-9]+ tests?, with [0-9]+ failures?" "$log" | tail -n 1 || true)
if [[ -n $summary ]]; then
  executed=$(sed -E 's/.*Executed ([0-9]+) tests?.*/\1/' <<<"$summary")
  failed=$(sed -E 's/.*with ([0-9]+) failures?.*/\1/' <<<"$summary")
  echo "tests: $((executed - failed)) passed, $failed failed"
fi
exit $status

#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift test

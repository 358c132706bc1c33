#!/usr/bin/env bash
# Builds with SwiftPM, from scratch whenever a source file changed since the last build
# made here (or there is a build of unknown sources), incrementally otherwise. SwiftPM's incremental builds can leave a dependent
# module compiled against a struct's old layout after a stored property is added
# (swiftlang/swift-package-manager#10502; swiftlang/swift#89636): the binary links, runs
# and is silently wrong — here `pretext fit` gave different models for the same seed and
# `auto` read a new setting as garbage until a clean build. Results, the README's demo and
# the test suite must never come from such a build.
#
# Usage: bash scripts/fresh-build.sh CONFIGURATION [swift build arguments...]
#   CONFIGURATION  debug or release
# Example: bash scripts/fresh-build.sh release --product pretext
set -euo pipefail
cd "$(dirname "$0")/.."
configuration=${1:?usage: fresh-build.sh debug|release [swift build arguments]}
shift
bin=$(swift build -c "$configuration" --show-bin-path)
stamp="$bin/.pretext-sources.sha256"
sources=$(find Package.swift Sources Tests -type f \( -name '*.swift' -o -name '*.c' -o -name '*.h' -o -name '*.modulemap' \) -print0 \
          | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
if [ -d "$bin" ] && { [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sources" ]; }; then
  echo "sources changed since the last $configuration build here (or it is unknown): rebuilding from scratch (SwiftPM #10502)" >&2
  rm -rf "$bin"
  # The walkthrough's Swift example package builds this package again in its own .build.
  rm -rf notebooks-md/swift-example/.build
fi
swift build -c "$configuration" "$@"
mkdir -p "$bin"
echo "$sources" > "$stamp"
# The executable built from exactly these sources says so beside itself
# (PretextVersion.SourceStamp): caches of results then key on the sources, so a rebuild
# of the same commit (another session or machine; builds are not byte-reproducible)
# resumes a long compare or suite, while any other binary there is not vouched for.
# The stamp also covers what else decides the results: the compiler, the C libraries and
# the CPU's vector instruction sets that pick the numeric code paths (Pretext's kernels
# dispatch on avx, avx2 and avx512f; oneDNN's sgemm on avx2+fma and AVX-512 core, i.e.
# avx512f/dq/bw/vl). Not the whole feature list: cells recomputed on an AMD EPYC Zen 4
# matched, to the last digit, cells made on Zen 5 and on Intel Xeon machines with AVX-512
# (results/suite/README.md), so a long run resumes across such machines, and only there.
if [ -x "$bin/pretext" ]; then
  isa=$(grep -m 1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -xE 'avx|avx2|fma|avx512f|avx512dq|avx512bw|avx512vl' | sort | tr '\n' ' ' || true)
  environment=$({ swift --version 2>&1 | head -n 1; uname -m; echo "vector instruction sets: $isa"
                  dpkg-query -W -f='${Package} ${Version}\n' libcsv-dev libdnnl-dev libopenblas-dev libxgboost-dev zlib1g-dev openmpi-bin 2>/dev/null || true
                } | sha256sum | cut -d' ' -f1)
  "$bin/pretext" stamp-sources "sources-$sources-$environment"
fi

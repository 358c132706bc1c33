#!/usr/bin/env bash
# Produces RELIABILITY.md: runs the malformed-input corpus, the interruption and
# determinism tests, and the four fuzz targets for a fixed number of executions.
# Usage: bash scripts/reliability.sh [FUZZ_RUNS]   (default 100000 per target)
# A long campaign can run on its own (`bash fuzz/run.sh 10000000 > campaign.txt`, hours on
# 2 cores); FUZZ_RESULTS=campaign.txt then records its lines instead of fuzzing again.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
runs=${1:-100000}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
bash scripts/fresh-build.sh debug --build-tests 2>&1 | tail -n 1 >&2
swift test --skip-build --disable-swift-testing --filter 'BadInputTests|ReliabilityTests|ModelFileTests|ReadErrorTests|SeriesCommandTests/testGaps' > "$log" 2>&1 || true
summary=$(grep -E "Executed [0-9]+ tests" "$log" | tail -n 1 | sed -E 's/^[[:space:]]*//')
cases=$(($(wc -l < Tests/PretextCLITests/Fixtures/bad/manifest.tsv) - 1))
if [[ -n ${FUZZ_RESULTS:-} ]]; then
  fuzz=$(cat "$FUZZ_RESULTS")
  fuzz_note="Lines from a separate campaign (\`bash fuzz/run.sh RUNS TARGET\`, recorded with FUZZ_RESULTS):"
else
  fuzz=$(bash fuzz/run.sh "$runs")
  fuzz_note="Lines from this run (\`bash fuzz/run.sh $runs\`):"
fi
{
  echo "# Reliability"
  echo
  echo "Produced by \`bash scripts/reliability.sh $runs\` on $(date -u +%Y-%m-%d) ($(uname -m), $(nproc) cores)."
  echo
  echo "## Malformed input"
  echo
  echo "- Corpus: $cases malformed or hostile inputs in \`Tests/PretextCLITests/Fixtures/bad/\` (written by"
  echo "  \`make_bad_corpus.py\`, one expected exit code, error kind and message fragment each), plus damaged model files"
  echo "  (truncated, bit-flipped, newer format, wrong kind), a 100,000-column file and a 64 MB field made by the test."
  echo "- Each runs through the CLI under \`ulimit -v\` 4 GiB and a 60 s timeout (no crash, no hang, typed error,"
  echo "  non-zero exit, nothing written) and, for plain reads, through the library (a \`DataError\` of the expected kind with the same message)."
  echo "- Series input (\`SeriesCommandTests\`): gaps in time (dates on both sides, a hint to \`--fill\`), duplicate time stamps"
  echo "  (series, rows and lines named), unknown columns (close matches suggested), series shorter than the lookback and bad"
  echo "  options give typed errors, exit 1 and no output."
  echo "- Tests run for this report (corpus, interruption, determinism, model files, read errors, series errors): $summary"
  echo
  echo "## Interruption and determinism"
  echo
  echo "- \`ReliabilityTests\` kills \`pretrain\`, \`fit\` and \`predict\` with SIGKILL at random moments (several times each): the"
  echo "  output is always absent or complete (an encoder or model that exists loads and works; a predictions file has every row)."
  echo "  \`compare\` killed twice, then re-run, ends with the same report.json as an uninterrupted run (timings excluded)."
  echo "  The same for \`series forecast\` (forecast CSV and saved forecaster complete or absent) and \`series compare\`"
  echo "  (killed twice, resumed from its finished cells, same report.json as a straight run)."
  echo "- The same \`fit\`, \`predict\` and \`compare\` with the same seed, run twice, give byte-identical model files and"
  echo "  predictions and the same report.json (timings excluded); so do \`series pretrain\` + \`series forecast\` (encoder,"
  echo "  forecaster and forecast CSV byte-identical). Model files carry a CRC-32 of their tensors, checked on load."
  echo "- Training that diverges stops with a typed error naming the epoch and step (\`SupervisedTests\`)."
  echo
  echo "## Fuzzing"
  echo
  echo "libFuzzer with AddressSanitizer (\`fuzz/run.sh\`), from the committed seed corpus \`fuzz/corpus/<target>/\`, inputs up to"
  echo "64 KiB. Targets: the CSV reader (whole-file or 64 KiB chunks, one or two threads), the model-file reader, the series"
  echo "reader (layouts, gap fills and windows chosen by the first byte; every window input must be finite) and preprocessing of"
  echo "hostile values (any Float bit pattern, NaN, ±inf, ±1e38, subnormals, up to 65,536 categories; every feature must be finite"
  echo "when missing values are imputed). \"cov\" counts covered edges, \"ft\" libFuzzer's features."
  echo
  echo "$fuzz_note"
  echo
  echo "$fuzz" | sed 's/^/- /'
  echo
  echo "Crashing inputs are saved under \`fuzz/crashes/\` and become regression tests. Found and fixed so far:"
  echo
  echo "- 2026-11-28, CSV target: a heap-buffer overflow — CR-only line endings made more records than the"
  echo "  per-chunk row estimate (which counted LF bytes), and hid the header's end. Fixed by growing the column"
  echo "  buffers at record starts and ending the header at CR or LF; regression test \`FuzzRegressionTests\`."
  echo "- 2026-11-30, preprocessing target: a value far outside the fit rows' range over a tiny scale (−3·10³⁸ after"
  echo "  fitting on numbers 10⁻⁴⁵ apart) overflowed \`Float\` to −inf. Standardized values are now clipped to ±10⁶;"
  echo "  regression test \`FuzzRegressionTests/testStandardizingAFarValueStaysFinite\`."
  echo "- 2026-11-30, series target (a timeout): one stray time stamp (151042111 among steps of 1) made \`--fill\`"
  echo "  add 151 million steps. A fill now adds at most 10 steps per row of the series (at least 1,000) and"
  echo "  otherwise is a typed error naming the jump; \`SeriesTests/testAFillFarLargerThanTheSeriesIsAnErrorNotAHang\`."
  echo "- 2026-11-30, series target: a stamp 10²³ steps away trapped converting the gap (and formatting the"
  echo "  stamp) to \`Int\`; counts now saturate and such stamps print as numbers; same test."
  echo "- 2026-11-30, series target (a 10-million campaign's chunk 9): \" inF\" in a wide file reached the windows as"
  echo "  an infinite input (the target's finiteness check trapped). Infinite values and time stamps are now a typed"
  echo "  error naming row, line and column; the input is in the seed corpus;"
  echo "  \`SeriesTests/testInfiniteValuesAreErrorsNamingRowAndColumn\`."
} > RELIABILITY.md.partial
mv RELIABILITY.md.partial RELIABILITY.md
cat RELIABILITY.md

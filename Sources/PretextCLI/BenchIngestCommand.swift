import ArgumentParser
import Pretext
import PretextBenchmarks

struct BenchIngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Generate seeded CSVs (numeric and mixed) and time reading them.",
        discussion: """
        Writes a numeric CSV (default 1,000,000 rows × 20 floats, ~185 MB) and a mixed \
        one (ints, floats with 5% missing, quoted strings, booleans, categories) into \
        --directory (kept for later runs), reads each --repeats times and prints MB/s \
        and peak extra memory against the table's float32 size. Use a release build.

        Examples:
          swift build -c release && .build/release/pretext bench ingest
          pretext bench ingest --rows 100000 --repeats 3 --threads 1
          pretext bench ingest --libcsv-only    # every chunk through libcsv
        """
    )

    @Option(help: "Rows of the numeric file.") var rows = 1_000_000
    @Option(help: "Float columns of the numeric file.") var columns = 20
    @Option(help: "Rows of the mixed file.") var mixedRows = 1_000_000
    @Option(help: "Timed reads per file.") var repeats = 5
    @Option(help: "Seed of the generated data.") var seed: UInt64 = 42
    @Option(help: "Parsing threads (default: all cores).") var threads: Int?
    @Option(help: "Where generated files are kept.") var directory: String?
    @Flag(help: "Parse every chunk with libcsv, bypassing the quote-free splitter (for comparison).") var libcsvOnly = false

    func validate() throws {
        guard rows > 0, columns > 0, mixedRows > 0 else { throw ValidationError("--rows, --columns and --mixed-rows must be positive.") }
        guard repeats > 0 else { throw ValidationError("--repeats must be at least 1.") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
    }

    func run() throws {
        try reportingErrors {
            var configuration = IngestBenchmark.Configuration()
            configuration.rows = rows
            configuration.columns = columns
            configuration.mixedRows = mixedRows
            configuration.repeats = repeats
            configuration.seed = seed
            configuration.threads = threads
            configuration.libcsvOnly = libcsvOnly
            if let directory { configuration.directory = directory }
            let measurements = try IngestBenchmark(configuration: configuration).run { printError($0) }
            print(IngestBenchmark.render(measurements, threads: threads ?? ProcessorInfo.activeCores))
        }
    }
}

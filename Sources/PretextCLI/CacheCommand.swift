import ArgumentParser
import Pretext

struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "Build a columnar cache of a CSV once: typed columns every command reads in place of the CSV.",
        discussion: """
        Reads FILE in two streamed passes — column types (inferred exactly as every \
        command infers them), then the values — holding a few chunks at a time, never \
        the table, and writes typed columns (numbers as 32-bit floats, categories as \
        codes with their dictionary, dates as seconds) with the schema and a content \
        fingerprint. The file is written under a temporary name and renamed: complete \
        or absent. Every command that takes a CSV takes the cache (pretext inspect, \
        pretrain, fit, predict, compare, …); it is memory-mapped, so reading it is a \
        copy, not a parse. Read options (delimiter, missing tokens, column types) are \
        given here, when the cache is built.

        Examples:
          pretext cache big.csv -o big.pretext
          pretext inspect big.pretext --target label
          pretext cache export.csv.gz -o export.pretext --missing=-,n/a --skip-bad-rows
        """
    )

    @Argument(help: "The CSV file to cache (.csv, .tsv or .csv.gz; - reads standard input).")
    var file: String

    @Option(name: .shortAndLong, help: "Where to write the cache (.pretext).")
    var output: String

    @Flag(help: "No progress lines.") var quiet = false

    @OptionGroup var read: ReadOptionsGroup

    func run() throws {
        try reportingErrors {
            let stopwatch = Stopwatch()
            var lastLine = 0.0
            let (schema, report) = try ColumnarCache.build(file, options: try read.readOptions(), to: output) { pass, bytes, total in
                guard !quiet, stopwatch.seconds - lastLine >= 1 else { return }
                lastLine = stopwatch.seconds
                let share = total > 0 ? min(1, Double(bytes) / Double(total)) : 0
                // Pass 1 and pass 2 each read the file once: overall progress is their mean.
                let overall = (Double(pass - 1) + share) / 2
                let remaining = overall > 0 ? stopwatch.seconds / overall * (1 - overall) : 0
                printError("cache pass \(pass)/2  \(bytes / 1_000_000) of \(total / 1_000_000) MB  elapsed \(ProgressReporter.clock(stopwatch.seconds))"
                           + "  ETA ≈ \(ProgressReporter.clock(remaining))")
            }
            for note in report.notes { printError("note: \(note)") }
            let peak = MemoryStats.peakResidentBytes().map { ", peak memory \($0 / 1_000_000) MB" } ?? ""
            print("cached \(schema.rowCount) rows × \(schema.columns.count) columns (\(report.textBytes / 1_000_000) MB of text) in "
                  + String(format: "%.1f s", report.seconds) + peak)
            print("wrote \(output)")
        }
    }
}

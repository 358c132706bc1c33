import Foundation
import PretextData

/// `pretext bench ingest`: reads seeded synthetic CSVs several times and reports
/// throughput and peak memory.
public struct IngestBenchmark: Sendable {
    public struct Configuration: Sendable {
        /// Rows of the numeric file (default 1,000,000: ~185 MB at 20 columns).
        public var rows = 1_000_000
        /// Float columns of the numeric file.
        public var columns = 20
        /// Rows of the mixed file.
        public var mixedRows = 1_000_000
        /// Timed reads per file.
        public var repeats = 5
        public var seed: UInt64 = 42
        public var threads: Int? = nil
        /// Parse every chunk with libcsv (see `ReadOptions.alwaysUseLibCSV`).
        public var libcsvOnly = false
        /// Folder for the generated files (reused when present).
        public var directory: String = NSTemporaryDirectory() + "pretext-bench"
        public init() {}
    }

    public struct Measurement: Sendable {
        public var file: String
        public var bytes: Int
        public var rows: Int
        public var columns: Int
        public var seconds: [Double]
        /// Peak resident memory during the read, minus the resident memory before it.
        public var peakExtraBytes: Int?
        /// The table's size at 4 bytes per cell.
        public var tableBytes: Int

        public var bestMegabytesPerSecond: Double { Double(bytes) / (seconds.min() ?? .infinity) / 1e6 }
        public var medianMegabytesPerSecond: Double {
            let sorted = seconds.sorted()
            return Double(bytes) / sorted[sorted.count / 2] / 1e6
        }
    }

    public var configuration: Configuration

    public init(configuration: Configuration) { self.configuration = configuration }

    /// Generates the files if needed and measures each; `progress` gets a line per step.
    public func run(progress: (String) -> Void) throws -> [Measurement] {
        let directory = configuration.directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let numeric = "\(directory)/numeric-\(configuration.rows)x\(configuration.columns)-s\(configuration.seed).csv"
        let mixed = "\(directory)/mixed-\(configuration.mixedRows)-s\(configuration.seed).csv"
        if !FileManager.default.fileExists(atPath: numeric) {
            progress("generating \(numeric)")
            try SyntheticCSV.writeNumeric(to: numeric, rows: configuration.rows, columns: configuration.columns, seed: configuration.seed)
        }
        if !FileManager.default.fileExists(atPath: mixed) {
            progress("generating \(mixed)")
            try SyntheticCSV.writeMixed(to: mixed, rows: configuration.mixedRows, seed: configuration.seed)
        }
        var options = ReadOptions()
        options.threads = configuration.threads
        options.alwaysUseLibCSV = configuration.libcsvOnly
        let reader = CSVReader(options: options)
        return try [numeric, mixed].map { path in
            var seconds: [Double] = []
            var peak: Int? = nil
            var shape = (rows: 0, columns: 0, bytes: 0)
            for repeatIndex in 0..<configuration.repeats {
                let before = MemoryStats.residentBytes()
                MemoryStats.resetPeak()
                let stopwatch = Stopwatch()
                let (table, report) = try reader.read(path)
                let elapsed = stopwatch.seconds
                if let before, let high = MemoryStats.peakResidentBytes() { peak = max(peak ?? 0, high - before) }
                seconds.append(elapsed)
                shape = (table.rowCount, table.columns.count, report.textBytes)
                progress(String(format: "%@ read %d: %.3f s, %.0f MB/s", (path as NSString).lastPathComponent, repeatIndex + 1,
                                elapsed, Double(report.textBytes) / elapsed / 1e6))
            }
            return Measurement(file: path, bytes: shape.bytes, rows: shape.rows, columns: shape.columns, seconds: seconds,
                               peakExtraBytes: peak, tableBytes: shape.rows * shape.columns * 4)
        }
    }

    /// A Markdown table of the measurements.
    public static func render(_ measurements: [Measurement], threads: Int) -> String {
        var lines = ["| file | size | rows × cols | best MB/s | median MB/s | peak extra memory | table (4 B/cell) | ratio |",
                     "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for measurement in measurements {
            let peak = measurement.peakExtraBytes.map { String(format: "%.0f MB", Double($0) / 1e6) } ?? "n/a"
            let ratio = measurement.peakExtraBytes.map { String(format: "%.2f×", Double($0) / Double(measurement.tableBytes)) } ?? "n/a"
            lines.append(String(format: "| %@ | %.0f MB | %d × %d | %.0f | %.0f | %@ | %.0f MB | %@ |",
                                (measurement.file as NSString).lastPathComponent, Double(measurement.bytes) / 1e6,
                                measurement.rows, measurement.columns, measurement.bestMegabytesPerSecond,
                                measurement.medianMegabytesPerSecond, peak, Double(measurement.tableBytes) / 1e6, ratio))
        }
        lines.append("")
        lines.append("threads: \(threads); \(measurements.first?.seconds.count ?? 0) reads per file")
        return lines.joined(separator: "\n")
    }
}

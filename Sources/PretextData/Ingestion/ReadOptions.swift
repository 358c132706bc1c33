/// How to read a delimited text file. Every field has a default that suits
/// ordinary exports; the CLI maps its flags onto these fields one to one.
public struct ReadOptions: Sendable, Equatable {
    /// Field delimiter; `nil` auto-detects among `,` `;` tab `|` from the first lines.
    public var delimiter: UInt8? = nil
    /// Whether the first record names the columns. Without a header, columns are
    /// named `column_1`, `column_2`, …
    public var hasHeader: Bool = true
    /// Field texts read as missing (compared exactly, after no trimming). An empty
    /// field is always missing.
    public var missingTokens: Set<String> = ReadOptions.defaultMissingTokens
    /// Drop rows whose field count differs from the header's, counting them in the
    /// read report, instead of failing on the first one.
    public var skipBadRows: Bool = false
    /// Columns whose type is given rather than inferred (by name).
    public var columnTypes: [String: ColumnType] = [:]
    /// A column whose non-missing values are numbers except for at most this share of
    /// stray texts stays numeric; the strays are reported and read as missing.
    /// Range 0...0.5; default 0.05.
    public var strayTextTolerance: Double = 0.05
    /// Worker threads for parsing; `nil` uses every active core.
    public var threads: Int? = nil
    /// Bytes handed to one parsing task. Range ≥ 64 KiB; default 1 MiB: as fast as 4 MiB
    /// here and a quarter of the text and parse buffers in flight (peak memory of a mixed
    /// 1M-row read 1.4× the table instead of 1.6–1.9×; BENCHMARKS.md). Wide records widen
    /// it to hold `CSVReader.minimumRecordsPerChunk` of them (`CSVReader.chunkSize`).
    public var chunkSize: Int = 1 << 20

    /// Parse every chunk with libcsv, including chunks without any quote character
    /// (which otherwise take the faster splitter). The results are identical; this
    /// exists for differential tests and for `pretext bench ingest --libcsv-only`.
    public var alwaysUseLibCSV = false

    public static let defaultMissingTokens: Set<String> = ["", "NA", "N/A", "NaN", "nan", "null", "NULL", "None", "?"]

    public init() {}
}

import Foundation

/// Reads a table from either kind of file Pretext takes: a CSV (`CSVReader`) or a
/// columnar cache built from one (`CachedTable`), told apart by the file's first bytes.
public enum TableFile {
    /// The whole table. A cache's types, delimiter and missing-value tokens were fixed
    /// when it was built, so options that would change them are refused rather than
    /// silently ignored; `threads` and `chunkSize` do not matter to a cache.
    public static func read(_ path: String, options: ReadOptions = ReadOptions()) throws -> (table: Table, report: ReadReport) {
        guard isCache(path) else { return try CSVReader(options: options).read(path) }
        try checkOptions(options, forCache: path)
        let start = Stopwatch()
        let cache = try CachedTable(path: path)
        let table = cache.table()
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        // No text is parsed: the speed reported is the cache's bytes over the time to copy them.
        var report = ReadReport(path: path, fileBytes: size, textBytes: size, compressed: false, seconds: start.seconds,
                                delimiter: cache.schema.delimiter, rows: cache.rowCount, columns: cache.schema.columns.count)
        report.notes = ["read from the cache of \(cache.schema.source)"] + cache.schema.notes
        return (table, report)
    }

    /// Whether `path` is a cache file (standard input never is).
    public static func isCache(_ path: String) -> Bool { path != "-" && CachedTable.isCache(path) }

    /// Refuses read options that would change how a file is parsed: a cache's were fixed
    /// when it was built.
    public static func checkOptions(_ options: ReadOptions, forCache path: String) throws {
        var parsing = options
        parsing.threads = nil
        parsing.chunkSize = ReadOptions().chunkSize
        parsing.alwaysUseLibCSV = false
        guard parsing == ReadOptions() else {
            throw DataError.invalidOption(name: "read options", value: path,
                                          reason: "this is a Pretext cache: its column types, delimiter and missing-value tokens were fixed when "
                                              + "it was built; build it again from the CSV with the options instead")
        }
    }
}

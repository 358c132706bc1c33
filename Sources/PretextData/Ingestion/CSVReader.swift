import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a delimited text file (optionally gzip-compressed) into a columnar `Table`.
///
/// The file is streamed in blocks; each block is cut at the last record boundary
/// (the last newline outside quotes, tracked by quote parity across blocks) and the
/// whole-record chunks are parsed by libcsv on every core, straight into per-chunk
/// column buffers that are merged in file order. Raw text is never held whole: peak
/// memory is the table plus a few blocks in flight.
///
/// ```swift
/// let (table, report) = try CSVReader().read("datasets/credit_data.csv")
/// ```
public struct CSVReader: Sendable {
    public var options: ReadOptions

    public init(options: ReadOptions = ReadOptions()) {
        self.options = options
    }

    /// Reads `path`: a file, or `-` for standard input. A pipe, FIFO or standard input is
    /// copied once to a temporary file first (`SpooledInput`), so every pass reads the
    /// same bytes from the start. Errors name the file, line and column.
    public func read(_ path: String) throws -> (table: Table, report: ReadReport) {
        try validate()
        let start = Stopwatch()
        let input = try SpooledInput(path: path)
        var givenTypes = options.columnTypes
        // A column of mixed numbers and text that is mostly text is read again with its
        // raw text kept (a rare second pass; numbers alone are never kept as text).
        for _ in 0..<2 {
            switch try readOnce(input, givenTypes: givenTypes) {
            case .done(let table, var report):
                report.seconds = start.seconds
                return (table, report)
            case .needsText(let names):
                for name in names { givenTypes[name] = .categorical }
            }
        }
        preconditionFailure("a second pass always completes")
    }

    func validate() throws {
        guard (0...0.5).contains(options.strayTextTolerance) else {
            throw DataError.invalidOption(name: "strayTextTolerance", value: "\(options.strayTextTolerance)", reason: "must lie in 0...0.5")
        }
        guard options.chunkSize >= 1 << 16 else {
            throw DataError.invalidOption(name: "chunkSize", value: "\(options.chunkSize)", reason: "must be at least 65536 bytes")
        }
        if let threads = options.threads, threads < 1 {
            throw DataError.invalidOption(name: "threads", value: "\(threads)", reason: "must be at least 1")
        }
        if let delimiter = options.delimiter, delimiter == 0x22 || delimiter == 0x0a || delimiter == 0x0d {
            throw DataError.invalidOption(name: "delimiter", value: String(UnicodeScalar(delimiter)), reason: "cannot be a quote or a newline")
        }
    }

    private enum Pass {
        case done(Table, ReadReport)
        case needsText([String])
    }

    /// An opened input: the source positioned after the preamble, the first block of
    /// records in `buffer`, the columns and how to parse them.
    struct Opened {
        let source: ByteSource
        var buffer: [UInt8]
        var eof: Bool
        var textBytes: Int
        let preamble: CSVPreamble
        let plan: ChunkPlan
        /// Bytes read per chunk: `chunkSize(options:firstRecords:)`.
        let chunkSize: Int
        var names: [String] { preamble.columnNames }
    }

    /// A chunk holds at least this many records where `chunkSize` allows (below).
    static let minimumRecordsPerChunk = 2048
    /// The most bytes a chunk is widened to for wide records.
    static let maximumChunkSize = 32 << 20

    /// Bytes per chunk for a file whose first records are `firstRecords`: the option's
    /// size, or more when records are wide, so that a chunk holds `minimumRecordsPerChunk`
    /// of them (up to `maximumChunkSize`). Each chunk keeps a buffer per column and
    /// per-chunk work per column: a 60,000 × 784 numeric file in 1 MiB chunks (~150 rows
    /// each) read at 225–242 MB/s, in 16 MiB chunks at 357–384 MB/s with a lower peak
    /// (BENCHMARKS.md). Narrow files keep the option's size, and with it their peak memory.
    static func chunkSize(options: ReadOptions, firstRecords: UnsafeRawBufferPointer) -> Int {
        guard let base = firstRecords.baseAddress?.assumingMemoryBound(to: UInt8.self), firstRecords.count > 0 else {
            return options.chunkSize
        }
        let lineBreaks = ByteCount.count(0x0a, in: base, count: firstRecords.count)
        let bytesPerRecord = firstRecords.count / max(1, lineBreaks)
        return max(options.chunkSize, min(maximumChunkSize, bytesPerRecord * minimumRecordsPerChunk))
    }

    /// Opens `input`: reads until the preamble (header, delimiter) is known, checks the
    /// encoding and the given types' names, and plans the parse (`forcedText`: the
    /// columns whose fields are kept as text — default: those given a non-numeric type).
    func open(_ input: SpooledInput, givenTypes: [String: ColumnType], forcedText: Set<String>? = nil) throws -> Opened {
        let source = try ByteSource(input)
        let path = input.name
        let blockSize = options.chunkSize
        var buffer = [UInt8]()
        var eof = try fill(&buffer, from: source, count: blockSize) < blockSize
        var textBytes = buffer.count
        if buffer.isEmpty { throw DataError.emptyFile(path: path) }
        if buffer.starts(with: [0xef, 0xbb, 0xbf]) { buffer.removeFirst(3) }
        try CSVPreamble.checkEncoding(buffer, path: path)

        var preamble: CSVPreamble
        while true {
            if let found = try CSVPreamble.read(buffer, isWholeFile: eof, options: options, path: path) {
                preamble = found
                break
            }
            let got = try fill(&buffer, from: source, count: blockSize)
            textBytes += got
            eof = got < blockSize
        }
        let names = preamble.columnNames
        for name in givenTypes.keys.sorted() where !names.contains(name) {
            throw DataError.unknownColumn(path: path, name: name, role: "a column type", closeMatches: ColumnNameMatcher.closeMatches(to: name, in: names))
        }
        let plan = ChunkPlan(delimiter: preamble.delimiter, columnCount: names.count,
                             forcedText: names.map { name in forcedText.map { $0.contains(name) } ?? givenTypes[name].map { $0 != .numeric } ?? false },
                             missing: MissingTokenMatcher(options.missingTokens), skipBadRows: options.skipBadRows,
                             alwaysUseLibCSV: options.alwaysUseLibCSV)
        buffer.removeFirst(preamble.dataOffset)
        let chunkSize = buffer.withUnsafeBytes { Self.chunkSize(options: options, firstRecords: $0) }
        return Opened(source: source, buffer: buffer, eof: eof, textBytes: textBytes, preamble: preamble, plan: plan,
                      chunkSize: chunkSize)
    }

    private func readOnce(_ input: SpooledInput, givenTypes: [String: ColumnType]) throws -> Pass {
        let opened = try open(input, givenTypes: givenTypes)
        let (source, preamble, plan, names, path) = (opened.source, opened.preamble, opened.plan, opened.names, input.name)

        // MARK: Parallel chunk pipeline
        let threads = options.threads ?? ProcessorInfo.activeCores
        let store = ChunkStore()
        let queue = DispatchQueue(label: "pretext.csv.chunks", attributes: .concurrent)
        let slots = DispatchSemaphore(value: threads)   // chunks being parsed at once
        let group = DispatchGroup()
        var chunkCount = 0
        func submit(_ chunk: [UInt8]) {
            let index = chunkCount
            chunkCount += 1
            slots.wait()
            group.enter()
            queue.async {
                let result = chunk.withUnsafeBytes { ChunkParser.parse($0, plan: plan) }
                store.set(index, result)
                slots.signal()
                group.leave()
            }
        }

        let textBytes = try cutRecords(opened) { chunk in
            submit(chunk)
            return !store.hasIssue
        }
        group.wait()
        let results = store.ordered(count: chunkCount)
        ColumnAssembler.releaseFreedMemory()   // the chunks' text and parse buffers, before columns are built

        // MARK: Errors, in file order
        var chunkStartLines: [Int] = []
        var line = preamble.linesBeforeData + 1
        for result in results {
            chunkStartLines.append(line)
            line += result.lineCount
        }
        for (chunk, result) in results.enumerated() {
            if let issue = result.issue { throw error(for: issue, startLine: chunkStartLines[chunk], names: names, path: path) }
        }
        let rowCount = results.reduce(0) { $0 + $1.rowCount }
        if rowCount == 0 {
            if options.hasHeader { throw DataError.headerOnly(path: path) }
            throw DataError.emptyFile(path: path)
        }

        // MARK: Columns
        var report = ReadReport(path: path, fileBytes: source.fileSize, textBytes: textBytes, compressed: source.isCompressed,
                                seconds: 0, delimiter: preamble.delimiter, rows: rowCount, columns: names.count)
        report.skippedRows = results.reduce(0) { $0 + $1.skippedRowCount }
        for (chunk, result) in results.enumerated() {
            for local in result.skippedRowLines where report.skippedRowLines.count < 10 {
                report.skippedRowLines.append(chunkStartLines[chunk] + local)
            }
        }
        var columns: [Column] = []
        var needText: [String] = []
        let outcomes = ColumnAssembler.assembleAll(names: names, given: givenTypes, results: results, chunkStartLines: chunkStartLines,
                                                   strayTextTolerance: options.strayTextTolerance, threads: threads)
        for (name, outcome) in zip(names, outcomes) {
            switch outcome {
            case .column(let column, let strays, let note):
                columns.append(column)
                if let strays { report.strays.append(strays) }
                if let note { report.notes.append(note) }
            case .needsTextPass:
                needText.append(name)
            }
        }
        if !needText.isEmpty { return .needsText(needText) }
        for stray in report.strays {
            let example = stray.examples.first.map { " (e.g. \"\($0.text)\" at line \($0.line))" } ?? ""
            report.notes.append("column \"\(stray.column)\" is numeric; \(stray.count) stray text value(s) read as missing\(example)")
        }
        if report.skippedRows > 0 {
            report.notes.append("skipped \(report.skippedRows) row(s) with the wrong number of fields (first at line \(report.skippedRowLines.first ?? 0))")
        }
        return .done(Table(columns: columns, source: path), report)
    }

    // MARK: - Helpers

    /// Reads the rest of `opened`'s input block by block and hands `submit` each run of
    /// whole records, cut at the last newline outside quotes (quote parity is tracked
    /// across blocks), until the end or until `submit` returns false. Returns the text
    /// bytes read, the opened buffer's included.
    func cutRecords(_ opened: Opened, _ submit: ([UInt8]) throws -> Bool) throws -> Int {
        var (buffer, eof, textBytes) = (opened.buffer, opened.eof, opened.textBytes)
        var quoteParity = false   // parity of quotes in buffer[0..<scanned]
        var scanned = 0
        var lastCut = 0           // end of the last complete record in buffer[0..<scanned]
        while true {
            (quoteParity, lastCut) = Self.scan(buffer, from: scanned, parity: quoteParity, lastCut: lastCut)
            scanned = buffer.count
            if eof {
                if buffer.contains(where: { $0 != 0x0a && $0 != 0x0d }) { _ = try submit(buffer) }
                return textBytes
            }
            if lastCut > 0 {
                var chunk = buffer
                buffer = Array(chunk[lastCut...])
                chunk.removeLast(chunk.count - lastCut)
                scanned -= lastCut
                lastCut = 0
                guard try submit(chunk) else { return textBytes }
            }
            let got = try fill(&buffer, from: opened.source, count: opened.chunkSize)
            textBytes += got
            eof = got < opened.chunkSize
        }
    }

    /// Appends up to `count` bytes from `source`; returns how many came. The bytes are
    /// read straight into the buffer's new tail (one copy, by the kernel).
    func fill(_ buffer: inout [UInt8], from source: ByteSource, count: Int) throws -> Int {
        let kept = buffer.count
        var got = 0
        var failure: Error? = nil
        buffer = [UInt8](unsafeUninitializedCapacity: kept + count) { storage, initialized in
            buffer.withUnsafeBufferPointer { old in
                if let oldBase = old.baseAddress { storage.baseAddress!.update(from: oldBase, count: kept) }
            }
            do { got = try source.read(into: storage.baseAddress! + kept, count: count) } catch { failure = error }
            initialized = kept + got
        }
        if let failure { throw failure }
        return got
    }

    /// Extends the quote-parity scan over `buffer[from...]`; returns the parity at the
    /// end and the offset just past the last newline outside quotes.
    static func scan(_ buffer: [UInt8], from start: Int, parity: Bool, lastCut: Int) -> (Bool, Int) {
        buffer.withUnsafeBufferPointer { bytes -> (Bool, Int) in
            guard start < bytes.count, let base = bytes.baseAddress else { return (parity, lastCut) }
            if memchr(base + start, 0x22, bytes.count - start) == nil {
                // No quotes: parity unchanged; if outside quotes, the last newline is a cut.
                if parity { return (parity, lastCut) }
                var index = bytes.count - 1
                while index >= start {
                    if bytes[index] == 0x0a { return (parity, index + 1) }
                    index -= 1
                }
                return (parity, lastCut)
            }
            // The parity at the end needs only the number of quotes (a counting loop the
            // compiler vectorises); the last cut is then found walking back from the end,
            // usually within the last record — not by a byte-at-a-time state machine over
            // the whole block on the reading thread.
            let quotes = countQuotes(base + start, count: bytes.count - start)
            let endParity = parity != (quotes % 2 == 1)
            var inQuotes = endParity   // the state after byte `index`
            var index = bytes.count - 1
            while index >= start {
                let byte = bytes[index]
                if byte == 0x0a, !inQuotes { return (endParity, index + 1) }
                if byte == 0x22 { inQuotes.toggle() }
                index -= 1
            }
            return (endParity, lastCut)
        }
    }

    /// The number of `"` bytes in `bytes[0..<count]` (vectorised: the plain loop compiled
    /// to a compare and branch per byte and took 14% of a mixed file's read, all of it on
    /// the reading thread).
    static func countQuotes(_ bytes: UnsafePointer<UInt8>, count: Int) -> Int {
        ByteCount.count(0x22, in: bytes, count: count)
    }

    func error(for issue: ChunkIssue, startLine: Int, names: [String], path: String) -> DataError {
        let line = startLine + issue.localLine
        let location = SourceLocation(file: path, line: line, columnIndex: issue.column.map { $0 + 1 },
                                      columnName: issue.column.flatMap { $0 < names.count ? names[$0] : nil })
        switch issue.kind {
        case .ragged(let expected, let actual): return .raggedRow(SourceLocation(file: path, line: line), expected: expected, actual: actual)
        case .invalidUTF8: return .invalidUTF8(location, offendingText: issue.text)
        case .nulByte: return .notText(location, reason: "a field contains a NUL byte (binary data?)")
        case .outOfRange: return .valueOutOfRange(location, offendingText: issue.text)
        case .malformedQuote: return .malformedQuote(location, offendingText: issue.text)
        case .unterminatedQuote: return .unterminatedQuote(location)
        }
    }
}

/// Chunk results from the worker threads, kept by chunk index.
private final class ChunkStore: @unchecked Sendable {
    private let lock = PThreadMutex()
    private var results: [Int: ChunkResult] = [:]
    private var issueSeen = false

    func set(_ index: Int, _ result: ChunkResult) {
        lock.locked {
            results[index] = result
            if result.issue != nil { issueSeen = true }
        }
    }

    var hasIssue: Bool { lock.locked { issueSeen } }

    func ordered(count: Int) -> [ChunkResult] {
        lock.locked { (0..<count).map { results[$0]! } }
    }
}

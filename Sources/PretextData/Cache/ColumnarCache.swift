import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Builds a columnar cache file (`CacheFormat`) from a CSV without holding the table:
/// two streamed passes (`CSVReader.stream`), each holding a few chunks at a time.
///
/// 1. Type evidence for every column (`ColumnEvidence`): the types are the ones
///    `CSVReader.read` would infer, so the cache equals the table `read` gives.
/// 2. The values, read again with text kept for the text-typed columns, converted chunk
///    by chunk (categories coded in order of first appearance, as `read` does) and
///    written with `pwrite` into each column's region.
///
/// The file is written beside the target under a temporary name, flushed and renamed:
/// complete or absent. Memory: the chunks in flight, the categories' dictionaries and
/// nothing per row.
public enum ColumnarCache {
    /// Progress of a build: the pass (1 or 2), text bytes read so far in that pass, and
    /// the text bytes of the whole file when known (pass 2: counted by pass 1; pass 1: the
    /// size on disk, less than the text of a compressed file).
    public typealias Progress = (_ pass: Int, _ textBytes: Int, _ fileBytes: Int) -> Void

    @discardableResult
    public static func build(_ path: String, options: ReadOptions = ReadOptions(), to output: String,
                             maximumChunksInFlight: Int? = nil, progress: Progress? = nil) throws -> (schema: CacheSchema, report: ReadReport) {
        let start = Stopwatch()
        let reader = CSVReader(options: options)
        let input = try SpooledInput(path: path)
        let source = input.name

        // Pass 1: types.
        let sizeOnDisk = (try? FileManager.default.attributesOfItem(atPath: input.readablePath)[.size] as? Int) ?? 0
        var evidence: [ColumnEvidence] = []
        let first = try reader.stream(input, maximumInFlight: maximumChunksInFlight) { chunk, line, read in
            if evidence.isEmpty { evidence = Array(repeating: ColumnEvidence(), count: chunk.columns.count) }
            for column in chunk.columns.indices { evidence[column].add(chunk.columns[column], startLine: line) }
            progress?(1, read, sizeOnDisk)
        }
        let names = first.names
        let decisions = names.indices.map { evidence[$0].decide(given: options.columnTypes[names[$0]], strayTextTolerance: options.strayTextTolerance) }
        var report = ReadReport(path: source, fileBytes: first.fileBytes, textBytes: first.textBytes, compressed: first.compressed,
                                seconds: 0, delimiter: first.delimiter, rows: first.rowCount, columns: names.count)
        report.skippedRows = first.skippedRowCount
        report.skippedRowLines = first.skippedRowLines
        for (index, decision) in decisions.enumerated() {
            if case .numeric(let strays) = decision {
                if strays > 0 { report.strays.append(.init(column: names[index], count: strays, examples: evidence[index].examples)) }
                else if evidence[index].numbers == 0 { report.notes.append("column \"\(names[index])\" has no values (all missing)") }
            }
        }
        for stray in report.strays {
            let example = stray.examples.first.map { " (e.g. \"\($0.text)\" at line \($0.line))" } ?? ""
            report.notes.append("column \"\(stray.column)\" is numeric; \(stray.count) stray text value(s) read as missing\(example)")
        }
        if report.skippedRows > 0 {
            report.notes.append("skipped \(report.skippedRows) row(s) with the wrong number of fields (first at line \(report.skippedRowLines.first ?? 0))")
        }

        // Layout.
        let rows = first.rowCount
        var writers: [ColumnWriter] = []
        var offset = CacheFormat.headerSize
        for (name, decision) in zip(names, decisions) {
            let writer = ColumnWriter(name: name, decision: decision, offset: offset)
            writers.append(writer)
            offset += (rows * writer.storage.width + CacheFormat.alignment - 1) / CacheFormat.alignment * CacheFormat.alignment
        }
        let dataEnd = offset
        let file = try TemporaryOutput(path: output, size: dataEnd)

        // Pass 2: values.
        // Text is kept (forced) where `read` keeps it: columns given a non-numeric type,
        // and mostly-text columns with numbers among them (read's second pass). Text-only
        // columns are parsed as in pass 1, so the rows `skipBadRows` drops leave the same
        // traces in the chunk dictionaries as they do in `read`.
        let textColumns = Set(names.indices.compactMap { index -> String? in
            if let given = options.columnTypes[names[index]], given != .numeric { return names[index] }
            if case .text = decisions[index], evidence[index].numbers > 0 { return names[index] }
            return nil
        })
        var written = 0
        let second = try reader.stream(input, forcedText: textColumns, maximumInFlight: maximumChunksInFlight) { chunk, _, read in
            guard written + chunk.rowCount <= rows else { return }
            for column in writers.indices {
                try writers[column].write(chunk.columns[column], firstRow: written, into: file)
            }
            written += chunk.rowCount
            progress?(2, read, first.textBytes)
        }
        guard second.rowCount == rows, written == rows else {
            throw DataError.unreadable(path: source, reason: "it changed while the cache was built (\(rows) rows, then \(second.rowCount))")
        }

        var schema = CacheSchema(source: path, sourceTextBytes: first.textBytes, delimiter: first.delimiter, rowCount: rows, columns: writers.map(\.schema),
                                 contentFingerprint: "", notes: report.notes, pretextVersion: PretextVersion.release)
        schema.contentFingerprint = try CachedTable.fingerprint(schema) { hash, offset, count in
            try file.hash(into: &hash, offset: offset, count: count)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = Array(try encoder.encode(schema))
        var header = CacheFormat.magic
        withUnsafeBytes(of: UInt64(dataEnd).littleEndian) { header += $0 }
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { header += $0 }
        header += [UInt8](repeating: 0, count: CacheFormat.headerSize - header.count)
        try file.write(json, at: dataEnd)
        try file.write(header, at: 0)
        try file.commit()
        report.seconds = start.seconds
        return (schema, report)
    }
}

/// One column's conversion from chunk pieces to its stored values.
private struct ColumnWriter {
    let name: String
    let decision: ColumnEvidence.Decision
    let offset: Int
    var vocabulary: [String] = []
    var codes: [String: Int32] = [:]
    /// Boolean: the first spelling seen of false and of true.
    var spellings: [String?] = [nil, nil]

    init(name: String, decision: ColumnEvidence.Decision, offset: Int) {
        self.name = name
        self.decision = decision
        self.offset = offset
    }

    var type: ColumnType {
        switch decision {
        case .numeric: return .numeric
        case .text(let type): return type == .numeric ? .categorical : type
        }
    }

    var storage: CacheSchema.Column.Storage {
        switch type {
        case .numeric, .boolean: return .float32
        case .categorical: return .int32
        case .datetime: return .float64
        }
    }

    var schema: CacheSchema.Column {
        CacheSchema.Column(name: name, type: type, storage: storage, offset: offset,
                           vocabulary: type == .categorical ? vocabulary : nil,
                           booleanSpellings: type == .boolean ? [spellings[0] ?? "false", spellings[1] ?? "true"] : nil)
    }

    /// Converts `piece` (rows `firstRow…`) and writes it at its place in the region.
    mutating func write(_ piece: ChunkColumn, firstRow: Int, into file: TemporaryOutput) throws {
        let count = piece.rowCount
        let at = offset + firstRow * storage.width
        switch type {
        case .numeric:
            try file.write(piece.allValues, at: at)
        case .boolean:
            let local = piece.texts.map { text -> Float in
                let lowered = text.lowercased()
                let value: Float = ColumnAssembler.trueTokens.contains(lowered) ? 1 : (ColumnAssembler.falseTokens.contains(lowered) ? 0 : .nan)
                if !value.isNaN, spellings[Int(value)] == nil { spellings[Int(value)] = text }
                return value
            }
            try file.write(Self.mapped(piece, count: count, missing: Float.nan) { local[Int($0)] }, at: at)
        case .datetime:
            let local = piece.texts.map { ISODate.parse($0) ?? .nan }
            try file.write(Self.mapped(piece, count: count, missing: Double.nan) { local[Int($0)] }, at: at)
        case .categorical:
            let local = piece.texts.map { text -> Int32 in
                if let code = codes[text] { return code }
                let code = Int32(vocabulary.count)
                codes[text] = code
                vocabulary.append(text)
                return code
            }
            try file.write(Self.mapped(piece, count: count, missing: Int32(-1)) { local[Int($0)] }, at: at)
        }
    }

    /// Each row's local text code through `transform`; `missing` where the row has none.
    private static func mapped<Value>(_ piece: ChunkColumn, count: Int, missing: Value, _ transform: (Int32) -> Value) -> [Value] {
        guard let codes = piece.textCodes else { return Array(repeating: missing, count: count) }
        return codes.buffer.map { $0 < 0 ? missing : transform($0) }
    }
}

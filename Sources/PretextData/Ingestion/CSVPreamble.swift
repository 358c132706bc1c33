/// The start of a CSV file: encoding checks, the delimiter and the header record.
struct CSVPreamble {
    var delimiter: UInt8
    var columnNames: [String]
    /// Offset of the first data byte in the (BOM-stripped) first block.
    var dataOffset: Int
    /// Lines consumed before the first data byte (header and blank lines).
    var linesBeforeData: Int
    var hadByteOrderMark: Bool

    static let candidateDelimiters: [UInt8] = [0x2c, 0x3b, 0x09, 0x7c] // , ; tab |

    /// Rejects encodings and binary data that cannot be CSV.
    static func checkEncoding(_ bytes: [UInt8], path: String) throws {
        if bytes.count >= 2, (bytes[0] == 0xff && bytes[1] == 0xfe) || (bytes[0] == 0xfe && bytes[1] == 0xff) {
            throw DataError.notText(SourceLocation(file: path, line: 1), reason: "it starts with a UTF-16 byte-order mark")
        }
        let probe = bytes.prefix(1 << 16)
        if let nul = probe.firstIndex(of: 0) {
            let line = probe[..<nul].reduce(1) { $0 + ($1 == 0x0a ? 1 : 0) }
            throw DataError.notText(SourceLocation(file: path, line: line), reason: "it contains NUL bytes (binary data, or UTF-16/32 text)")
        }
    }

    /// Picks the candidate delimiter that splits the first lines (up to 20, outside
    /// quotes) into the same number of fields on every line, preferring more fields;
    /// falls back to the most frequent candidate, then to a comma.
    static func detectDelimiter(_ bytes: [UInt8]) -> UInt8 {
        var counts = [[Int]](repeating: [], count: candidateDelimiters.count)
        var current = [Int](repeating: 0, count: candidateDelimiters.count)
        var inQuotes = false
        var lines = 0
        var lineHasContent = false
        for byte in bytes.prefix(1 << 16) {
            if byte == 0x22 { inQuotes.toggle() }
            if inQuotes { continue }
            if byte == 0x0a {
                if lineHasContent {
                    for candidate in counts.indices { counts[candidate].append(current[candidate]) }
                    lines += 1
                }
                current = current.map { _ in 0 }
                lineHasContent = false
                if lines == 20 { break }
                continue
            }
            if byte != 0x0d { lineHasContent = true }
            if let candidate = candidateDelimiters.firstIndex(of: byte) { current[candidate] += 1 }
        }
        if lineHasContent, lines < 20 {
            for candidate in counts.indices { counts[candidate].append(current[candidate]) }
        }
        var best: (index: Int, fields: Int)? = nil
        for (index, perLine) in counts.enumerated() {
            guard let first = perLine.first, first > 0, perLine.allSatisfy({ $0 == first }) else { continue }
            if best == nil || first > best!.fields { best = (index, first) }
        }
        if let best { return candidateDelimiters[best.index] }
        let totals = counts.map { $0.reduce(0, +) }
        if let top = totals.indices.max(by: { totals[$0] < totals[$1] }), totals[top] > 0 {
            return candidateDelimiters[top]
        }
        return 0x2c
    }

    /// Offset just past the first record terminator (CR or LF, as libcsv) at or after
    /// `start` that lies outside quotes, or nil if the bytes end first. After a CRLF the
    /// LF stays for the data parser, which counts it as the line's end.
    static func endOfRecord(in bytes: [UInt8], from start: Int) -> Int? {
        var inQuotes = false
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x22 { inQuotes.toggle() } else if (byte == 0x0a || byte == 0x0d), !inQuotes { return index + 1 }
            index += 1
        }
        return nil
    }

    /// Parses the first record of `bytes` (which must contain it whole, or be the whole
    /// file) as the header, or counts its fields when the file has no header.
    static func read(_ bytes: [UInt8], isWholeFile: Bool, options: ReadOptions, path: String) throws -> CSVPreamble? {
        let delimiter = options.delimiter ?? detectDelimiter(bytes)
        // Skip blank lines before the first record.
        var start = 0
        var blankLines = 0
        while start < bytes.count, bytes[start] == 0x0a || bytes[start] == 0x0d {
            if bytes[start] == 0x0a { blankLines += 1 }
            start += 1
        }
        if start == bytes.count { throw DataError.emptyFile(path: path) }
        guard let end = endOfRecord(in: bytes, from: start) ?? (isWholeFile ? bytes.count : nil) else { return nil }

        let sink = HeaderSink()
        let parser = LibCSVParser(delimiter: delimiter)
        let record = bytes[start..<end]
        do throws(LibCSVParser.Failure) {
            try parser.parseAll(Array(record), into: sink)
        } catch .malformed {
            throw DataError.malformedQuote(SourceLocation(file: path, line: blankLines + 1, columnIndex: sink.fields.count + 1),
                                           offendingText: String(decoding: record.prefix(80), as: UTF8.self))
        } catch .unterminatedQuote {
            throw DataError.unterminatedQuote(SourceLocation(file: path, line: blankLines + 1, columnIndex: sink.fields.count))
        } catch {
            throw DataError.unreadable(path: path, reason: "out of memory while parsing the header")
        }
        let headerLines = record.reduce(0) { $0 + ($1 == 0x0a ? 1 : 0) }
        var names: [String] = []
        for (index, field) in sink.fields.enumerated() {
            guard let name = String(validating: field, as: UTF8.self) else {
                throw DataError.invalidUTF8(SourceLocation(file: path, line: blankLines + 1, columnIndex: index + 1),
                                            offendingText: String(decoding: field, as: UTF8.self))
            }
            names.append(name)
        }
        if !options.hasHeader {
            return CSVPreamble(delimiter: delimiter, columnNames: names.indices.map { "column_\($0 + 1)" },
                               dataOffset: start, linesBeforeData: blankLines, hadByteOrderMark: false)
        }
        var seen: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            let location = SourceLocation(file: path, line: blankLines + 1, columnIndex: index + 1, columnName: name)
            if name.allSatisfy(\.isWhitespace) { throw DataError.emptyColumnName(location) }
            if let first = seen[name] { throw DataError.duplicateColumnName(location, name: name, firstIndex: first + 1) }
            seen[name] = index
        }
        return CSVPreamble(delimiter: delimiter, columnNames: names, dataOffset: end,
                           linesBeforeData: blankLines + headerLines + (end == bytes.count && bytes.last != 0x0a ? 1 : 0),
                           hadByteOrderMark: false)
    }
}

/// Collects the fields of the first record.
private final class HeaderSink: FieldSink {
    var fields: [[UInt8]] = []
    var done = false
    override func field(_ bytes: UnsafePointer<UInt8>, count: Int) {
        if !done { fields.append(Array(UnsafeBufferPointer(start: bytes, count: count))) }
    }
    override func endRecord(_ terminator: Int32) {
        if !fields.isEmpty { done = true }
    }
}

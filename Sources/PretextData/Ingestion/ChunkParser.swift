#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A problem found while parsing one chunk, located by the chunk-local line.
struct ChunkIssue: Sendable {
    enum Kind: Sendable {
        case ragged(expected: Int, actual: Int)
        case invalidUTF8
        case nulByte
        case outOfRange
        case malformedQuote
        case unterminatedQuote
    }
    var kind: Kind
    var localLine: Int          // 0-based, relative to the chunk's first line
    var column: Int?            // 0-based
    var text: String
}

/// What every chunk parser of one read shares.
struct ChunkPlan: Sendable {
    var delimiter: UInt8
    var columnCount: Int
    var forcedText: [Bool]      // (columns,)
    var missing: MissingTokenMatcher
    var skipBadRows: Bool
    /// Send every chunk through libcsv, even quote-free ones (for differential tests).
    var alwaysUseLibCSV = false
}

/// The columnar result of parsing one chunk.
final class ChunkResult: @unchecked Sendable {
    var columns: [ChunkColumn]
    var rowCount = 0
    var lineCount = 0            // newlines consumed
    var issue: ChunkIssue?
    var skippedRowLines: [Int] = []   // local lines of skipped ragged rows
    var skippedRowCount = 0

    init(columns: [ChunkColumn]) { self.columns = columns }
}

/// Parses one chunk of whole records with libcsv straight into columns.
///
/// Lines are counted exactly: libcsv reports every newline outside a record
/// (`CSV_REPALL_NL`), and newlines inside quoted fields are counted when the chunk
/// has any quote at all. The mutable state lives behind a pointer so the per-field
/// path pays no dynamic exclusivity checks on class properties.
final class ChunkParser: FieldSink {
    private struct State {
        /// (plan.columnCount,) a raw buffer: an array's uniqueness check on every
        /// mutating field store cost a call per text field.
        var columns: UnsafeMutablePointer<ColumnBuilder>
        var capacity = 0                 // rows every column buffer can hold
        var rowCount = 0
        var fieldIndex = 0
        var line = 0
        var recordLine = 0
        var embeddedNewlines = 0
        var issue: ChunkIssue?
        var skippedRowLines: [Int] = []
        var skippedRowCount = 0
    }

    private let plan: ChunkPlan
    private let countEmbeddedNewlines: Bool
    private let forcedText: UnsafeMutablePointer<Bool>
    private let missingFirstBytes: UnsafeMutablePointer<Bool>   // (256,)
    private let missingLongest: Int
    private let state: UnsafeMutablePointer<State>

    init(plan: ChunkPlan, estimatedRows: Int, hasQuotes: Bool) {
        self.plan = plan
        self.countEmbeddedNewlines = hasQuotes
        forcedText = .allocate(capacity: max(1, plan.columnCount))
        forcedText.initialize(from: plan.forcedText, count: plan.columnCount)
        missingFirstBytes = .allocate(capacity: 256)
        missingFirstBytes.initialize(from: plan.missing.firstBytes, count: 256)
        missingLongest = plan.missing.longest
        state = .allocate(capacity: 1)
        let columns = UnsafeMutablePointer<ColumnBuilder>.allocate(capacity: max(1, plan.columnCount))
        for index in 0..<plan.columnCount { (columns + index).initialize(to: ColumnBuilder(capacity: estimatedRows)) }
        state.initialize(to: State(columns: columns, capacity: max(1, estimatedRows)))
    }

    deinit {
        forcedText.deallocate()
        missingFirstBytes.deallocate()
        state.pointee.columns.deinitialize(count: plan.columnCount)
        state.pointee.columns.deallocate()
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// Parses the whole chunk; the chunk ends at a record boundary or at end of input.
    static func parse(_ bytes: UnsafeRawBufferPointer, plan: ChunkPlan) -> ChunkResult {
        let newlineCount = countNewlines(bytes)
        let hasQuotes = memchr(bytes.baseAddress!, 0x22, bytes.count) != nil
        if !plan.alwaysUseLibCSV {
            let parser = ChunkParser(plan: plan, estimatedRows: newlineCount + 1, hasQuotes: hasQuotes)
            if parser.split(bytes) { return parser.takeResult() }
            _ = parser.takeResult()   // frees the column buffers
            // Quoting the splitter does not take: libcsv's rules and messages decide.
        }
        let parser = ChunkParser(plan: plan, estimatedRows: newlineCount + 1, hasQuotes: hasQuotes)
        let csv = LibCSVParser(delimiter: plan.delimiter)
        do {
            try csv.parse(bytes, into: parser)
            try csv.finish(into: parser)
        } catch .malformed(let offset) {
            let line = countNewlines(UnsafeRawBufferPointer(rebasing: bytes[0..<offset]))
            let start = max(0, offset - 20)
            let near = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<min(bytes.count, offset + 20)]), as: UTF8.self)
            parser.setIssue(ChunkIssue(kind: .malformedQuote, localLine: line, column: parser.state.pointee.fieldIndex, text: near))
        } catch .unterminatedQuote {
            parser.setIssue(ChunkIssue(kind: .unterminatedQuote, localLine: parser.state.pointee.recordLine,
                                       column: parser.state.pointee.fieldIndex, text: ""))
        } catch {
            parser.setIssue(ChunkIssue(kind: .unterminatedQuote, localLine: parser.state.pointee.recordLine, column: nil, text: "out of memory"))
        }
        return parser.takeResult()
    }

    private func takeResult() -> ChunkResult {
        let rows = state.pointee.rowCount
        let columns = state.pointee.columns
        let result = ChunkResult(columns: (0..<plan.columnCount).map { columns[$0].finish(rows: rows) })
        result.rowCount = state.pointee.rowCount
        result.lineCount = state.pointee.line
        result.issue = state.pointee.issue
        result.skippedRowLines = state.pointee.skippedRowLines
        result.skippedRowCount = state.pointee.skippedRowCount
        return result
    }

    /// Splits a chunk into fields and records, following libcsv's rules exactly (a
    /// differential test holds it to them): fields separated by the delimiter, records
    /// ended by CR or LF, spaces and tabs around a field trimmed, blank or whitespace-only
    /// lines no records, every LF reported for line counting. A quoted field — spaces,
    /// `"`, any bytes with `""` for a quote (delimiters and line breaks included), `"`,
    /// spaces, then a delimiter, line break or the end — is handed on as its content,
    /// unescaped only when it holds `""`. Returns false, having stopped, at any other
    /// use of a quote (one inside an unquoted field, text after a closing quote, no
    /// closing quote): the caller then parses the chunk with libcsv, whose rules and
    /// messages decide those.
    ///
    /// Why not libcsv throughout: libcsv walks a state machine per byte and copies each
    /// field (162 MB/s on one core of the reference machine, before any number
    /// conversion). Here a field that starts like a number is converted in the same pass
    /// that finds its end; quoted fields are found with `memchr`; anything else is
    /// scanned to the next delimiter and handed to `field`.
    private func split(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return true }
        let quote: UInt8 = 0x22
        var scratch: [UInt8] = []
        let count = bytes.count
        let delimiter = plan.delimiter
        let trimsTab = delimiter != 0x09
        @inline(__always) func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte == 0x09 && trimsTab) }
        @inline(__always) func emit(_ start: Int, _ end: Int) {
            var low = start, high = end
            while low < high, isSpace(base[low]) { low += 1 }
            while high > low, isSpace(base[high - 1]) { high -= 1 }
            store(base + low, count: high - low, mayHoldNewlines: false)
        }
        @inline(__always) func isBlank(_ start: Int, _ end: Int) -> Bool {
            var position = start
            while position < end {
                if !isSpace(base[position]) { return false }
                position += 1
            }
            return true
        }
        var fieldsInRecord = 0
        var index = 0
        while index < count {
            // Fast path: a field that is one number.
            var position = index
            while position < count, isSpace(base[position]) { position += 1 }
            let column = state.pointee.fieldIndex
            if position < count, column < plan.columnCount, !forcedText[column] {
                let first = base[position]
                if (first &- 48) <= 9 || first == 0x2d || first == 0x2e || first == 0x2b {
                    let (number, stop) = FastFloat.scanShort(base, from: position, limit: count).map { (ParsedNumber.value($0.0), $0.1) }
                        ?? FastFloat.scanGeneral(base, from: position, limit: count)
                    if case .value(let value) = number {
                        var after = stop
                        while after < count, isSpace(base[after]) { after += 1 }
                        if after == count {
                            numberField(value)
                            endRecord(-1)
                            return true
                        }
                        let byte = base[after]
                        if byte == delimiter {
                            numberField(value)
                            fieldsInRecord += 1
                            index = after + 1
                            continue
                        }
                        if byte == 0x0a || byte == 0x0d {
                            numberField(value)
                            endRecord(Int32(byte))
                            fieldsInRecord = 0
                            index = after + 1
                            continue
                        }
                    }
                }
            }
            // A quoted field: its content up to the closing quote (`""` is a quote).
            if position < count, base[position] == quote {
                var cursor = position + 1, escaped = false
                var closing = -1
                while cursor < count {
                    guard let found = memchr(base + cursor, Int32(quote), count - cursor) else { return false }   // unterminated
                    let at = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - UnsafePointer(base)
                    if at + 1 < count, base[at + 1] == quote {
                        escaped = true
                        cursor = at + 2
                        continue
                    }
                    closing = at
                    break
                }
                guard closing >= 0 else { return false }
                var after = closing + 1
                while after < count, isSpace(base[after]) { after += 1 }
                guard after == count || base[after] == delimiter || base[after] == 0x0a || base[after] == 0x0d else { return false }
                let start = position + 1
                if escaped {
                    scratch.removeAll(keepingCapacity: true)
                    var byteIndex = start
                    while byteIndex < closing {
                        scratch.append(base[byteIndex])
                        byteIndex += base[byteIndex] == quote ? 2 : 1
                    }
                    scratch.withUnsafeBufferPointer { store($0.baseAddress ?? UnsafePointer(base), count: $0.count, mayHoldNewlines: true) }
                } else {
                    store(base + start, count: closing - start, mayHoldNewlines: true)
                }
                if after == count {
                    endRecord(-1)
                    return true
                }
                let byte = base[after]
                if byte == delimiter {
                    fieldsInRecord += 1
                } else {
                    endRecord(Int32(byte))
                    fieldsInRecord = 0
                }
                index = after + 1
                continue
            }
            // General path: scan to the end of the field; a quote inside it is libcsv's to judge.
            var end = index
            while end < count {
                let byte = base[end]
                if byte == delimiter || byte == 0x0a || byte == 0x0d { break }
                if byte == quote { return false }
                end += 1
            }
            if end == count {
                if fieldsInRecord > 0 || !isBlank(index, count) {
                    emit(index, count)
                    endRecord(-1)
                }
                return true
            }
            let byte = base[end]
            if byte == delimiter {
                emit(index, end)
                fieldsInRecord += 1
            } else {
                if fieldsInRecord > 0 || !isBlank(index, end) { emit(index, end) }
                endRecord(Int32(byte))
                fieldsInRecord = 0
            }
            index = end + 1
        }
        // The input ended right after a delimiter: the record's last field is empty.
        if fieldsInRecord > 0 {
            store(base, count: 0, mayHoldNewlines: false)
            endRecord(-1)
        }
        return true
    }

    /// Notes the record's first line and makes room for its row.
    @inline(__always)
    private func startRecord() {
        state.pointee.recordLine = state.pointee.line
        if state.pointee.rowCount >= state.pointee.capacity {
            for index in 0..<plan.columnCount { state.pointee.columns[index].grow() }
            state.pointee.capacity *= 2
        }
    }

    private func setIssue(_ issue: ChunkIssue) {
        if state.pointee.issue == nil { state.pointee.issue = issue }
    }

    /// `field` for a value the splitter already converted.
    @inline(__always)
    private func numberField(_ value: Float) {
        let state = self.state
        let column = state.pointee.fieldIndex
        if column == 0 { startRecord() }
        state.pointee.fieldIndex = column + 1
        guard column < plan.columnCount, state.pointee.issue == nil else { return }
        state.pointee.columns[column].setNumber(value, row: state.pointee.rowCount)
    }

    // MARK: - libcsv callbacks

    override func field(_ bytes: UnsafePointer<UInt8>, count: Int) {
        store(bytes, count: count, mayHoldNewlines: countEmbeddedNewlines)
    }

    /// Stores one field's bytes in its column: missing, a number, or interned text.
    /// `mayHoldNewlines`: the field came from inside quotes, so its line breaks count
    /// towards line numbers (an unquoted field ends at one; the splitter says which).
    @inline(__always)
    private func store(_ bytes: UnsafePointer<UInt8>, count: Int, mayHoldNewlines: Bool) {
        let state = self.state
        if state.pointee.fieldIndex == 0 { startRecord() }
        if mayHoldNewlines, count > 0, ByteCount.contains(0x0a, in: bytes, count: count) {
            state.pointee.embeddedNewlines += Self.countNewlines(bytes, count: count)
        }
        let column = state.pointee.fieldIndex
        state.pointee.fieldIndex = column + 1
        guard column < plan.columnCount, state.pointee.issue == nil else { return }
        let row = state.pointee.rowCount
        if count == 0 || (count <= missingLongest && missingFirstBytes[Int(bytes[0])] && plan.missing.matches(bytes, count: count)) {
            state.pointee.columns[column].setMissing(row: row)
            return
        }
        if !forcedText[column], FastFloat.mayStartNumber(bytes[0]) {
            switch FastFloat.parse(bytes, count: count) {
            case .value(let value):
                state.pointee.columns[column].setNumber(value, row: row)
                return
            case .outOfRange:
                state.pointee.columns[column].setMissing(row: row)
                setIssue(ChunkIssue(kind: .outOfRange, localLine: state.pointee.recordLine, column: column, text: Self.lossyText(bytes, count)))
                return
            case .notANumber:
                break
            }
        }
        let line = state.pointee.recordLine
        // Text is refused (NUL bytes, invalid UTF-8) only when first interned, so the NUL
        // scan runs once per distinct value, not once per field.
        guard state.pointee.columns[column].setText(bytes, count: count, row: row, line: line) else {
            state.pointee.columns[column].setMissing(row: row)
            let kind: ChunkIssue.Kind = memchr(bytes, 0, count) != nil ? .nulByte : .invalidUTF8
            setIssue(ChunkIssue(kind: kind, localLine: line, column: column, text: Self.lossyText(bytes, count)))
            return
        }
    }

    override func endRecord(_ terminator: Int32) {
        let state = self.state
        let fields = state.pointee.fieldIndex
        if fields == 0 {
            if terminator == 0x0a { state.pointee.line += 1 }
            return
        }
        if fields != plan.columnCount {
            // The row index does not advance, so the next record overwrites this one.
            if plan.skipBadRows {
                state.pointee.skippedRowCount += 1
                if state.pointee.skippedRowLines.count < 10 { state.pointee.skippedRowLines.append(state.pointee.recordLine) }
            } else {
                setIssue(ChunkIssue(kind: .ragged(expected: plan.columnCount, actual: fields), localLine: state.pointee.recordLine,
                                    column: nil, text: ""))
            }
        } else if state.pointee.issue == nil {
            state.pointee.rowCount += 1
        }
        state.pointee.line += state.pointee.embeddedNewlines + (terminator == 0x0a ? 1 : 0)
        state.pointee.embeddedNewlines = 0
        state.pointee.fieldIndex = 0
    }

    // MARK: - Helpers

    /// LF bytes among `count` bytes.
    @inline(__always)
    static func countNewlines(_ bytes: UnsafePointer<UInt8>, count: Int) -> Int {
        ByteCount.count(0x0a, in: bytes, count: count)
    }

    /// LF bytes in `bytes`.
    static func countNewlines(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        return countNewlines(base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
    }

    static func lossyText(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: bytes, count: min(count, 200)), as: UTF8.self)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One column's values from one chunk of records, before the column's type is known.
///
/// Every field is tried as a number first (unless the column is forced to text):
/// numbers land in `values`; missing fields are NaN; other text is NaN in `values`
/// and dictionary-coded in `textCodes` (allocated at the first text, so numeric
/// columns cost 4 bytes per cell).
struct ChunkColumn {
    enum Kind: UInt8 { case number, missing, text }

    var values: [Float] = []        // (rows,) NaN where missing or text
    var textCodes: [Int32] = []     // (rows,) or empty; −1 where not text
    var dictionary: [String: Int32] = [:]
    var texts: [String] = []        // code → text, in order of first appearance
    var numberCount = 0
    var missingCount = 0
    var textCount = 0
    /// The first few texts in this chunk, with their local line, for reports.
    var textExamples: [(line: Int, text: String)] = []
    private var lastKind: Kind = .missing

    init(reservingRows rows: Int) {
        values.reserveCapacity(rows)
    }

    @inline(__always)
    mutating func appendNumber(_ value: Float) {
        values.append(value)
        if !textCodes.isEmpty { textCodes.append(-1) }
        if value.isNaN { missingCount += 1; lastKind = .missing } else { numberCount += 1; lastKind = .number }
    }

    @inline(__always)
    mutating func appendMissing() {
        values.append(.nan)
        if !textCodes.isEmpty { textCodes.append(-1) }
        missingCount += 1
        lastKind = .missing
    }

    mutating func appendText(_ text: String, line: Int) {
        if textCodes.isEmpty {
            textCodes.reserveCapacity(values.capacity)
            textCodes.append(contentsOf: repeatElement(-1, count: values.count))
        }
        values.append(.nan)
        let code: Int32
        if let known = dictionary[text] {
            code = known
        } else {
            code = Int32(texts.count)
            dictionary[text] = code
            texts.append(text)
        }
        textCodes.append(code)
        textCount += 1
        lastKind = .text
        if textExamples.count < 3 { textExamples.append((line, text)) }
    }

    /// Undoes the last append (used when a ragged row is skipped).
    mutating func removeLast() {
        values.removeLast()
        if !textCodes.isEmpty { textCodes.removeLast() }
        switch lastKind {
        case .number: numberCount -= 1
        case .missing: missingCount -= 1
        case .text: textCount -= 1
        }
    }
}

/// Recognises the configured missing-value tokens without building strings.
struct MissingTokenMatcher: Sendable {
    private let tokens: [[UInt8]]
    let firstBytes: [Bool]   // (256,)
    let longest: Int

    init(_ tokens: Set<String>) {
        let sorted = tokens.filter { !$0.isEmpty }.sorted().map { Array($0.utf8) }
        self.tokens = sorted
        var firstBytes = [Bool](repeating: false, count: 256)
        for token in sorted { firstBytes[Int(token[0])] = true }
        self.firstBytes = firstBytes
        longest = sorted.map(\.count).max() ?? 0
    }

    @inline(__always)
    func matches(_ bytes: UnsafePointer<UInt8>, count: Int) -> Bool {
        if count == 0 { return true }
        if count > longest || !firstBytes[Int(bytes[0])] { return false }
        for token in tokens where token.count == count {
            if token.withUnsafeBufferPointer({ memcmp($0.baseAddress!, bytes, count) == 0 }) { return true }
        }
        return false
    }
}

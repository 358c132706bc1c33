#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One column's values from one chunk of records, before the column's type is known
/// (built by `ColumnBuilder`).
///
/// Numbers are in `values`; missing fields are NaN; other text is NaN in `values` and
/// dictionary-coded in `textCodes` (present only if the chunk had text in this column,
/// so numeric columns cost 4 bytes per cell).
struct ChunkColumn {
    var values: [Float] = []        // (rows,) NaN where missing or text
    var textCodes: [Int32] = []     // (rows,) or empty; −1 where not text
    var texts: [String] = []        // code → text, in order of first appearance
    var numberCount = 0
    var missingCount = 0
    var textCount = 0
    /// The first few texts in this chunk, with their local line, for reports.
    var textExamples: [(line: Int, text: String)] = []

    init(reservingRows rows: Int) {
        values.reserveCapacity(rows)
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

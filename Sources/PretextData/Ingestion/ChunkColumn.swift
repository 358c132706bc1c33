#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A chunk column's buffer of `count` values, adopted from its `ColumnBuilder` as it was
/// written (no copy at the chunk's end) and freed with the last reference to it.
final class ChunkBuffer<Element: BitwiseCopyable>: @unchecked Sendable {
    private let base: UnsafeMutablePointer<Element>
    let count: Int

    /// Takes ownership of `base`, which must have been allocated with
    /// `UnsafeMutablePointer.allocate` and hold at least `count` initialized values.
    init(adopting base: UnsafeMutablePointer<Element>, count: Int) {
        self.base = base
        self.count = count
    }

    deinit { base.deallocate() }

    var buffer: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }
}

/// One column's values from one chunk of records, before the column's type is known
/// (built by `ColumnBuilder`).
///
/// Numbers are in `values`; missing fields are NaN; other text is NaN in `values` and
/// dictionary-coded in `textCodes`. Each buffer is present only when needed — `textCodes`
/// if the chunk had text in this column, `values` if it had a number — so a numeric or a
/// text column costs 4 bytes per cell until it is assembled (a table's own size).
struct ChunkColumn {
    var rowCount = 0
    var values: ChunkBuffer<Float>? = nil      // (rows,) NaN where missing or text; nil: no number
    var textCodes: ChunkBuffer<Int32>? = nil   // (rows,) −1 where not text; nil: no text
    var texts: [String] = []        // code → text, in order of first appearance
    var numberCount = 0
    var missingCount = 0
    var textCount = 0
    /// The first few texts in this chunk, with their local line, for reports.
    var textExamples: [(line: Int, text: String)] = []

    /// Every row's number (NaN where missing or text), appended to `output`.
    func appendValues(to output: inout [Float]) {
        if let values { output.append(contentsOf: values.buffer) } else { output.append(contentsOf: repeatElement(Float.nan, count: rowCount)) }
    }

    /// Every row's number (NaN where missing or text).
    var allValues: [Float] { values.map { Array($0.buffer) } ?? Array(repeating: .nan, count: rowCount) }
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

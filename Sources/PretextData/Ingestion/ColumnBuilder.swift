/// One column's values for one chunk while it is parsed: raw buffers written at the
/// record's row index, so a field costs one store and a ragged record (whose row index
/// never advances) is simply overwritten by the next one.
///
/// `finish` turns it into a `ChunkColumn` that adopts its buffers; a builder is
/// finished exactly once.
struct ColumnBuilder {
    private(set) var capacity: Int
    private(set) var values: UnsafeMutablePointer<Float>          // (capacity,) NaN = missing or text
    private(set) var textCodes: UnsafeMutablePointer<Int32>? = nil   // (capacity,) −1 = not text; rows from the first text on
    private var interner = ByteInterner()
    private var textExamples: [(line: Int, text: String)] = []

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        values = .allocate(capacity: self.capacity)
    }

    /// Doubles the buffers (the row estimate counts LF bytes, but a lone CR also ends a
    /// record, so CR-only files can have more records than the estimate).
    mutating func grow() {
        let newCapacity = capacity * 2
        let newValues = UnsafeMutablePointer<Float>.allocate(capacity: newCapacity)
        newValues.initialize(from: values, count: capacity)   // trivial values: a copy, set or not
        values.deallocate()
        values = newValues
        if let textCodes {
            let newCodes = UnsafeMutablePointer<Int32>.allocate(capacity: newCapacity)
            newCodes.initialize(from: textCodes, count: capacity)
            textCodes.deallocate()
            self.textCodes = newCodes
        }
        capacity = newCapacity
    }

    @inline(__always)
    func setNumber(_ value: Float, row: Int) {
        values[row] = value
        textCodes?[row] = -1
    }

    @inline(__always)
    func setMissing(row: Int) {
        values[row] = .nan
        textCodes?[row] = -1
    }

    /// Records the text in `bytes` at `row` (interned: a new `String` only for a value
    /// this chunk has not seen); false when those bytes hold a NUL byte or are not valid
    /// UTF-8.
    @_transparent
    mutating func setText(_ bytes: UnsafePointer<UInt8>, count: Int, row: Int, line: Int) -> Bool {
        guard let code = interner.code(bytes, count: count) else { return false }
        if textCodes == nil {
            // Only the rows before this one need "not text": a row is counted only once
            // every column has written it, so each later row is written before it is read.
            let codes = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
            codes.initialize(repeating: -1, count: row)
            textCodes = codes
        }
        values[row] = .nan
        textCodes![row] = code
        if textExamples.count < 3 { textExamples.append((line, interner.texts[Int(code)])) }
        return true
    }

    /// The first `rows` rows as a `ChunkColumn`, which adopts the buffers it needs (no
    /// copy) and frees the rest (the interner's too).
    func finish(rows: Int) -> ChunkColumn {
        var column = ChunkColumn()
        column.rowCount = rows
        // Branch-free counts on the bits (NaN: exponent all ones, significand not zero),
        // which the compiler vectorises; `isNaN` in a filtered loop was two branches a cell.
        var numbers = 0, textCount = 0
        values.withMemoryRebound(to: UInt32.self, capacity: rows) { bits in
            var row = 0
            while row < rows {
                numbers &+= bits[row] & 0x7fff_ffff > 0x7f80_0000 ? 0 : 1
                row &+= 1
            }
        }
        if numbers > 0 { column.values = ChunkBuffer(adopting: values, count: rows) } else { values.deallocate() }
        if let textCodes {
            var row = 0
            while row < rows {
                textCount &+= textCodes[row] >= 0 ? 1 : 0
                row &+= 1
            }
            column.textCodes = ChunkBuffer(adopting: textCodes, count: rows)
        }
        column.numberCount = numbers
        column.textCount = textCount
        column.missingCount = rows - numbers - textCount
        column.texts = interner.texts
        interner.deallocate()
        column.textExamples = textExamples
        return column
    }
}

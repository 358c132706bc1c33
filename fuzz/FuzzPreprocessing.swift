// libFuzzer entry point for the preprocessing of hostile values: the input is decoded
// into a table of numeric columns (any Float bit pattern, and NaN, ±inf, ±1e38, the
// smallest normal and subnormal numbers drawn often), a datetime column and categorical
// columns with up to 65,536 categories, a Preprocessor (standardize or quantile-normal,
// indicators and imputation on or off) is fitted on a prefix of the rows and applied to
// every row. Fitting may refuse with a typed error; a crash is a bug, and so is any
// non-finite output when missing values are imputed (the network would read it).
// Built by fuzz/run.sh together with PretextData's sources as one module.

private let specials: [Float] = [.nan, .infinity, -.infinity, 1e38, -1e38, .leastNormalMagnitude,
                                 .leastNonzeroMagnitude, -.greatestFiniteMagnitude, 0, -0.0, 1, -1]

private let allCategories = (0..<65_536).map { "c\($0)" }

private struct Bytes {
    let data: UnsafePointer<UInt8>
    let size: Int
    var position = 0
    mutating func byte() -> UInt8? {
        guard position < size else { return nil }
        defer { position += 1 }
        return data[position]
    }
    mutating func uint32() -> UInt32? {
        guard position + 4 <= size else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 { value = value << 8 | UInt32(data[position]); position += 1 }
        return value
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPreprocessing(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = Bytes(data: data, size: size)
    guard let control = input.byte(), let shape = input.byte() else { return 0 }
    let numericCount = 1 + Int(shape & 3)
    let categoricalCount = Int(shape >> 2) & 3
    let rows = 1 + Int(shape >> 4) * 4
    // Mostly small vocabularies; a huge one (up to 65,536 categories) when bits 6 and 7 are set.
    let vocabularySize = 1 + Int(input.uint32() ?? 0) % (control & 0xC0 == 0xC0 ? 65_536 : 256)
    var columns: [Column] = []
    for index in 0..<numericCount {
        var values = [Float](repeating: 0, count: rows)
        for row in 0..<rows {
            guard let tag = input.byte() else { break }
            if tag < 128 {
                values[row] = specials[Int(tag) % specials.count]
            } else {
                values[row] = input.uint32().map { Float(bitPattern: $0) } ?? Float(tag)
            }
        }
        columns.append(Column(name: "x\(index)", type: index == 3 ? .boolean : .numeric, storage: .numeric(values)))
    }
    var seconds = [Double](repeating: .nan, count: rows)
    for row in 0..<rows { if let tag = input.byte(), tag != 0 { seconds[row] = Double(Float(bitPattern: UInt32(tag) << 23 | 0x4000_0000)) } }
    columns.append(Column(name: "when", type: .datetime, storage: .datetime(seconds)))
    let vocabulary = Array(allCategories.prefix(vocabularySize))
    for index in 0..<categoricalCount {
        var codes = [Int32](repeating: -1, count: rows)
        for row in 0..<rows {
            guard let high = input.byte(), let low = input.byte() else { break }
            let code = Int(high) << 8 | Int(low)
            codes[row] = code == 0xFFFF ? -1 : Int32(code % vocabularySize)
        }
        columns.append(Column(name: "k\(index)", type: .categorical, storage: .categorical(codes: codes, vocabulary: vocabulary)))
    }
    let table = Table(columns: columns, source: "fuzz")
    var config = PreprocessingConfig()
    config.numericTransform = control & 1 == 0 ? .standardize : .quantileNormal
    config.missingIndicators = control & 2 != 0
    config.imputeMissing = control & 4 != 0
    config.quantileCount = 10 + Int(control >> 3) * 3
    config.minimumCategoryCount = 1 + Int(control >> 6) & 1
    let fitRows = Array(0..<max(1, rows / 2 + Int(control & 1)))
    guard let fitted = try? Preprocessor(config: config).fit(table, rows: fitRows),
          let (matrix, _) = try? fitted.transform(table) else { return 0 }
    precondition(matrix.rows == rows && matrix.values.count == rows * matrix.columns, "matrix shape")
    if config.imputeMissing {
        for value in matrix.values where !value.isFinite { fatalError("non-finite feature \(value) from finite-or-missing input") }
    }
    return 0
}

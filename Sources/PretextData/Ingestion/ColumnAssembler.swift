#if canImport(Glibc)
import Glibc
#endif

/// Turns one column's chunk-by-chunk pieces into a typed `Column`: infers the type
/// from all of its values, builds one vocabulary across chunks (in order of first
/// appearance, so the result does not depend on the thread count) and frees each
/// piece as soon as it is copied.
///
/// Inference, for a column without a given type:
/// - no text values → `numeric` (an all-missing column too, with a note);
/// - only text: `boolean` if every distinct text is true/false/yes/no (any case),
///   `datetime` if every one is ISO 8601, else `categorical`;
/// - numbers and text: `numeric` if text is at most `strayTextTolerance` of the
///   present values (the strays are reported and read as missing), otherwise the
///   column is categorical and must be read again with its raw text kept.
enum ColumnAssembler {
    /// Hands memory freed by a merged column's pieces back to the system, so peak
    /// memory stays near the table's size rather than twice it (the pieces are small
    /// heap blocks that would otherwise stay resident).
    static func releaseFreedMemory() {
        mallocTrim?(0)
    }

    /// glibc's `malloc_trim`, looked up at run time (it is not in Swift's Glibc module).
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        #else
        return nil
        #endif
    }()

    enum Outcome {
        case column(Column, strays: ReadReport.StrayValues?, note: String?)
        case needsTextPass
    }

    static let trueTokens: Set<String> = ["true", "yes"]
    static let falseTokens: Set<String> = ["false", "no"]

    static func assemble(index column: Int, name: String, given: ColumnType?, results: [ChunkResult],
                         chunkStartLines: [Int], strayTextTolerance: Double) -> Outcome {
        var numbers = 0, texts = 0, missing = 0, rows = 0
        for result in results {
            let part = result.columns[column]
            numbers += part.numberCount
            texts += part.textCount
            missing += part.missingCount
            rows += part.values.count
        }

        if texts == 0 || given == .numeric {
            var values = [Float]()
            values.reserveCapacity(rows)
            for result in results {
                values.append(contentsOf: result.columns[column].values)
                result.columns[column] = ChunkColumn(reservingRows: 0)
            }
            let note = numbers == 0 ? "column \"\(name)\" has no values (all missing)" : nil
            return .column(Column(name: name, type: .numeric, storage: .numeric(values)), strays: nil, note: note)
        }
        if numbers > 0 {
            let strayShare = Double(texts) / Double(numbers + texts)
            guard strayShare <= strayTextTolerance else { return .needsTextPass }
            var values = [Float]()
            values.reserveCapacity(rows)
            var examples: [ReadReport.Example] = []
            for (chunk, result) in results.enumerated() {
                for example in result.columns[column].textExamples where examples.count < 3 {
                    examples.append(.init(line: chunkStartLines[chunk] + example.line, text: example.text))
                }
                values.append(contentsOf: result.columns[column].values)
                result.columns[column] = ChunkColumn(reservingRows: 0)
            }
            let strays = ReadReport.StrayValues(column: name, count: texts, examples: examples)
            return .column(Column(name: name, type: .numeric, storage: .numeric(values)), strays: strays, note: nil)
        }

        // Text only: one vocabulary across chunks, in order of first appearance.
        var vocabulary: [String] = []
        var globalCode: [String: Int32] = [:]
        var localMaps: [[Int32]] = []
        for result in results {
            localMaps.append(result.columns[column].texts.map { text in
                if let code = globalCode[text] { return code }
                let code = Int32(vocabulary.count)
                globalCode[text] = code
                vocabulary.append(text)
                return code
            })
        }
        let type = given ?? inferTextType(vocabulary)
        switch type {
        case .boolean:
            let table = vocabulary.map { text -> Float in
                let lowered = text.lowercased()
                return trueTokens.contains(lowered) ? 1 : (falseTokens.contains(lowered) ? 0 : .nan)
            }
            // Keep the data's own spelling of each value (first seen), e.g. "no"/"yes".
            let spellings = [Float(0), 1].map { value in vocabulary.first { table[vocabulary.firstIndex(of: $0)!] == value } ?? (value == 1 ? "true" : "false") }
            let values = gather(results, column: column, rows: rows, localMaps: localMaps) { $0 < 0 ? Float.nan : table[Int($0)] }
            return .column(Column(name: name, type: .boolean, storage: .numeric(values), booleanSpellings: spellings), strays: nil, note: nil)
        case .datetime:
            let table = vocabulary.map { ISODate.parse($0) ?? .nan }
            let values = gather(results, column: column, rows: rows, localMaps: localMaps) { $0 < 0 ? Double.nan : table[Int($0)] }
            return .column(Column(name: name, type: .datetime, storage: .datetime(values)), strays: nil, note: nil)
        case .categorical, .numeric:
            let codes = gather(results, column: column, rows: rows, localMaps: localMaps) { $0 }
            return .column(Column(name: name, type: .categorical, storage: .categorical(codes: codes, vocabulary: vocabulary)),
                           strays: nil, note: nil)
        }
    }

    static func inferTextType(_ vocabulary: [String]) -> ColumnType {
        let lowered = vocabulary.map { $0.lowercased() }
        if lowered.allSatisfy({ trueTokens.contains($0) || falseTokens.contains($0) }) { return .boolean }
        if vocabulary.allSatisfy({ ISODate.parse($0) != nil }) { return .datetime }
        return .categorical
    }

    /// Maps every row's global code (−1 = missing) through `transform`, chunk by chunk,
    /// freeing each chunk's piece after use.
    private static func gather<Value>(_ results: [ChunkResult], column: Int, rows: Int, localMaps: [[Int32]],
                                      _ transform: (Int32) -> Value) -> [Value] {
        var output = [Value]()
        output.reserveCapacity(rows)
        for (chunk, result) in results.enumerated() {
            let part = result.columns[column]
            let map = localMaps[chunk]
            if part.textCodes.isEmpty {
                output.append(contentsOf: repeatElement(transform(-1), count: part.values.count))
            } else {
                for code in part.textCodes { output.append(transform(code < 0 ? -1 : map[Int(code)])) }
            }
            result.columns[column] = ChunkColumn(reservingRows: 0)
        }
        return output
    }
}

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

    /// About how many times `assembleAll` hands freed memory back while it builds the
    /// columns (after each column of a table narrower than twice this). `malloc_trim`
    /// walks the whole heap, so trimming after every column costs columns × heap: on a
    /// 60,000 × 784 table it took longer than parsing the file (BENCHMARKS.md).
    static let trimsPerAssembly = 16

    /// Every column of `results`, in order, assembled on up to `threads` lanes (each lane
    /// takes the next column not yet taken, so one wide text column does not keep a lane
    /// busy while the other idles). The chunks' pieces are first moved out column by
    /// column, so each lane owns the pieces of the columns it took and frees them as it
    /// copies them; after every `columns / trimsPerAssembly`-th column (every column of a
    /// narrow table) the freed memory goes back to the system.
    static func assembleAll(names: [String], given: [String: ColumnType], results: [ChunkResult], chunkStartLines: [Int],
                            strayTextTolerance: Double, threads: Int) -> [Outcome] {
        let pieces = PiecesByColumn(results: results, columns: names.count)
        let trimEvery = max(1, names.count / trimsPerAssembly)
        return parallelMap(names.count, lanes: threads) { column in
            let outcome = pieces.assemble(column) { parts in
                assemble(name: names[column], given: given[names[column]], pieces: &parts,
                         chunkStartLines: chunkStartLines, strayTextTolerance: strayTextTolerance)
            }
            if (column + 1) % trimEvery == 0 { releaseFreedMemory() }
            return outcome
        }
    }

    /// - Parameter pieces: the column's piece from every chunk, in file order; each is
    ///   freed (replaced by an empty one) as soon as it is copied.
    static func assemble(name: String, given: ColumnType?, pieces: inout [ChunkColumn],
                         chunkStartLines: [Int], strayTextTolerance: Double) -> Outcome {
        var numbers = 0, texts = 0, missing = 0, rows = 0
        for part in pieces {
            numbers += part.numberCount
            texts += part.textCount
            missing += part.missingCount
            rows += part.rowCount
        }

        if texts == 0 || given == .numeric {
            var values = [Float]()
            values.reserveCapacity(rows)
            for chunk in pieces.indices {
                pieces[chunk].appendValues(to: &values)
                pieces[chunk] = ChunkColumn()
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
            for chunk in pieces.indices {
                for example in pieces[chunk].textExamples where examples.count < 3 {
                    examples.append(.init(line: chunkStartLines[chunk] + example.line, text: example.text))
                }
                pieces[chunk].appendValues(to: &values)
                pieces[chunk] = ChunkColumn()
            }
            let strays = ReadReport.StrayValues(column: name, count: texts, examples: examples)
            return .column(Column(name: name, type: .numeric, storage: .numeric(values)), strays: strays, note: nil)
        }

        // Text only: one vocabulary across chunks, in order of first appearance.
        var vocabulary: [String] = []
        var globalCode: [String: Int32] = [:]
        var localMaps: [[Int32]] = []
        for part in pieces {
            localMaps.append(part.texts.map { text in
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
            let values = gather(&pieces, rows: rows, localMaps: localMaps) { $0 < 0 ? Float.nan : table[Int($0)] }
            return .column(Column(name: name, type: .boolean, storage: .numeric(values), booleanSpellings: spellings), strays: nil, note: nil)
        case .datetime:
            let table = vocabulary.map { ISODate.parse($0) ?? .nan }
            let values = gather(&pieces, rows: rows, localMaps: localMaps) { $0 < 0 ? Double.nan : table[Int($0)] }
            return .column(Column(name: name, type: .datetime, storage: .datetime(values)), strays: nil, note: nil)
        case .categorical, .numeric:
            let codes = gather(&pieces, rows: rows, localMaps: localMaps) { $0 }
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
    /// freeing each chunk's piece after use; written in place into the column's buffer
    /// (an append per row cost a capacity check and a call each).
    private static func gather<Value>(_ pieces: inout [ChunkColumn], rows: Int, localMaps: [[Int32]],
                                      _ transform: (Int32) -> Value) -> [Value] {
        let missing = transform(-1)
        return [Value](unsafeUninitializedCapacity: rows) { output, initialized in
            var row = 0
            for chunk in pieces.indices {
                let part = pieces[chunk]
                precondition(row + part.rowCount <= rows, "chunk rows exceed the column's row count")
                if let textCodes = part.textCodes {
                    localMaps[chunk].withUnsafeBufferPointer { map in
                        for (offset, code) in textCodes.buffer.enumerated() {
                            (output.baseAddress! + row + offset).initialize(to: code < 0 ? missing : transform(map[Int(code)]))
                        }
                    }
                } else {
                    (output.baseAddress! + row).initialize(repeating: missing, count: part.rowCount)
                }
                row += part.rowCount
                pieces[chunk] = ChunkColumn()
            }
            precondition(row == rows, "chunk rows fall short of the column's row count")
            initialized = rows
        }
    }
}

/// The chunks' pieces regrouped by column, in a buffer allocated once: `parallelMap`
/// hands each column to one lane, which touches only that column's slot, so no two
/// lanes share one (and no Swift array is accessed from two threads).
private final class PiecesByColumn: @unchecked Sendable {
    private let pieces: UnsafeMutableBufferPointer<[ChunkColumn]>

    init(results chunks: [ChunkResult], columns: Int) {
        pieces = .allocate(capacity: columns)
        for column in 0..<columns { (pieces.baseAddress! + column).initialize(to: chunks.map { $0.columns[column] }) }
        for chunk in chunks { chunk.columns = [] }   // the pieces above are now the only references
    }

    deinit {
        pieces.baseAddress!.deinitialize(count: pieces.count)
        pieces.deallocate()
    }

    /// `body` on the column's pieces, which are freed afterwards.
    func assemble(_ column: Int, _ body: (inout [ChunkColumn]) -> ColumnAssembler.Outcome) -> ColumnAssembler.Outcome {
        let outcome = body(&pieces[column])
        pieces[column] = []
        return outcome
    }
}

import Dispatch

/// What one streamed pass over a file saw (`CSVReader.stream`).
struct StreamedPass {
    var names: [String]
    var rowCount = 0
    var textBytes = 0
    var fileBytes: Int
    var compressed: Bool
    var delimiter: UInt8
    var linesBeforeData: Int
    var skippedRowCount = 0
    /// File lines of the first skipped rows (at most 10).
    var skippedRowLines: [Int] = []
    /// The most chunks alive at once (being parsed, or parsed and not yet handed over).
    var mostChunksInFlight = 0
}

extension CSVReader {
    /// Parses `input` on every core and hands each chunk of records to `body` in file
    /// order, with the file line its first record starts on and the text bytes read so far
    /// (for progress), then lets it go: at most
    /// `maximumInFlight` chunks (default: twice the threads) exist at once, so memory is
    /// a few chunks whatever the file's size. A chunk with a problem (a ragged row,
    /// invalid UTF-8, …) throws the same error `read` would, naming file, line and column.
    ///
    /// `forcedText`: columns whose fields are kept as text (default: those given a
    /// non-numeric type in `options.columnTypes`).
    func stream(_ input: SpooledInput, forcedText: Set<String>? = nil, maximumInFlight: Int? = nil,
                _ body: (ChunkResult, _ startLine: Int, _ textBytesRead: Int) throws -> Void) throws -> StreamedPass {
        try validate()
        let opened = try open(input, givenTypes: options.columnTypes, forcedText: forcedText)
        let (source, plan, path) = (opened.source, opened.plan, input.name)
        var pass = StreamedPass(names: opened.names, textBytes: opened.textBytes, fileBytes: source.fileSize, compressed: source.isCompressed,
                                delimiter: opened.preamble.delimiter, linesBeforeData: opened.preamble.linesBeforeData)
        let threads = options.threads ?? ProcessorInfo.activeCores
        let limit = max(1, maximumInFlight ?? 2 * threads)
        let queue = DispatchQueue(label: "pretext.csv.stream", attributes: .concurrent)
        let group = DispatchGroup()
        let finished = StreamSlots()
        var submitted = 0, delivered = 0
        var line = opened.preamble.linesBeforeData + 1
        defer { group.wait() }   // never leave a parse running on this pass's buffers

        // Hands over finished chunks in order; waits for the next one when `wait`.
        func deliver(waiting wait: Bool) throws {
            while delivered < submitted {
                guard let result = wait ? finished.take(delivered) : finished.takeIfDone(delivered) else { return }
                delivered += 1
                if let issue = result.issue { throw error(for: issue, startLine: line, names: pass.names, path: path) }
                pass.rowCount += result.rowCount
                pass.skippedRowCount += result.skippedRowCount
                for local in result.skippedRowLines where pass.skippedRowLines.count < 10 { pass.skippedRowLines.append(line + local) }
                try body(result, line, readSoFar)
                line += result.lineCount
            }
        }
        func submit(_ chunk: [UInt8]) throws {
            while submitted - delivered >= limit { try deliver(waiting: true) }
            let index = submitted
            submitted += 1
            pass.mostChunksInFlight = max(pass.mostChunksInFlight, submitted - delivered)
            finished.expect(index)
            group.enter()
            queue.async {
                finished.put(index, chunk.withUnsafeBytes { ChunkParser.parse($0, plan: plan) })
                group.leave()
            }
            try deliver(waiting: false)
        }

        // Text bytes handed to the parser so far (the preamble's, then each chunk's), for progress.
        var readSoFar = opened.textBytes - opened.buffer.count
        pass.textBytes = try cutRecords(opened) { chunk in
            readSoFar += chunk.count
            try submit(chunk)
            return true
        }
        try deliver(waiting: true)
        if pass.rowCount == 0 {
            if options.hasHeader { throw DataError.headerOnly(path: path) }
            throw DataError.emptyFile(path: path)
        }
        return pass
    }
}

/// Parsed chunks waiting to be handed over in order, each with a semaphore its
/// consumer can wait on.
private final class StreamSlots: @unchecked Sendable {
    private let lock = PThreadMutex()
    private var results: [Int: ChunkResult] = [:]
    private var signals: [Int: DispatchSemaphore] = [:]

    func expect(_ index: Int) { lock.locked { signals[index] = DispatchSemaphore(value: 0) } }

    func put(_ index: Int, _ result: ChunkResult) {
        let signal = lock.locked { () -> DispatchSemaphore? in
            results[index] = result
            return signals[index]
        }
        signal?.signal()
    }

    func takeIfDone(_ index: Int) -> ChunkResult? {
        lock.locked {
            guard let result = results.removeValue(forKey: index) else { return nil }
            signals[index] = nil
            return result
        }
    }

    func take(_ index: Int) -> ChunkResult? {
        guard let signal = lock.locked({ signals[index] }) else { return nil }
        signal.wait()
        return takeIfDone(index)
    }
}

import PretextData
import PretextNN

/// The training rows of a cache too large to hold, visited a window at a time: what
/// makes pretraining (and fine-tuning) on a table larger than memory read its file in
/// order instead of faulting in one page per value.
///
/// Each epoch the rows (positions 0..<n among the training rows, which are in file
/// order) are cut into blocks of `blockRows` consecutive rows; the blocks are shuffled
/// and dealt into windows of `windowBlocks` blocks; a window's rows are read together
/// (each column's blocks in file order) and shuffled among themselves. Every row is
/// visited once per epoch, and a batch mixes rows from all over the file — from as many
/// places as the window has blocks. SCARF's corruption draws its donors from the window
/// in memory, a random sample of blocks of the table: each column's empirical marginal,
/// estimated from the window's rows instead of all rows.
///
/// The epoch's order is never written out: step s of an epoch is its positions s·B …
/// in that order ("virtual" positions), found through the window holding them and that
/// window's own shuffle, drawn when it loads. Memory: at most two windows (a batch may
/// straddle two) with their shuffles, and one entry per block.
public final class WindowedFeatureRows: @unchecked Sendable {
    public let source: CachedFeatureRows
    /// How many rows train: positions 0..<rowCount.
    public let rowCount: Int
    /// The cache row at each position, in file order (pretraining: every row but the
    /// held-out ones; fine-tuning: the labeled training rows).
    private let cacheRow: (Int) -> Int
    let blockRows: Int
    let windowBlocks: Int
    private var blocksOfWindow: [[Int]] = []
    /// Virtual position where each window starts; one more entry, the row count, at the end.
    private var windowStart: [Int] = []
    private var epochSeed: UInt64 = 0
    private var loaded: [Int: Window] = [:]
    private var lastWindow = -1
    /// Rows read and preprocessed at a time while a window loads.
    var sliceRows = 16_384

    private struct Window {
        var features: Matrix   // (rows in the window, F), blocks in file order
        var shuffle: [Int]     // virtual offset in the window → row of `features`
    }

    /// - Parameter row: the cache row at each position 0..<rowCount, increasing (file
    ///   order), computed when asked (e.g. through a `RowsExcept` or `RowSubset`).
    public init(source: CachedFeatureRows, rowCount: Int, row: @escaping (Int) -> Int, blockRows: Int, windowBlocks: Int) {
        precondition(blockRows > 0 && windowBlocks > 0, "blocks and windows need rows")
        self.source = source
        (self.rowCount, cacheRow) = (rowCount, row)
        self.blockRows = blockRows
        self.windowBlocks = windowBlocks
    }

    convenience init(source: CachedFeatureRows, rows: RowsExcept, blockRows: Int, windowBlocks: Int) {
        self.init(source: source, rowCount: rows.count, row: { rows[$0] }, blockRows: blockRows, windowBlocks: windowBlocks)
    }

    /// `rows`: cache rows, sorted (file order).
    public convenience init(source: CachedFeatureRows, rows: [Int], blockRows: Int, windowBlocks: Int) {
        precondition(zip(rows, rows.dropFirst()).allSatisfy { $0 < $1 }, "WindowedFeatureRows: rows in file order")
        self.init(source: source, rowCount: rows.count, row: { rows[$0] }, blockRows: blockRows, windowBlocks: windowBlocks)
    }

    var blockCount: Int { (rowCount + blockRows - 1) / blockRows }

    private func positions(of block: Int) -> Range<Int> { (block * blockRows)..<min(rowCount, (block + 1) * blockRows) }

    /// Draws the next epoch's windows (`Trainer.epochOrder`, which then walks the virtual
    /// positions 0..<rowCount in order).
    public func startEpoch(generator: inout SeededGenerator) {
        var blocks = Array(0..<blockCount)
        generator.shuffle(&blocks)
        blocksOfWindow = []
        windowStart = [0]
        for start in stride(from: 0, to: blocks.count, by: windowBlocks) {
            let members = blocks[start..<min(blocks.count, start + windowBlocks)].sorted()
            blocksOfWindow.append(members)
            windowStart.append(windowStart.last! + members.reduce(0) { $0 + positions(of: $1).count })
        }
        epochSeed = generator.next()
        loaded = [:]
        lastWindow = -1
    }

    /// The window holding virtual position `virtual`.
    private func window(of virtual: Int) -> Int {
        precondition(virtual >= 0 && virtual < rowCount, "a virtual position outside the epoch")
        if lastWindow >= 0 && windowStart[lastWindow] <= virtual && virtual < windowStart[lastWindow + 1] { return lastWindow }
        var low = 0, high = windowStart.count - 2   // the last window starting at or before `virtual`
        while low < high {
            let middle = (low + high + 1) / 2
            if windowStart[middle] <= virtual { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// The training position (0..<rowCount) at virtual position `virtual` of this
    /// epoch's order.
    public func position(_ virtual: Int) -> Int {
        let index = window(of: virtual)
        var local = load(index).shuffle[virtual - windowStart[index]]
        for block in blocksOfWindow[index] {
            let size = positions(of: block).count
            if local < size { return block * blockRows + local }
            local -= size
        }
        preconditionFailure("a window's shuffle points inside the window")
    }

    /// The features of the rows at virtual positions `batch`, and the window the first
    /// lies in, whose rows are the corruption's donors.
    public func gather(_ batch: [Int]) -> (anchors: Matrix, pool: Matrix) {
        precondition(!batch.isEmpty && !blocksOfWindow.isEmpty, "gather a batch of a started epoch")
        let width = source.columns
        var anchors = Matrix(rows: batch.count, columns: width)
        let first = window(of: batch[0])
        for (index, virtual) in batch.enumerated() {
            let number = window(of: virtual)
            let window = load(number)
            let from = window.shuffle[virtual - windowStart[number]] * width
            for feature in 0..<width { anchors.values[index * width + feature] = window.features.values[from + feature] }
        }
        return (anchors, load(first).features)
    }

    /// Calls `body` with the features of every row, `rows` at a time, in file order: a
    /// pass over the file that leaves the epoch's windows alone.
    public func forEachSlice(rows sliceRows: Int, _ body: (Matrix) throws -> Void) rethrows {
        precondition(sliceRows > 0, "slices need rows")
        for start in stride(from: 0, to: rowCount, by: sliceRows) {
            try body(source.rows((start..<min(rowCount, start + sliceRows)).map(cacheRow)))
        }
    }

    private func load(_ number: Int) -> Window {
        if let hit = loaded[number] {
            lastWindow = number
            return hit
        }
        // Windows come in order; the last one used may still be needed by a straddling batch.
        loaded = loaded.filter { $0.key == lastWindow }
        lastWindow = number
        let cacheRows = blocksOfWindow[number].flatMap { positions(of: $0).map { cacheRow($0) } }
        // Read and preprocessed in slices, so the only full-size copy is the window itself.
        let width = source.columns
        var features = Matrix(rows: cacheRows.count, columns: width)
        for start in stride(from: 0, to: cacheRows.count, by: sliceRows) {
            let end = min(cacheRows.count, start + sliceRows)
            features.values.replaceSubrange((start * width)..<(end * width), with: source.rows(Array(cacheRows[start..<end])).values)
        }
        var shuffle = Array(0..<cacheRows.count)
        var generator = SeededGenerator(seed: epochSeed, stream: "window-\(number)")
        generator.shuffle(&shuffle)
        let result = Window(features: features, shuffle: shuffle)
        loaded[number] = result
        return result
    }
}

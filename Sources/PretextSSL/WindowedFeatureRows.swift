import PretextData
import PretextNN

/// The training rows of a cache too large to hold, visited a window at a time: what
/// makes pretraining on a table larger than memory read its file in order instead of
/// faulting in one page per value.
///
/// Each epoch the rows (positions 0..<n among the training rows, which are in file
/// order) are cut into blocks of `blockRows` consecutive rows; the blocks are shuffled
/// and dealt into windows of `windowBlocks` blocks; a window's rows are read together
/// (each column's blocks in file order) and shuffled among themselves. Every row is
/// visited once per epoch, and a batch mixes rows from all over the file — from as many
/// places as the window has blocks. SCARF's corruption draws its donors from the window
/// in memory, a random sample of blocks of the table: each column's empirical marginal,
/// estimated from the window's rows instead of all rows. At most two windows (a batch
/// may straddle two) are held, with the batch.
final class WindowedFeatureRows: @unchecked Sendable {
    let source: CachedFeatureRows
    /// The cache rows that train, in file order; positions index into it.
    let rows: [Int]
    let blockRows: Int
    let windowBlocks: Int
    private var windowOfBlock: [Int] = []
    private var blocksOfWindow: [[Int]] = []
    private var loaded: [Int: Window] = [:]
    private var lastWindow = -1
    /// Rows read and preprocessed at a time while a window loads.
    var sliceRows = 16_384

    private struct Window {
        var features: Matrix            // (rows in the window, F), blocks in file order
        var localStart: [Int: Int]      // block → its first row in `features`
    }

    init(source: CachedFeatureRows, rows: [Int], blockRows: Int, windowBlocks: Int) {
        precondition(blockRows > 0 && windowBlocks > 0, "blocks and windows need rows")
        self.source = source
        self.rows = rows
        self.blockRows = blockRows
        self.windowBlocks = windowBlocks
    }

    var blockCount: Int { (rows.count + blockRows - 1) / blockRows }

    private func positions(of block: Int) -> Range<Int> { (block * blockRows)..<min(rows.count, (block + 1) * blockRows) }

    /// The next epoch's order of the positions 0..<rows.count (`Trainer.epochOrder`).
    func epochOrder(generator: inout SeededGenerator) -> [Int] {
        var blocks = Array(0..<blockCount)
        generator.shuffle(&blocks)
        windowOfBlock = Array(repeating: 0, count: blockCount)
        blocksOfWindow = []
        loaded = [:]
        lastWindow = -1
        var order: [Int] = []
        order.reserveCapacity(rows.count)
        for start in stride(from: 0, to: blocks.count, by: windowBlocks) {
            let members = blocks[start..<min(blocks.count, start + windowBlocks)].sorted()
            for block in members { windowOfBlock[block] = blocksOfWindow.count }
            blocksOfWindow.append(members)
            var positions = members.flatMap { self.positions(of: $0) }
            generator.shuffle(&positions)
            order += positions
        }
        return order
    }

    /// The features of `batch` (positions, in order) and the window its first row lies
    /// in, whose rows are the corruption's donors.
    func gather(_ batch: [Int]) -> (anchors: Matrix, pool: Matrix) {
        precondition(!batch.isEmpty && !blocksOfWindow.isEmpty, "gather a batch of an epoch's order")
        var anchors = Matrix(rows: batch.count, columns: source.columns)
        let width = source.columns
        for (index, position) in batch.enumerated() {
            let block = position / blockRows
            let window = load(windowOfBlock[block])
            let from = (window.localStart[block]! + position - block * blockRows) * width
            for feature in 0..<width { anchors.values[index * width + feature] = window.features.values[from + feature] }
        }
        return (anchors, load(windowOfBlock[batch[0] / blockRows]).features)
    }

    private func load(_ window: Int) -> Window {
        if let hit = loaded[window] {
            lastWindow = window
            return hit
        }
        // Windows come in order; the last one used may still be needed by a straddling batch.
        loaded = loaded.filter { $0.key == lastWindow }
        lastWindow = window
        var localStart: [Int: Int] = [:]
        var cacheRows: [Int] = []
        for block in blocksOfWindow[window] {
            localStart[block] = cacheRows.count
            cacheRows += positions(of: block).map { rows[$0] }
        }
        // Read and preprocessed in slices, so the only full-size copy is the window itself.
        let width = source.columns
        var features = Matrix(rows: cacheRows.count, columns: width)
        for start in stride(from: 0, to: cacheRows.count, by: sliceRows) {
            let end = min(cacheRows.count, start + sliceRows)
            features.values.replaceSubrange((start * width)..<(end * width), with: source.rows(Array(cacheRows[start..<end])).values)
        }
        let result = Window(features: features, localStart: localStart)
        loaded[window] = result
        return result
    }
}

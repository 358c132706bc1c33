import PretextData
import PretextNN

/// SCARF's corruption: for each row, a fixed-size random subset of ⌊c·d⌋ (at least 1)
/// of the d original columns is chosen, and each chosen column's value is replaced by
/// that column's value in an independently drawn random row of the pool — a draw from
/// the column's empirical marginal.
///
/// It works on preprocessed features through `FeatureBlock`s, one per original column,
/// so a one-hot categorical column is replaced as one unit and a missing indicator
/// travels with its column. (Preprocessing is per column, so replacing a column's
/// block equals replacing the raw value before preprocessing.)
public struct MarginalCorruptor: Sendable {
    public let blocks: [FeatureBlock]
    public let corruptionRate: Double
    /// ⌊c·d⌋, at least 1.
    public let columnsPerRow: Int
    private let pool: Matrix   // (P, F) rows values are drawn from

    public init(blocks: [FeatureBlock], corruptionRate: Double, pool: Matrix) {
        precondition(!blocks.isEmpty && pool.rows > 0, "corruption needs columns and a pool")
        self.blocks = blocks
        self.corruptionRate = corruptionRate
        columnsPerRow = max(1, Int((corruptionRate * Double(blocks.count)).rounded(.down)))
        self.pool = pool
    }

    /// A corrupted copy of `batch` (B, F).
    public func corrupt(_ batch: Matrix, generator: inout SeededGenerator) -> Matrix {
        corruptWithMask(batch, generator: &generator).corrupted
    }

    /// A corrupted copy of `batch` (B, F) and the mask (B, C) of the columns chosen for
    /// replacement (1 = chosen, even when the donor happened to hold the same value).
    ///
    /// The random draws run in one fixed order on the calling thread (the same seed gives
    /// the same views); the copies — each from a random pool row, so mostly cache misses —
    /// run by row blocks on the compute lanes. A row's chosen blocks are distinct, so the
    /// order of its copies does not matter.
    public func corruptWithMask(_ batch: Matrix, generator: inout SeededGenerator) -> (corrupted: Matrix, mask: Matrix) {
        let replacements = drawReplacements(rows: batch.rows, generator: &generator)
        var output = batch
        copy(replacements, from: pool, into: &output)
        return (output, replacements.mask)
    }

    /// Per row, the `columnsPerRow` chosen blocks, each with a donor pool row.
    private struct Replacements {
        var entries: [(block: Int, donor: Int)]   // (B, columnsPerRow)
        var mask: Matrix                          // (B, C)
    }

    private func drawReplacements(rows: Int, generator: inout SeededGenerator) -> Replacements {
        let chosen = columnsPerRow, blockCount = blocks.count
        var result = Replacements(entries: Array(repeating: (0, 0), count: rows * chosen), mask: Matrix(rows: rows, columns: blockCount))
        var order = Array(blocks.indices)
        for row in 0..<rows {
            // Partial Fisher–Yates: the first `columnsPerRow` entries are a uniform subset.
            for position in 0..<chosen {
                order.swapAt(position, position + generator.nextInt(below: order.count - position))
                result.mask.values[row * blockCount + order[position]] = 1
                result.entries[row * chosen + position] = (order[position], generator.nextInt(below: pool.rows))
            }
        }
        return result
    }

    private func copy(_ replacements: Replacements, from pool: Matrix, into output: inout Matrix) {
        let rows = output.rows, width = output.columns, chosen = columnsPerRow
        output.values.withUnsafeMutableBufferPointer { target in
            pool.values.withUnsafeBufferPointer { source in
                blocks.withUnsafeBufferPointer { blocks in
                    replacements.entries.withUnsafeBufferPointer { entries in
                        Lanes.forEachBlock(of: rows, work: 16 * entries.count) { range in
                            for row in range {
                                let to = row * width
                                for index in (row * chosen)..<((row + 1) * chosen) {
                                    let block = blocks[entries[index].block]
                                    let from = entries[index].donor * width
                                    for feature in block.start..<(block.start + block.width) { target[to + feature] = source[from + feature] }
                                    if let indicator = block.missingIndicator { target[to + indicator] = source[from + indicator] }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

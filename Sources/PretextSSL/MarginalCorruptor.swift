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
    public func corruptWithMask(_ batch: Matrix, generator: inout SeededGenerator) -> (corrupted: Matrix, mask: Matrix) {
        var mask = Matrix(rows: batch.rows, columns: blocks.count)
        var output = batch
        var order = Array(blocks.indices)
        let width = batch.columns
        output.values.withUnsafeMutableBufferPointer { target in
            pool.values.withUnsafeBufferPointer { source in
                for row in 0..<batch.rows {
                    // Partial Fisher–Yates: the first `columnsPerRow` entries are a uniform subset.
                    for position in 0..<columnsPerRow {
                        order.swapAt(position, position + generator.nextInt(below: order.count - position))
                        let block = blocks[order[position]]
                        mask.values[row * blocks.count + order[position]] = 1
                        let donor = generator.nextInt(below: pool.rows)
                        let to = row * width, from = donor * width
                        for feature in block.start..<(block.start + block.width) { target[to + feature] = source[from + feature] }
                        if let indicator = block.missingIndicator { target[to + indicator] = source[from + indicator] }
                    }
                }
            }
        }
        return (output, mask)
    }
}

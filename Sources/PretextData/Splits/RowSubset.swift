/// Some of the rows 0..<total (e.g. those with a label), by position, in a bit per row:
/// the rows of a table of millions that a filter keeps, without 8 bytes per kept row.
///
/// Position p is the row r holding the (p+1)-th set bit. A directory of kept-row counts
/// before every `blockRows`-row block (one `Int` per 512 rows) finds r's block by binary
/// search, then population counts of 64-bit words find r within it: O(log(total/512) + 8).
/// Memory: total/8 + total/64 bytes.
public struct RowSubset: RandomAccessCollection, Sendable, Equatable {
    static let blockRows = 512
    private static let wordsPerBlock = blockRows / 64

    public let total: Int
    public let count: Int
    private let words: [UInt64]
    /// Kept rows before each block.
    private let before: [Int]

    /// The rows of 0..<total for which `keeps` is true, asked once each in order.
    public init(total: Int, keeps: (Int) throws -> Bool) rethrows {
        precondition(total >= 0, "RowSubset: a negative row count")
        var words = [UInt64](repeating: 0, count: (total + 63) / 64)
        var before: [Int] = []
        before.reserveCapacity((total + Self.blockRows - 1) / Self.blockRows)
        var count = 0
        for row in 0..<total {
            if row % Self.blockRows == 0 { before.append(count) }
            if try keeps(row) {
                words[row / 64] |= 1 << UInt64(row % 64)
                count += 1
            }
        }
        (self.total, self.count, self.words, self.before) = (total, count, words, before)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> Int {
        precondition(position >= 0 && position < count, "RowSubset: position \(position) outside 0..<\(count)")
        // The last block with fewer than `position + 1` kept rows before it holds the row.
        var low = 0, high = before.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if before[middle] <= position { low = middle } else { high = middle - 1 }
        }
        var remaining = position - before[low]
        var word = low * Self.wordsPerBlock
        while remaining >= words[word].nonzeroBitCount {
            remaining -= words[word].nonzeroBitCount
            word += 1
        }
        var bits = words[word]
        for _ in 0..<remaining { bits &= bits - 1 }   // clear the lowest set bits before it
        return word * 64 + bits.trailingZeroBitCount
    }

    /// Whether `row` is kept.
    public func contains(_ row: Int) -> Bool {
        row >= 0 && row < total && words[row / 64] & (1 << UInt64(row % 64)) != 0
    }
}

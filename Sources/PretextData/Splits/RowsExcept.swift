/// The rows 0..<total except a few (`excluded`, sorted and distinct), by position, without
/// an array of the others: what a hold-out of a few thousand rows leaves of a table of
/// millions costs the excluded rows' 8 bytes each, not 8 bytes per row.
///
/// Position p is the row p + j, where j counts the excluded rows e_i with e_i − i ≤ p
/// (e_i − i is how many kept rows come before e_i); found by binary search, O(log m) for
/// m excluded rows. `part(_:)` is a contiguous range of positions (a rank's shard).
public struct RowsExcept: RandomAccessCollection, Sendable, Equatable {
    /// The rows left out, sorted, each in 0..<total.
    public let excluded: [Int]
    /// Position in the whole complement of this collection's first element.
    private let first: Int
    public let count: Int

    public init(total: Int, excluding excluded: [Int]) {
        precondition(zip(excluded, excluded.dropFirst()).allSatisfy { $0 < $1 } && excluded.allSatisfy { (0..<total).contains($0) },
                     "RowsExcept: excluded rows must be sorted, distinct and in 0..<\(total)")
        self.excluded = excluded
        self.first = 0
        self.count = total - excluded.count
    }

    private init(excluded: [Int], first: Int, count: Int) {
        (self.excluded, self.first, self.count) = (excluded, first, count)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> Int {
        precondition(position >= 0 && position < count, "RowsExcept: position \(position) outside 0..<\(count)")
        let whole = first + position
        var low = 0, high = excluded.count
        while low < high {
            let middle = (low + high) / 2
            if excluded[middle] - middle <= whole { low = middle + 1 } else { high = middle }
        }
        return whole + low
    }

    /// The elements at `positions`, as a collection of their own (positions from 0).
    public func part(_ positions: Range<Int>) -> RowsExcept {
        precondition(positions.lowerBound >= 0 && positions.upperBound <= count, "RowsExcept: part \(positions) outside 0..<\(count)")
        return RowsExcept(excluded: excluded, first: first + positions.lowerBound, count: positions.count)
    }
}

extension DatasetSplit {
    /// `count` distinct positions of 0..<total drawn uniformly by Floyd's algorithm
    /// (Bentley & Floyd 1987), sorted: memory for the sample only, not for `total`.
    public static func sample(count: Int, of total: Int, generator: inout SeededGenerator) -> [Int] {
        precondition(count >= 0 && count <= total, "cannot draw \(count) of \(total)")
        var chosen = Set<Int>(minimumCapacity: count)
        for upper in (total - count)..<total {
            let candidate = generator.nextInt(below: upper + 1)
            chosen.insert(chosen.contains(candidate) ? upper : candidate)
        }
        return chosen.sorted()
    }
}

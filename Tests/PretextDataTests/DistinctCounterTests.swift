import XCTest
@testable import PretextData

/// The summaries' distinct counter agrees with `Set` across growth, with repeats, zero
/// and keys that differ only in high bits; a numeric summary counts as before.
final class DistinctCounterTests: XCTestCase {
    func testCountsWhatASetCounts() {
        var generator = SeededGenerator(seed: 9)
        var counter = DistinctCounter(), reference = Set<UInt64>()
        for step in 0..<60_000 {
            let key: UInt64 = step % 3 == 0 ? UInt64(generator.nextInt(below: 5_000)) << 40 : UInt64(generator.nextInt(below: 30_000))
            counter.insert(key)
            reference.insert(key)
        }
        counter.insert(0)
        reference.insert(0)
        XCTAssertEqual(counter.count, reference.count)
    }

    func testColumnSummaryDistinctCounts() {
        let values: [Float] = [1, 2, 2, .nan, 3, 1, -0.5]
        let summary = ColumnSummary(Column(name: "x", type: .numeric, storage: .numeric(values)))
        XCTAssertEqual(summary.distinctCount, 4)
        let dates = ColumnSummary(Column(name: "d", type: .datetime, storage: .datetime([0, 86_400, 0, .nan])))
        XCTAssertEqual(dates.distinctCount, 2)
    }
}

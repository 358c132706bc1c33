import XCTest
@testable import PretextData

/// The summaries' distinct counter agrees with `Set` across growth, with repeats, zero
/// and keys that differ only in high bits; a numeric summary counts as before.
final class DistinctCounterTests: XCTestCase {
    func testCountsWhatASetCounts() {
        var generator = SeededGenerator(seed: 9)
        var counter = DistinctCounter<UInt64>(), reference = Set<UInt64>()
        for step in 0..<60_000 {
            let key: UInt64 = step % 3 == 0 ? UInt64(generator.nextInt(below: 5_000)) << 40 : UInt64(generator.nextInt(below: 30_000))
            counter.insert(key)
            reference.insert(key)
        }
        counter.insert(0)
        reference.insert(0)
        XCTAssertEqual(counter.count, reference.count)
        counter.reserve(200_000)   // rehashes into a larger table: nothing lost or doubled
        XCTAssertEqual(counter.count, reference.count)
        for key in reference { counter.insert(key) }
        XCTAssertEqual(counter.count, reference.count)
    }

    func testColumnSummaryDistinctCounts() {
        let values: [Float] = [1, 2, 2, .nan, 3, 1, -0.5]
        let summary = ColumnSummary(Column(name: "x", type: .numeric, storage: .numeric(values)))
        XCTAssertEqual(summary.distinctCount, 4)
        let dates = ColumnSummary(Column(name: "d", type: .datetime, storage: .datetime([0, 86_400, 0, .nan])))
        XCTAssertEqual(dates.distinctCount, 2)
        XCTAssertEqual(summary.distinctText, "4")
        XCTAssertEqual(summary.missingFraction, 1.0 / 7)
        XCTAssertEqual(summary.minimum, -0.5)
        XCTAssertEqual(summary.maximum, 3)
        XCTAssertEqual(try XCTUnwrap(summary.mean), 8.5 / 6, accuracy: 1e-12)
        XCTAssertFalse(summary.isIntegral)
    }

    /// A column is integral when every present value is a whole number; the test runs
    /// without a libm call per value (truncation below 2²³, every float above is whole).
    func testIntegralColumns() {
        for values: [Float] in [[1, -3, 8_388_607, 8_388_608, 1e10, -0.0, .nan], [16_777_217, -2e9], [.infinity, 4]] {
            XCTAssertTrue(ColumnSummary(Column(name: "x", type: .numeric, storage: .numeric(values))).isIntegral, "\(values)")
        }
        for values: [Float] in [[1, 8_388_607.5], [-0.5], [3, 2.000001], [.nan]] {
            XCTAssertFalse(ColumnSummary(Column(name: "x", type: .numeric, storage: .numeric(values))).isIntegral, "\(values)")
        }
    }

    /// Past the limit the count stops and says so ("> 100000"), rather than showing the
    /// limit as if it were the count; the summaries of many columns (computed on every
    /// core) equal one column's at a time.
    func testDistinctCountAboveTheLimitIsShownAsALowerBound() {
        let many = Column(name: "x", type: .numeric, storage: .numeric((0..<150_000).map { Float($0) }))
        let few = Column(name: "y", type: .numeric, storage: .numeric((0..<150_000).map { Float($0 % 7) }))
        let summaries = ColumnSummary.summaries(of: [many, few, many, few, few])
        XCTAssertEqual(summaries, [many, few, many, few, few].map(ColumnSummary.init))
        XCTAssertEqual(summaries[0].distinctText, "> 100000")
        XCTAssertTrue(summaries[0].isIntegral)
        XCTAssertEqual(summaries[1].distinctText, "7")
        XCTAssertEqual(summaries[0].maximum, 149_999)
    }
}

import XCTest
@testable import PretextData

/// The summaries' distinct counts agree with `Set` — through the bucketed hash set across
/// its growths, with repeats, zero and keys that differ only in high bits, and through
/// the byte map of whole numbers over a short range — and stop past their limit.
final class DistinctCountTests: XCTestCase {
    private func distinct(_ values: [Float], limit: Int = .max) -> Int {
        let statistics = values.withUnsafeBufferPointer(NumericStatistics.init)
        return values.withUnsafeBufferPointer { statistics.distinctCount(of: $0, limit: limit) }
    }

    /// `Set`'s count of the present values, −0 taken as 0.
    private func reference<Value: BinaryFloatingPoint & Hashable>(_ values: [Value]) -> Int {
        Set(values.filter { !$0.isNaN }.map { $0 == 0 ? 0 : $0 }).count
    }

    func testDoublesCountWhatASetCounts() {
        var generator = SeededGenerator(seed: 9)
        // Bit patterns that differ only in high bits (x·2⁴⁰) or only in low bits; many
        // growths of the table (60,000 draws, ~34,000 distinct), repeats, ±0 and NaN.
        var values: [Double] = (0..<60_000).map { step in
            let bits: UInt64 = step % 3 == 0 ? UInt64(generator.nextInt(below: 5_000)) << 40 : UInt64(generator.nextInt(below: 30_000))
            return Double(bitPattern: bits)
        }
        values += [0, -0.0, .nan, 1e300, -1e300, 1e300]
        let count = values.withUnsafeBufferPointer { NumericStatistics.distinctCount(of: $0, limit: .max) }
        XCTAssertEqual(count, reference(values))
        XCTAssertEqual(values.withUnsafeBufferPointer { NumericStatistics.distinctCount(of: $0, limit: 999) }, 1_000,
                       "past the limit the count stops at limit + 1")
    }

    func testFloatsCountWhatASetCountsOnBothPaths() {
        var generator = SeededGenerator(seed: 4)
        let cases: [(String, [Float])] = [
            ("decimals: hash set", (0..<50_000).map { _ in Float(generator.nextInt(below: 10_000)) / 10_000 }),
            ("whole, range 100: byte map", (0..<50_000).map { _ in Float(generator.nextInt(below: 100)) }),
            ("whole, range below 2¹⁶, negative: byte map", (0..<50_000).map { _ in Float(generator.nextInt(below: 65_535)) - 30_000 }),
            ("whole, range 2¹⁶: hash set", (0..<50_000).map { _ in Float(generator.nextInt(below: 65_537)) }),
            ("whole, large and close: byte map", (0..<5_000).map { _ in 1e9 + Float(64 * generator.nextInt(below: 300)) }),
            ("booleans with missing", (0..<1_003).map { $0 % 7 == 0 ? .nan : Float($0 % 2) }),
            ("±0 and one", [0, -0.0, 1, -0.0, .nan]),
            ("±∞", [.infinity, -.infinity, 1, .infinity]),
            ("all missing", [.nan, .nan]),
            ("empty", []),
        ]
        for (name, values) in cases {
            XCTAssertEqual(distinct(values), reference(values), name)
        }
        let many = (0..<150_000).map { Float($0) / 3 }
        XCTAssertEqual(distinct(many, limit: 100_000), 100_001, "past the limit the count stops at limit + 1")
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
        let dates = Column(name: "d", type: .datetime, storage: .datetime((0..<150_000).map { Double($0) * 86_400 }))
        XCTAssertEqual(ColumnSummary(dates).distinctText, "> 100000", "dates stop at the same limit")
        let summaries = ColumnSummary.summaries(of: [many, few, many, few, few])
        XCTAssertEqual(summaries, [many, few, many, few, few].map(ColumnSummary.init))
        XCTAssertEqual(summaries[0].distinctText, "> 100000")
        XCTAssertTrue(summaries[0].isIntegral)
        XCTAssertEqual(summaries[1].distinctText, "7")
        XCTAssertEqual(summaries[0].maximum, 149_999)
    }
}

import XCTest
@testable import PretextData

/// The vectorised column statistics (CPretextKernels) equal a plain scalar loop's (the sum
/// to rounding), for every tail length, with NaN, infinities, −0, large and fractional values.
final class NumericStatisticsTests: XCTestCase {
    /// The definition, one value at a time.
    private func reference(_ values: [Float]) -> (present: Int, zeros: Int, sum: Double, low: Float, high: Float, integral: Bool) {
        var result = (present: 0, zeros: 0, sum: 0.0, low: Float.infinity, high: -Float.infinity, integral: true)
        for value in values where !value.isNaN {
            result.present += 1
            result.zeros += value == 0 ? 1 : 0
            result.sum += Double(value)
            result.low = min(result.low, value)
            result.high = max(result.high, value)
            result.integral = result.integral && value.rounded(.towardZero) == value
        }
        return result
    }

    private func check(_ values: [Float], _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        let statistics = values.withUnsafeBufferPointer(NumericStatistics.init)
        let expected = reference(values)
        XCTAssertEqual(statistics.present, expected.present, message, file: file, line: line)
        XCTAssertEqual(statistics.zeros, expected.zeros, message, file: file, line: line)
        if expected.sum.isFinite {
            XCTAssertEqual(statistics.sum, expected.sum, accuracy: 1e-9 * max(1, abs(expected.sum)), message, file: file, line: line)
        } else {   // +∞ and −∞ both present: NaN in any order of addition
            XCTAssertTrue(statistics.sum == expected.sum || (statistics.sum.isNaN && expected.sum.isNaN), message, file: file, line: line)
        }
        XCTAssertEqual(statistics.low, expected.low, message, file: file, line: line)
        XCTAssertEqual(statistics.high, expected.high, message, file: file, line: line)
        XCTAssertEqual(statistics.integral, expected.integral, message, file: file, line: line)
    }

    func testEqualsTheScalarDefinition() {
        var generator = SeededGenerator(seed: 5)
        let specials: [Float] = [.nan, .infinity, -.infinity, -0.0, 0, 8_388_607.5, 8_388_608, 16_777_217, -2e9, 0.5, -1.25, 3]
        for count in [0, 1, 15, 16, 17, 31, 32, 33, 100, 1_000] {
            for kind in 0..<4 {
                let values: [Float] = (0..<count).map { _ in
                    let draw = generator.nextInt(below: 100)
                    switch kind {
                    case 0: return Float(draw) - 50                                  // whole numbers
                    case 1: return draw < 10 ? .nan : Float(draw) - 50                 // whole, some missing
                    case 2: return draw < 5 ? specials[draw % specials.count] : Float(draw) / 7   // fractions and specials
                    default: return specials[generator.nextInt(below: specials.count)]
                    }
                }
                check(values, "count \(count), kind \(kind)")
            }
        }
    }

    /// One fractional value anywhere — in a vector block or in the tail — makes the
    /// column non-integral; a column of only NaN has nothing present.
    func testOneFractionAnywhereAndAllMissing() {
        for position in [0, 7, 15, 16, 40, 49] {
            var values = [Float](repeating: 4, count: 50)
            values[position] = 4.5
            XCTAssertFalse(values.withUnsafeBufferPointer(NumericStatistics.init).integral, "position \(position)")
        }
        let missing = [Float](repeating: .nan, count: 40).withUnsafeBufferPointer(NumericStatistics.init)
        XCTAssertEqual(missing.present, 0)
        XCTAssertEqual(missing.low, .infinity)
        XCTAssertEqual(missing.high, -.infinity)
    }
}

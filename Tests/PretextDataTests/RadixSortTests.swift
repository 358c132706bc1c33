import XCTest
@testable import PretextData

/// The radix sort must return exactly what the standard library's stable `sorted()`
/// returns — the same bits in the same places, −0.0 and +0.0 in input order included.
final class RadixSortTests: XCTestCase {
    func assertSameBits(_ values: [Double], _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        let expected = values.sorted(), got = RadixSort.sorted(values)
        XCTAssertEqual(got.map(\.bitPattern), expected.map(\.bitPattern), message, file: file, line: line)
    }

    func testMatchesTheStableSortBitForBit() {
        var generator = SeededGenerator(seed: 11)
        for (size, kind) in [(10, 0), (511, 1), (512, 0), (513, 2), (5_000, 0), (5_000, 1), (5_000, 2), (5_000, 3), (40_000, 4)] {
            let values = (0..<size).map { _ -> Double in
                switch kind {
                case 0: return (generator.nextUniform() - 0.5) * 1e6                          // spread, both signs
                case 1: return Double(Float(generator.nextNormal()))                           // widened floats (3 byte passes skipped)
                case 2: return Double(generator.nextInt(below: 7) - 3)                         // few distinct values, many ties
                case 3: return [0.0, -0.0, 1.0, -1.0, .infinity, -.infinity, .leastNonzeroMagnitude,
                                -.leastNonzeroMagnitude, .greatestFiniteMagnitude][generator.nextInt(below: 9)]
                default: return Double(1_700_000_000 + generator.nextInt(below: 86_400 * 365))  // datetimes in seconds
                }
            }
            assertSameBits(values, "size \(size), kind \(kind)")
        }
    }

    func testSignedZerosKeepTheirInputOrder() {
        var generator = SeededGenerator(seed: 12)
        let values = (0..<2_000).map { _ -> Double in
            let draw = generator.nextInt(below: 4)
            return draw == 0 ? -0.0 : draw == 1 ? 0.0 : generator.nextUniform() - 0.5
        }
        assertSameBits(values, "mixed ±0")
        assertSameBits(values.map { $0 == 0 ? -0.0 : $0 }, "only −0")
    }

    func testEveryByteOfTheKeyCanDecide() {
        // Values that differ only in their lowest mantissa bits, and only in the exponent.
        let base = 1.2345
        var values = (0..<1_000).map { Double(bitPattern: base.bitPattern &+ UInt64(($0 * 7_919) % 1_000)) }
        values += (0..<1_000).map { Double(sign: $0 % 2 == 0 ? .plus : .minus, exponent: ($0 * 31) % 200 - 100, significand: 1.5) }
        assertSameBits(values, "low bits and exponents")
    }
}

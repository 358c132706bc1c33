import XCTest
@testable import PretextData

/// The per-chunk text dictionary that replaced one `String` per field: same bytes, same
/// code; codes in order of first appearance; texts exact; invalid UTF-8 refused.
final class ByteInternerTests: XCTestCase {
    func code(_ interner: inout ByteInterner, _ text: [UInt8]) -> Int32? {
        text.withUnsafeBufferPointer { interner.code($0.baseAddress!, count: $0.count) }
    }

    func testSameBytesSameCodeAcrossGrowthAndLengths() {
        var interner = ByteInterner(capacity: 4)
        defer { interner.deallocate() }
        var expected: [String: Int32] = [:]
        var order: [String] = []
        var generator = SeededGenerator(seed: 2)
        // 50,000 draws from 20,000 values: prefixes of each other, 1 to 40 bytes, forcing many table growths.
        for _ in 0..<50_000 {
            let index = generator.nextInt(below: 20_000)
            let text = "v\(index)" + String(repeating: "é", count: index % 20)
            let got = code(&interner, Array(text.utf8))
            if let known = expected[text] {
                XCTAssertEqual(got, known, text)
            } else {
                XCTAssertEqual(got, Int32(order.count), text)
                expected[text] = got
                order.append(text)
            }
        }
        XCTAssertEqual(interner.texts, order)
        XCTAssertEqual(code(&interner, Array(order[0].utf8)), 0)
        // A prefix of a known value is a value of its own.
        let prefix = String(order[0].dropLast())
        XCTAssertEqual(code(&interner, Array(prefix.utf8)), expected[prefix] ?? Int32(order.count))
    }

    /// The hash reads the field's bytes and nothing around them (its tail is read by
    /// overlapping loads inside the field), and every byte of the field counts.
    func testHashSeesExactlyTheFieldsBytes() {
        var generator = SeededGenerator(seed: 3)
        for length in 1...40 {
            let field = (0..<length).map { _ in UInt8(97 + generator.nextInt(below: 26)) }
            let hashes = [UInt8(0x00), 0x2c, 0xff].map { neighbour -> UInt64 in
                let padded = [UInt8](repeating: neighbour, count: 9) + field + [UInt8](repeating: neighbour, count: 9)
                return padded.withUnsafeBufferPointer { ByteInterner.hash($0.baseAddress! + 9, count: length) }
            }
            XCTAssertEqual(Set(hashes).count, 1, "length \(length): the bytes around the field changed its hash")
            for position in 0..<length {
                var changed = field
                changed[position] ^= 0x01
                let hash = changed.withUnsafeBufferPointer { ByteInterner.hash($0.baseAddress!, count: length) }
                XCTAssertNotEqual(hash, hashes[0], "length \(length): byte \(position) did not count")
            }
        }
    }

    func testInvalidUTF8AndNulBytesAreRefusedAndNotAdded() {
        var interner = ByteInterner()
        defer { interner.deallocate() }
        XCTAssertNil(code(&interner, [0x61, 0xFF, 0x62]))
        XCTAssertNil(code(&interner, [0x61, 0x00, 0x62]), "a NUL byte: never a value, so never checked again")
        XCTAssertNil(code(&interner, [0x61, 0x00, 0x62]))
        XCTAssertEqual(interner.count, 0)
        XCTAssertEqual(code(&interner, [0x61]), 0)
        XCTAssertEqual(interner.texts, ["a"])
    }
}

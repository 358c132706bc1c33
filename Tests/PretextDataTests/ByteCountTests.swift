import XCTest
@testable import PretextData

final class ByteCountTests: XCTestCase {
    /// `contains` and `count` against a plain loop: every length up to 70, the byte at
    /// each position (and absent), inside a larger buffer whose bytes around the field
    /// are the byte sought, so a read outside the field would answer wrongly.
    func testContainsAndCountAgreeWithAPlainLoop() {
        var generator = SeededGenerator(seed: 19)
        for length in 0...70 {
            for position in [-1] + Array(0..<length) {
                var buffer = [UInt8](repeating: 0x0a, count: length + 16)
                for index in 8..<(8 + length) { buffer[index] = UInt8.random(in: 0x20...0x7e, using: &generator) }
                if position >= 0 { buffer[8 + position] = 0x0a }
                buffer.withUnsafeBufferPointer { all in
                    let field = all.baseAddress! + 8
                    let expected = (0..<length).filter { field[$0] == 0x0a }.count
                    XCTAssertEqual(ByteCount.contains(0x0a, in: field, count: length), expected > 0, "length \(length), at \(position)")
                    XCTAssertEqual(ByteCount.count(0x0a, in: field, count: length), expected, "length \(length), at \(position)")
                }
            }
        }
    }
}

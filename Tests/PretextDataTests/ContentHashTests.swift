import XCTest
@testable import PretextData

final class ContentHashTests: XCTestCase {
    /// Hashing bytes delivered in pieces of any size gives what hashing them at once
    /// gives (the cache's fingerprint is read back from disk in blocks and must equal the
    /// in-memory table's).
    func testBytesReadInPiecesHashAsTheWhole() {
        var generator = SeededGenerator(seed: 7, stream: "content-hash")
        for count in [0, 1, 7, 8, 9, 4096, (1 << 20) + 13, 3 << 20] {
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            var whole = ContentHash()
            whole.combine(17)
            bytes.withUnsafeBytes { whole.combine(bytes: $0) }
            var pieces = ContentHash()
            pieces.combine(17)
            var position = 0
            pieces.combine(count: count) { buffer in
                let n = min(buffer.count, Int.random(in: 1...5000, using: &generator), count - position)
                bytes.withUnsafeBytes { raw in buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[position..<(position + n)])) }
                position += n
                return n
            }
            XCTAssertEqual(pieces.hex, whole.hex, "\(count) bytes")
            // And a change anywhere changes it.
            if count > 0 {
                var changed = bytes
                changed[count / 2] ^= 1
                var other = ContentHash()
                other.combine(17)
                changed.withUnsafeBytes { other.combine(bytes: $0) }
                XCTAssertNotEqual(other.hex, whole.hex)
            }
        }
    }
}

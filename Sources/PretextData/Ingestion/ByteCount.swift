/// Counting one byte value in a buffer, vectorised.
enum ByteCount {
    /// The number of bytes equal to `byte` in `bytes[0..<count]`: blocks of 64 counted
    /// into a byte (at most 64 fits) with a branch-free compare the compiler turns into
    /// vector compares. A `memchr` call per occurrence (one per line when counting line
    /// breaks) or a compare-and-branch per byte cost several times more.
    static func count(_ byte: UInt8, in bytes: UnsafePointer<UInt8>, count: Int) -> Int {
        var total = 0, index = 0
        while index + 64 <= count {
            var block: UInt8 = 0
            for offset in 0..<64 { block &+= UInt8(truncatingIfNeeded: (bytes[index + offset] ^ byte) == 0 ? 1 : 0) }
            total += Int(block)
            index += 64
        }
        while index < count {
            if bytes[index] == byte { total += 1 }
            index += 1
        }
        return total
    }

    /// Whether `byte` occurs in `bytes[0..<count]`, for short fields without a call: 8
    /// bytes at a time by the zero-byte test of x ⊕ (byte repeated) — a byte of v is zero
    /// exactly when (v − 0x01…01) & ~v & 0x80…80 ≠ 0 (no false positives for the question
    /// "any?") — the last word overlapping the one before, inside the field.
    @inline(__always)
    static func contains(_ byte: UInt8, in bytes: UnsafePointer<UInt8>, count: Int) -> Bool {
        if count < 8 {
            for index in 0..<count where bytes[index] == byte { return true }
            return false
        }
        let raw = UnsafeRawPointer(bytes)
        let pattern = UInt64(byte) &* 0x0101_0101_0101_0101
        @inline(__always) func hasByte(_ offset: Int) -> Bool {
            let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self) ^ pattern
            return (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080 != 0
        }
        var offset = 0
        while offset + 8 < count {
            if hasByte(offset) { return true }
            offset += 8
        }
        return hasByte(count - 8)
    }
}

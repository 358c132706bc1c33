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
}

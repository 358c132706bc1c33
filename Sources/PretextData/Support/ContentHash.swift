/// A 64-bit hash of content, for cache keys: two inputs that differ in any byte get
/// different values except with probability ~2⁻⁶⁴ (not cryptographic: it guards against
/// stale reuse, not against an adversary).
///
/// Bytes are taken eight at a time, each word mixed in as `h ← rotl(h ⊕ w·k₁, 31)·k₂`
/// (the round of xxHash64), then the length and a final avalanche (MurmurHash3's
/// `fmix64`). Each `combine` of a variable-length value also mixes its length, so
/// `["ab", "c"]` and `["a", "bc"]` differ.
public struct ContentHash: Sendable {
    private var state: UInt64 = 0x27d4_eb2f_1656_67c5
    private var length: UInt64 = 0

    public init() {}

    /// Mixes in raw bytes (and their count).
    public mutating func combine(bytes: UnsafeRawBufferPointer) {
        mixWords(bytes)
        mix(UInt64(bytes.count))
        length &+= UInt64(bytes.count)
    }

    /// Mixes `bytes` eight at a time, then a last partial word zero-padded.
    private mutating func mixWords(_ bytes: UnsafeRawBufferPointer) {
        let count = bytes.count
        var offset = 0
        while offset + 8 <= count {
            mix(bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        if offset < count {
            var tail: UInt64 = 0
            for index in offset..<count { tail |= UInt64(bytes[index]) << (8 * UInt64(index - offset)) }
            mix(tail)
        }
    }

    /// Mixes in `count` bytes that `read` delivers piece by piece (each call fills as much
    /// of the buffer it is given as it can and returns how many bytes it wrote), with the
    /// same result as `combine(bytes:)` on all of them at once — for data too large to
    /// hold, e.g. a file read in blocks. Fewer bytes than `count` is an error of `read`'s.
    public mutating func combine(count: Int, reading read: (UnsafeMutableRawBufferPointer) throws -> Int) rethrows {
        let block = 1 << 20   // a multiple of 8: only the last piece may end in a partial word
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: block, alignment: 8)
        defer { buffer.deallocate() }
        var remaining = count
        while remaining > 0 {
            let want = min(block, remaining)
            var got = 0
            while got < want {
                let n = try read(UnsafeMutableRawBufferPointer(rebasing: buffer[got..<want]))
                precondition(n > 0, "ContentHash.combine(count:reading:): the reader ended \(remaining - got) bytes early")
                got += n
            }
            mixWords(UnsafeRawBufferPointer(rebasing: buffer[0..<want]))
            remaining -= want
        }
        mix(UInt64(count))
        length &+= UInt64(count)
    }

    public mutating func combine<Element: BitwiseCopyable>(_ values: [Element]) {
        values.withUnsafeBytes { combine(bytes: $0) }
    }

    public mutating func combine(_ text: String) {
        var text = text
        text.withUTF8 { combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    public mutating func combine(_ value: Int) { mix(UInt64(bitPattern: Int64(value))) }

    private mutating func mix(_ word: UInt64) {
        let input = state ^ (word &* 0xc2b2_ae3d_27d4_eb4f)
        state = (input << 31 | input >> 33) &* 0x9e37_79b9_7f4a_7c15
    }

    /// The hash so far, avalanched.
    public var value: UInt64 {
        var h = state ^ length
        h ^= h >> 33
        h &*= 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        h &*= 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        return h
    }

    /// `value` as 16 hexadecimal digits.
    public var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

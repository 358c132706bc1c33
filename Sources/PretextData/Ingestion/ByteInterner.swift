#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The distinct texts of one column in one chunk, found by their bytes: a field costs a
/// hash of its bytes and one `memcmp` against the value already in its slot, and a
/// `String` is built (and its UTF-8 checked) only the first time a value appears — not
/// once per field, which made text-heavy CSVs several times slower to read than numeric
/// ones.
///
/// Open addressing with linear probing over a power-of-two table of codes, kept at most
/// half full; distinct values live back to back in one byte arena.
struct ByteInterner {
    private var arena: [UInt8] = []
    private var starts: [Int] = [0]            // value i = arena[starts[i] ..< starts[i + 1]]
    private var hashes: [UInt64] = []
    private var slots: [Int32]                 // −1 = empty
    private var mask: Int
    /// Code → text, in order of first appearance.
    private(set) var texts: [String] = []

    init(capacity: Int = 64) {
        var size = 16
        while size < 2 * capacity { size *= 2 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    var count: Int { texts.count }

    /// The code of the `count` bytes at `bytes`, adding them if new; nil when new bytes
    /// hold a NUL byte or are not valid UTF-8 (nothing is added then, so a value found in
    /// the table never needs either check again).
    @inline(__always)
    mutating func code(_ bytes: UnsafePointer<UInt8>, count: Int) -> Int32? {
        let hash = Self.hash(bytes, count: count)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let code = slots[slot]
            if code < 0 { break }
            let index = Int(code)
            if hashes[index] == hash, starts[index + 1] - starts[index] == count,
               arena.withUnsafeBufferPointer({ memcmp($0.baseAddress! + starts[index], bytes, count) == 0 }) {
                return code
            }
            slot = (slot + 1) & mask
        }
        guard memchr(bytes, 0, count) == nil,
              let text = String(validating: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self) else { return nil }
        let code = Int32(texts.count)
        texts.append(text)
        hashes.append(hash)
        arena.append(contentsOf: UnsafeBufferPointer(start: bytes, count: count))
        starts.append(arena.count)
        slots[slot] = code
        if 2 * texts.count > slots.count { grow() }
        return code
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        mask = slots.count - 1
        for (index, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }

    /// A 64-bit hash of the bytes, 8 at a time (multiply–xorshift mixing, the finaliser
    /// of MurmurHash3); not for adversaries, only to spread a column's values. The last
    /// 1–7 bytes are read by two overlapping loads inside the field (a `memcpy` into a
    /// word there cost a store-forwarding stall on every text field).
    @inline(__always)
    static func hash(_ bytes: UnsafePointer<UInt8>, count: Int) -> UInt64 {
        let raw = UnsafeRawPointer(bytes)
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(count)
        var offset = 0
        while offset + 8 <= count {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            h = (h ^ word) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            offset += 8
        }
        let tail = count - offset
        if tail > 0 {
            let word: UInt64
            if count >= 8 {
                // The last 8 bytes (overlapping the words above), shifted so only the tail counts.
                word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)) >> UInt64(64 - 8 * tail)
            } else if tail >= 4 {
                let low = UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt32.self)))
                let high = UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: tail - 4, as: UInt32.self)))
                word = low | high << 32
            } else {
                word = UInt64(bytes[0]) | UInt64(bytes[tail >> 1]) << 8 | UInt64(bytes[tail - 1]) << 16
            }
            h = (h ^ word) &* 0xC4CE_B9FE_1A85_EC53
        }
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        return h
    }
}

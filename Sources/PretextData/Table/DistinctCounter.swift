/// Counts distinct keys — open addressing, linear probing, a multiplicative hash — for
/// column summaries, where `Set` with its SipHash cost a tenth of `inspect`.
///
/// The keys are the bit patterns of non-NaN numbers (`UInt32` for `Float`, `UInt64` for
/// `Double`), which are never all ones (that pattern is a NaN), so `Key.max` marks an
/// empty slot: one raw table, one load per probe, no copy-on-write check per insert.
/// Keys as wide as the numbers keep the table of a `Float` column half the size, and
/// the table is kept at most half full, so a column of 10,000 levels probes 128 KB (in
/// a core's L2 cache) rather than megabytes.
struct DistinctCounter<Key: FixedWidthInteger & UnsignedInteger>: ~Copyable {
    private var slots: UnsafeMutablePointer<Key>
    private var size: Int                 // a power of two
    private(set) var count = 0
    private static var empty: Key { Key.max }

    /// Room for `expected` keys without growing (at most half full); default 512.
    init(expected: Int = 512) {
        size = Self.size(for: expected, atLeast: 1024)
        slots = .allocate(capacity: size)
        slots.initialize(repeating: Self.empty, count: size)
    }

    deinit { slots.deallocate() }

    private static func size(for expected: Int, atLeast minimum: Int) -> Int {
        var size = minimum
        while size < 2 * expected { size *= 2 }
        return size
    }

    /// The first slot of `key`: the high bits of its product with 2⁶⁴/φ (Fibonacci
    /// hashing), which spread keys that differ only in high or low bits.
    @inline(__always)
    private static func home(_ key: Key, mask: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(truncatingIfNeeded: key) &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
    }

    /// Adds `key` (not `Key.max`) if new.
    @inline(__always)
    mutating func insert(_ key: Key) {
        precondition(key != Self.empty, "DistinctCounter keys are below Key.max")
        let mask = size - 1
        var slot = Self.home(key, mask: mask)
        while true {
            let held = slots[slot]
            if held == key { return }
            if held == Self.empty { break }
            slot = (slot + 1) & mask
        }
        slots[slot] = key
        count += 1
        if 2 * count > size { rehash(size: size * 2) }
    }

    /// Room for `expected` keys in all without further growth.
    mutating func reserve(_ expected: Int) {
        let wanted = Self.size(for: expected, atLeast: size)
        if wanted > size { rehash(size: wanted) }
    }

    private mutating func rehash(size newSize: Int) {
        let old = slots, oldSize = size
        slots = .allocate(capacity: newSize)
        slots.initialize(repeating: Self.empty, count: newSize)
        size = newSize
        let mask = newSize - 1
        for index in 0..<oldSize where old[index] != Self.empty {
            var slot = Self.home(old[index], mask: mask)
            while slots[slot] != Self.empty { slot = (slot + 1) & mask }
            slots[slot] = old[index]
        }
        old.deallocate()
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The distinct texts of one column in one chunk, found by their bytes: a field costs a
/// hash of its bytes and one comparison against the value already in its slot, and a
/// `String` is built (and its UTF-8 checked) only the first time a value appears — not
/// once per field, which made text-heavy CSVs several times slower to read than numeric
/// ones.
///
/// Open addressing with linear probing over a power-of-two table of codes, kept at most
/// half full; distinct values live back to back in one byte arena. The table, the
/// values' records and the arena are raw buffers (a Swift array would pay a uniqueness
/// check and bounds checks on every field), so the owner calls `deallocate()` once, when
/// it is done (`ColumnBuilder.finish`).
struct ByteInterner {
    /// Where value i's bytes are in the arena, and their hash.
    private struct Entry {
        var hash: UInt64
        var start: Int
        var count: Int
    }

    private var slots: UnsafeMutablePointer<Int32>      // (mask + 1,) −1 = empty
    private var mask: Int
    private var entries: UnsafeMutablePointer<Entry>    // (entryCapacity,)
    private var entryCapacity: Int
    private var arena: UnsafeMutablePointer<UInt8>      // (arenaCapacity,)
    private var arenaCount = 0
    private var arenaCapacity: Int
    /// Code → text, in order of first appearance.
    private(set) var texts: [String] = []

    init(capacity: Int = 64) {
        var size = 16
        while size < 2 * capacity { size *= 2 }
        slots = .allocate(capacity: size)
        slots.initialize(repeating: -1, count: size)
        mask = size - 1
        entryCapacity = size / 2
        entries = .allocate(capacity: entryCapacity)
        arenaCapacity = 16 * entryCapacity
        arena = .allocate(capacity: arenaCapacity)
    }

    /// Frees the buffers; the interner must not be used afterwards (`texts` stays valid
    /// in copies taken before).
    func deallocate() {
        slots.deallocate()
        entries.deallocate()
        arena.deallocate()
    }

    var count: Int { texts.count }

    /// The code of the `count` bytes at `bytes`, adding them if new; nil when new bytes
    /// hold a NUL byte or are not valid UTF-8 (nothing is added then, so a value found in
    /// the table never needs either check again).
    @_transparent
    mutating func code(_ bytes: UnsafePointer<UInt8>, count: Int) -> Int32? {
        let hash = Self.hash(bytes, count: count)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let code = slots[slot]
            if code < 0 { break }
            let entry = entries[Int(code)]
            if entry.hash == hash, entry.count == count, Self.equal(arena + entry.start, bytes, count: count) {
                return code
            }
            slot = (slot + 1) & mask
        }
        return add(bytes, count: count, hash: hash, slot: slot)
    }

    /// A new value (the rare path, out of line).
    private mutating func add(_ bytes: UnsafePointer<UInt8>, count: Int, hash: UInt64, slot: Int) -> Int32? {
        guard memchr(bytes, 0, count) == nil,
              let text = String(validating: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self) else { return nil }
        let code = Int32(texts.count)
        texts.append(text)
        if texts.count > entryCapacity {
            let grown = UnsafeMutablePointer<Entry>.allocate(capacity: 2 * entryCapacity)
            grown.moveInitialize(from: entries, count: entryCapacity)
            entries.deallocate()
            entries = grown
            entryCapacity *= 2
        }
        if arenaCount + count > arenaCapacity {
            var grownCapacity = 2 * arenaCapacity
            while grownCapacity < arenaCount + count { grownCapacity *= 2 }
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: grownCapacity)
            grown.update(from: arena, count: arenaCount)
            arena.deallocate()
            arena = grown
            arenaCapacity = grownCapacity
        }
        (arena + arenaCount).update(from: bytes, count: count)
        (entries + Int(code)).initialize(to: Entry(hash: hash, start: arenaCount, count: count))
        arenaCount += count
        slots[slot] = code
        if 2 * texts.count > mask + 1 { grow() }
        return code
    }

    private mutating func grow() {
        let size = 2 * (mask + 1)
        slots.deallocate()
        slots = .allocate(capacity: size)
        slots.initialize(repeating: -1, count: size)
        mask = size - 1
        for index in 0..<texts.count {
            var slot = Int(truncatingIfNeeded: entries[index].hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }

    /// Whether `count` bytes at `a` and at `b` are equal. Up to 16 bytes by at most four
    /// overlapping word loads inside both ranges (most categorical levels are short; the
    /// `memcmp` call with its spills cost more than the comparison); longer by `memcmp`.
    @_transparent
    static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, count: Int) -> Bool {
        let rawA = UnsafeRawPointer(a), rawB = UnsafeRawPointer(b)
        if count >= 8 {
            if count > 16 { return memcmp(a, b, count) == 0 }
            let head = rawA.loadUnaligned(as: UInt64.self) ^ rawB.loadUnaligned(as: UInt64.self)
            let tail = rawA.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
                ^ rawB.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
            return head | tail == 0
        }
        if count >= 4 {
            let head = rawA.loadUnaligned(as: UInt32.self) ^ rawB.loadUnaligned(as: UInt32.self)
            let tail = rawA.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
                ^ rawB.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
            return head | tail == 0
        }
        if count == 0 { return true }
        // 1–3 bytes: the first, middle and last cover every position.
        return a[0] == b[0] && a[count >> 1] == b[count >> 1] && a[count - 1] == b[count - 1]
    }

    /// A 64-bit hash of the bytes, 8 at a time (multiply–xorshift mixing, the finaliser
    /// of MurmurHash3); not for adversaries, only to spread a column's values. The last
    /// 1–7 bytes are read by two overlapping loads inside the field (a `memcpy` into a
    /// word there cost a store-forwarding stall on every text field).
    @_transparent
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

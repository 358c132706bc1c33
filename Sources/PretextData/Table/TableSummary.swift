import Foundation
import Dispatch

/// Per-column statistics for `pretext inspect`.
public struct ColumnSummary: Sendable, Equatable {
    public var name: String
    public var type: ColumnType
    public var role: ColumnRole
    public var isIntegral: Bool
    public var missingFraction: Double
    public var distinctCount: Int
    public var minimum: Double?
    public var mean: Double?
    public var maximum: Double?
    /// The most frequent values with their counts (categorical and boolean columns).
    public var topValues: [(value: String, count: Int)]

    public static func == (lhs: ColumnSummary, rhs: ColumnSummary) -> Bool {
        lhs.name == rhs.name && lhs.type == rhs.type && lhs.distinctCount == rhs.distinctCount
            && lhs.missingFraction == rhs.missingFraction && lhs.minimum == rhs.minimum && lhs.maximum == rhs.maximum
    }

    /// Numeric columns count distinct values up to this many; a `distinctCount` above it
    /// means "more than distinctLimit".
    public static let distinctLimit = 100_000

    /// `distinctCount` as text: "> 100000" when counting stopped at the limit.
    public var distinctText: String {
        distinctCount > Self.distinctLimit ? "> \(Self.distinctLimit)" : String(distinctCount)
    }

    public init(_ column: Column) {
        name = column.name
        type = column.type
        role = column.role
        let rows = column.count
        var missing = 0
        topValues = []
        isIntegral = false
        switch column.storage {
        case .numeric(let values):
            var sum = 0.0, low = Float.infinity, high = -Float.infinity, present = 0
            var integral = true
            values.withUnsafeBufferPointer { values in
                for value in values where !value.isNaN {
                    present += 1
                    sum += Double(value)
                    low = min(low, value)
                    high = max(high, value)
                    // Integral without a libm call per value: every float of magnitude
                    // ≥ 2²³ is an integer; below, truncation to Int32 is exact.
                    integral = integral && (abs(value) >= 8_388_608 || Float(Int32(value)) == value)
                }
            }
            missing = rows - present
            // Distinct values are counted up to distinctLimit + 1 (then the count means
            // "more than distinctLimit"), so a column of a million decimals stops early.
            // The table is sized by the first 4,096 present values: sized for the limit
            // up front, a column of 100 levels probed a 2 MB table on every value;
            // started small, a column of a million decimals paid every growth.
            distinctCount = values.withUnsafeBufferPointer { values -> Int in
                var distinct = DistinctCounter()
                var index = 0
                while index < values.count, distinct.count <= Self.distinctLimit {
                    let value = values[index]
                    index += 1
                    if value.isNaN { continue }
                    distinct.insert(UInt64(value.bitPattern))
                    if index == 4_096, 2 * distinct.count > index, present > 2 * index {
                        distinct.reserve(min(present, Self.distinctLimit + 1))
                    }
                }
                return distinct.count
            }
            isIntegral = present > 0 && integral
            if present > 0 { minimum = Double(low); maximum = Double(high); mean = sum / Double(present) }
            if column.type == .boolean {   // values 0 and 1
                let spellings = column.booleanSpellings ?? ["false", "true"]
                let trues = values.reduce(0) { $0 + ($1 != 0 && !$1.isNaN ? 1 : 0) }, falses = present - trues
                topValues = [(spellings[1], trues), (spellings[0], falses)].filter { $0.1 > 0 }.sorted { $0.1 > $1.1 }
            }
        case .categorical(let codes, let vocabulary):
            var counts = [Int](repeating: 0, count: vocabulary.count)
            for code in codes { if code < 0 { missing += 1 } else { counts[Int(code)] += 1 } }
            distinctCount = counts.filter { $0 > 0 }.count
            topValues = counts.indices.filter { counts[$0] > 0 }
                .sorted { counts[$0] > counts[$1] || (counts[$0] == counts[$1] && $0 < $1) }
                .prefix(5).map { (vocabulary[$0], counts[$0]) }
        case .datetime(let values):
            let present = values.filter { !$0.isNaN }
            missing = rows - present.count
            var distinct = DistinctCounter()
            for value in present { distinct.insert(value.bitPattern) }
            distinctCount = distinct.count
            minimum = present.min()
            maximum = present.max()
        }
        missingFraction = rows > 0 ? Double(missing) / Double(rows) : 0
    }

    /// The summaries of `columns`, in order, computed on every core (columns dealt
    /// round-robin to the lanes; each slot is written by one lane only).
    public static func summaries(of columns: [Column]) -> [ColumnSummary] {
        parallelMap(columns.count) { ColumnSummary(columns[$0]) }
    }

    /// A short human summary: range for numbers, top values for labels.
    public var summaryText: String {
        switch type {
        case .numeric:
            guard let minimum, let mean, let maximum else { return "(all missing)" }
            return "min \(Self.number(minimum))  mean \(Self.number(mean))  max \(Self.number(maximum))"
        case .datetime:
            guard let minimum, let maximum else { return "(all missing)" }
            return "\(ISODate.format(minimum)) … \(ISODate.format(maximum))"
        case .boolean, .categorical:
            let text = topValues.prefix(3).map { "\($0.value) (\($0.count))" }.joined(separator: ", ")
                + (distinctCount > 3 ? ", …" : "")
            return text.count > 70 ? String(text.prefix(69)) + "…" : text
        }
    }

    static func number(_ value: Double) -> String {
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if value == value.rounded(), abs(value) < 1e9 { return String(Int(value)) }
        let magnitude = abs(value)
        if magnitude >= 1e6 || magnitude < 1e-3 { return String(format: "%.3g", value) }
        return String(format: "%.4g", value)
    }
}

/// Counts distinct 64-bit keys — open addressing, linear probing, a multiplicative hash —
/// for column summaries, where `Set` with its SipHash cost a tenth of `inspect`.
struct DistinctCounter {
    /// Open addressing over the bit patterns of non-NaN numbers, which are never all
    /// ones (that pattern is a NaN), so `UInt64.max` marks an empty slot: one array, one
    /// load per probe.
    private var slots: [UInt64]
    private(set) var count = 0
    private static let empty = UInt64.max

    /// Room for `expected` keys without growing (at most half full); default 512.
    init(expected: Int = 512) {
        var size = 1024
        while size < 2 * expected { size *= 2 }
        slots = [UInt64](repeating: Self.empty, count: size)
    }

    /// Adds `key` (below 2⁶⁴ − 1) if new.
    mutating func insert(_ key: UInt64) {
        precondition(key != Self.empty, "DistinctCounter keys are below 2^64 - 1")
        let added = slots.withUnsafeMutableBufferPointer { slots -> Bool in
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
            while true {
                let held = slots[slot]
                if held == key { return false }
                if held == Self.empty { slots[slot] = key; return true }
                slot = (slot + 1) & mask
            }
        }
        if added {
            count += 1
            if 2 * count > slots.count { grow() }
        }
    }

    /// Room for `expected` keys in all without further growth.
    mutating func reserve(_ expected: Int) {
        var size = slots.count
        while size < 2 * expected { size *= 2 }
        if size > slots.count { rehash(size: size) }
    }

    private mutating func grow() { rehash(size: slots.count * 2) }

    private mutating func rehash(size: Int) {
        let keys = slots.filter { $0 != Self.empty }
        slots = [UInt64](repeating: Self.empty, count: size)
        count = 0
        for key in keys { insert(key) }
    }
}

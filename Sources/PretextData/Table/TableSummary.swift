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
            let statistics = values.withUnsafeBufferPointer(NumericStatistics.init)
            let (present, sum, low, high, integral) = (statistics.present, statistics.sum, statistics.low, statistics.high, statistics.integral)
            missing = rows - present
            // Distinct values are counted up to distinctLimit + 1 (then the count means
            // "more than distinctLimit"), so a column of a million decimals stops early.
            // The table grows as values come, except that a column whose first 4,096
            // present values were (nearly) all distinct is sized for the limit at once
            // (it pays no growths). Sized for the limit whenever half were distinct, a
            // column of 10,000 levels probed a 2 MB table a million times (a third of
            // `inspect`'s summaries), where 128 KB holds it.
            distinctCount = values.withUnsafeBufferPointer { values -> Int in
                var distinct = DistinctCounter<UInt32>()
                var index = 0, seen = 0
                while index < values.count, distinct.count <= Self.distinctLimit {
                    let value = values[index]
                    index += 1
                    if value.isNaN { continue }
                    distinct.insert(value.bitPattern)
                    seen += 1
                    if seen == 4_096, 16 * distinct.count >= 15 * seen, present > 2 * seen {
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
            var distinct = DistinctCounter<UInt64>()
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

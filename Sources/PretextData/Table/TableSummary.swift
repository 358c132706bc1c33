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

    /// Numeric and date columns count distinct values up to this many; a `distinctCount` above it
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
            // Counted up to distinctLimit + 1 (then the count means "more than
            // distinctLimit"), so a column of a million decimals stops early.
            distinctCount = values.withUnsafeBufferPointer { statistics.distinctCount(of: $0, limit: Self.distinctLimit) }
            isIntegral = present > 0 && integral
            if present > 0 { minimum = Double(low); maximum = Double(high); mean = sum / Double(present) }
            if column.type == .boolean {   // values 0 and 1
                let spellings = column.booleanSpellings ?? ["false", "true"]
                let falses = statistics.zeros, trues = present - falses
                topValues = [(spellings[1], trues), (spellings[0], falses)].filter { $0.1 > 0 }.sorted { $0.1 > $1.1 }
            }
        case .categorical(let codes, let vocabulary):
            var countsAndMissing = [Int](repeating: 0, count: vocabulary.count + 1)   // missing (−1) first
            for code in codes { countsAndMissing[Int(code) + 1] += 1 }
            missing = countsAndMissing[0]
            let counts = Array(countsAndMissing.dropFirst())
            distinctCount = counts.filter { $0 > 0 }.count
            topValues = counts.indices.filter { counts[$0] > 0 }
                .sorted { counts[$0] > counts[$1] || (counts[$0] == counts[$1] && $0 < $1) }
                .prefix(5).map { (vocabulary[$0], counts[$0]) }
        case .datetime(let values):
            let present = values.filter { !$0.isNaN }
            missing = rows - present.count
            distinctCount = present.withUnsafeBufferPointer { NumericStatistics.distinctCount(of: $0, limit: Self.distinctLimit) }
            minimum = present.min()
            maximum = present.max()
        }
        missingFraction = rows > 0 ? Double(missing) / Double(rows) : 0
    }

    /// The summaries of `columns`, in order, computed on every core (each lane takes the
    /// next column not yet taken; each slot is written by one lane only).
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

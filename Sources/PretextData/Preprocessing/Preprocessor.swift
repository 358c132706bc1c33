/// Learns feature preparation from training rows: `fit(table, rows:)` returns a
/// `FittedPreprocessor` that turns any table with the same columns into a
/// `FeatureMatrix`.
///
/// Per feature column (role `.feature`):
/// - numeric, boolean and datetime: missing and non-finite values are imputed with the
///   fit rows' median, then standardised, z = (x − μ) / σ, or mapped through the fit
///   rows' empirical CDF F to Φ⁻¹(F(x)) (`quantileNormal`);
/// - categorical: one-hot over the categories seen (at least `minimumCategoryCount`
///   times) plus an unknown bucket, so categories unseen at fit time never fail. One-hot
///   rather than a separate embedding layer: a one-hot block times the first Linear
///   layer's weights *is* an embedding lookup (one column of W per category), so the
///   network learns the same thing without a second code path; the bundled tables'
///   vocabularies are small (at most 28 levels); and SCARF replaces a column's whole
///   block, exactly as it would replace an embedding index;
/// - a 0/1 missing indicator follows every column that had a missing value;
/// - constant columns (one value, nothing missing) are dropped with a note.
public struct Preprocessor: Sendable {
    public var config: PreprocessingConfig

    public init(config: PreprocessingConfig = PreprocessingConfig()) {
        self.config = config
    }

    public func fit(_ table: Table, rows: [Int]) throws -> FittedPreprocessor {
        try config.validate()
        guard !rows.isEmpty else {
            throw DataError.invalidOption(name: "rows", value: "[]", reason: "preprocessing needs at least one row to fit on")
        }
        let columns = table.columns.filter { $0.role == .feature }
        let fractions = FeatureBuilder(config: config).quantileFractions
        // Each column's statistics on every core (a wide table's sorts dominate the fit);
        // the features are then built in column order, as one loop would.
        let summaries = parallelMap(columns.count) { Self.summarise(columns[$0], rows: rows, fractions: fractions) }
        var builder = FeatureBuilder(config: config)
        for (column, summary) in zip(columns, summaries) {
            switch summary {
            case .categorical(let counts, let vocabulary, let missingCount):
                builder.addCategorical(name: column.name, vocabulary: vocabulary, counts: counts, missingCount: missingCount)
            case .numeric(let missingCount, let count, let range, let mean, let variance, let quantiles):
                builder.addNumeric(name: column.name, type: column.type, missingCount: missingCount, count: count,
                                   range: range, mean: mean, variance: variance) { _ in quantiles }
            }
        }
        return builder.fitted
    }

    /// One feature column's statistics over the fit rows (not `ColumnSummary`, which
    /// describes a column for `inspect`).
    private enum FitStatistics {
        case categorical(counts: [Int], vocabulary: [String], missingCount: Int)
        /// `quantiles`: at `FeatureBuilder.quantileFractions(count)`, in that order.
        case numeric(missingCount: Int, count: Int, range: (Double, Double)?, mean: Double, variance: Double, quantiles: [Double])
    }

    private static func summarise(_ column: Column, rows: [Int], fractions: (Int) -> [Double]) -> FitStatistics {
        let missingCount = rows.reduce(0) { $0 + (isMissing(column, $1) ? 1 : 0) }
        switch column.storage {
        case .categorical(let codes, let vocabulary):
            var counts = [Int](repeating: 0, count: vocabulary.count)
            for row in rows where codes[row] >= 0 { counts[Int(codes[row])] += 1 }
            return .categorical(counts: counts, vocabulary: vocabulary, missingCount: missingCount)
        case .numeric, .datetime:
            let values = RadixSort.sorted(rows.compactMap { row -> Double? in
                let value = number(column, row)
                return value.isFinite ? value : nil
            })
            let mean = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
            let variance = values.isEmpty ? 0 : values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
            return .numeric(missingCount: missingCount, count: values.count, range: values.isEmpty ? nil : (values.first!, values.last!),
                            mean: mean, variance: variance,
                            quantiles: values.isEmpty ? [] : fractions(values.count).map { quantile(values, $0) })
        }
    }

    static func isMissing(_ column: Column, _ row: Int) -> Bool {
        switch column.storage {
        case .categorical(let codes, _): return codes[row] < 0
        case .numeric(let values): return !values[row].isFinite
        case .datetime(let values): return !values[row].isFinite
        }
    }

    static func number(_ column: Column, _ row: Int) -> Double {
        switch column.storage {
        case .numeric(let values): return Double(values[row])
        case .datetime(let values): return values[row]
        case .categorical: return .nan
        }
    }

    /// Linear-interpolated quantile of sorted values (NumPy's default method).
    public static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }
}

/// Turns each feature column's statistics — exact (`Preprocessor.fit`) or streamed
/// (`Preprocessor.fit(_:excluding:)`) — into its fitted state by the rules above.
struct FeatureBuilder {
    let config: PreprocessingConfig
    private(set) var features: [FeatureState] = []
    private(set) var notes: [String] = []

    init(config: PreprocessingConfig) { self.config = config }

    var fitted: FittedPreprocessor { FittedPreprocessor(config: config, features: features, notes: notes) }

    /// Categories kept: seen at least `minimumCategoryCount` times, most frequent first
    /// (ties by name). A single one with nothing missing is a constant column.
    mutating func addCategorical(name: String, vocabulary: [String], counts: [Int], missingCount: Int) {
        let kept = counts.indices.filter { counts[$0] >= config.minimumCategoryCount && counts[$0] > 0 }
            .sorted { counts[$0] > counts[$1] || (counts[$0] == counts[$1] && vocabulary[$0] < vocabulary[$1]) }
        if kept.count <= 1 && missingCount == 0 {
            notes.append("dropped constant column \"\(name)\" (a single category in the fit rows)")
            return
        }
        features.append(.categorical(CategoricalFeature(name: name, vocabulary: kept.map { vocabulary[$0] },
                                                        hasIndicator: config.missingIndicators && missingCount > 0)))
    }

    /// The fractions whose quantiles a numeric feature of `count` finite values needs:
    /// the median, then (quantile-normal) `quantileCount` evenly spaced points.
    func quantileFractions(_ count: Int) -> [Double] {
        var fractions = [0.5]
        if config.numericTransform == .quantileNormal {
            let points = min(config.quantileCount, count)
            fractions += (0..<points).map { points == 1 ? 0.5 : Double($0) / Double(points - 1) }
        }
        return fractions
    }

    /// - Parameters:
    ///   - count: finite values; `range`: their smallest and largest (nil without any).
    ///   - quantiles: the q-quantiles of the finite values, for fractions q in 0…1.
    mutating func addNumeric(name: String, type: ColumnType, missingCount: Int, count: Int, range: (Double, Double)?,
                             mean: Double, variance: Double, quantiles: ([Double]) -> [Double]) {
        guard let range, !(range.0 == range.1 && missingCount == 0) else {
            notes.append("dropped constant column \"\(name)\" (\(range == nil ? "no values" : "one value")) in the fit rows)")
            return
        }
        let values = quantiles(quantileFractions(count))
        features.append(.numeric(NumericFeature(name: name, sourceType: type, median: values[0], mean: mean,
                                                scale: variance > 0 ? variance.squareRoot() : 1,
                                                quantiles: config.numericTransform == .quantileNormal ? Array(values.dropFirst()) : nil,
                                                hasIndicator: config.missingIndicators && missingCount > 0)))
    }
}

/// One numeric feature's fitted state.
public struct NumericFeature: Codable, Sendable, Equatable {
    public var name: String
    public var sourceType: ColumnType
    public var median: Double
    public var mean: Double
    public var scale: Double
    /// Reference quantiles for the quantile-normal transform (nil for standardise).
    public var quantiles: [Double]?
    public var hasIndicator: Bool
}

/// One categorical feature's fitted state: the kept categories, most frequent first.
public struct CategoricalFeature: Codable, Sendable, Equatable {
    public var name: String
    public var vocabulary: [String]
    public var hasIndicator: Bool
}

public enum FeatureState: Codable, Sendable, Equatable {
    case numeric(NumericFeature)
    case categorical(CategoricalFeature)

    public var name: String {
        switch self {
        case .numeric(let feature): return feature.name
        case .categorical(let feature): return feature.name
        }
    }
}

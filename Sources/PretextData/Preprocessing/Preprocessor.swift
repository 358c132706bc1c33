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
        var features: [FeatureState] = []
        var notes: [String] = []
        for column in table.columns where column.role == .feature {
            let missingCount = rows.reduce(0) { $0 + (Self.isMissing(column, $1) ? 1 : 0) }
            let hasIndicator = config.missingIndicators && missingCount > 0
            switch column.storage {
            case .categorical(let codes, let vocabulary):
                var counts = [Int](repeating: 0, count: vocabulary.count)
                for row in rows where codes[row] >= 0 { counts[Int(codes[row])] += 1 }
                let kept = counts.indices.filter { counts[$0] >= config.minimumCategoryCount && counts[$0] > 0 }
                    .sorted { counts[$0] > counts[$1] || (counts[$0] == counts[$1] && vocabulary[$0] < vocabulary[$1]) }
                if kept.count <= 1 && missingCount == 0 {
                    notes.append("dropped constant column \"\(column.name)\" (a single category in the fit rows)")
                    continue
                }
                features.append(.categorical(CategoricalFeature(name: column.name, vocabulary: kept.map { vocabulary[$0] },
                                                                hasIndicator: hasIndicator)))
            case .numeric, .datetime:
                let values = rows.compactMap { row -> Double? in
                    let value = Self.number(column, row)
                    return value.isFinite ? value : nil
                }.sorted()
                if values.isEmpty || (values.first == values.last && missingCount == 0) {
                    notes.append("dropped constant column \"\(column.name)\" (\(values.isEmpty ? "no values" : "one value")) in the fit rows)")
                    continue
                }
                let mean = values.reduce(0, +) / Double(values.count)
                let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
                let median = Self.quantile(values, 0.5)
                var quantiles: [Double]? = nil
                if config.numericTransform == .quantileNormal {
                    let count = min(config.quantileCount, values.count)
                    quantiles = (0..<count).map { Self.quantile(values, count == 1 ? 0.5 : Double($0) / Double(count - 1)) }
                }
                features.append(.numeric(NumericFeature(name: column.name, sourceType: column.type, median: median, mean: mean,
                                                        scale: variance > 0 ? variance.squareRoot() : 1, quantiles: quantiles,
                                                        hasIndicator: hasIndicator)))
            }
        }
        return FittedPreprocessor(config: config, features: features, notes: notes)
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

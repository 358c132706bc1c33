/// Fitted feature preparation (see `Preprocessor`): Codable, so it travels inside
/// model files, and applied by column name, so column order in new files is free.
public struct FittedPreprocessor: Codable, Sendable, Equatable {
    public var config: PreprocessingConfig
    public var features: [FeatureState]
    /// What fitting decided that a user should know (dropped columns).
    public var notes: [String]
    /// Columns a table may lack: they are then fed as missing (imputed, with their
    /// missing indicator set). Used when an encoder moves to a table without them.
    public var optionalColumns: [String]? = nil

    public init(config: PreprocessingConfig, features: [FeatureState], notes: [String], optionalColumns: [String]? = nil) {
        self.config = config
        self.features = features
        self.notes = notes
        self.optionalColumns = optionalColumns
    }

    /// What `transform` had to work around, for warnings.
    public struct TransformReport: Sendable, Equatable {
        /// Per column, how many values were categories not seen at fit time.
        public var unknownCategories: [String: Int] = [:]
        /// Per column, how many values could not be read as the fitted type.
        public var unreadableValues: [String: Int] = [:]

        public init() {}
    }

    /// The feature-matrix layout: one block per kept source column.
    public var blocks: [FeatureBlock] {
        var blocks: [FeatureBlock] = []
        var next = 0
        for feature in features {
            switch feature {
            case .numeric(let numeric):
                blocks.append(FeatureBlock(column: numeric.name, kind: .numeric, start: next, width: 1,
                                           missingIndicator: numeric.hasIndicator ? next + 1 : nil))
                next += numeric.hasIndicator ? 2 : 1
            case .categorical(let categorical):
                let width = categorical.vocabulary.count + 1
                blocks.append(FeatureBlock(column: categorical.name, kind: .categorical, start: next, width: width,
                                           missingIndicator: categorical.hasIndicator ? next + width : nil))
                next += width + (categorical.hasIndicator ? 1 : 0)
            }
        }
        return blocks
    }

    public var featureNames: [String] {
        features.flatMap { feature -> [String] in
            switch feature {
            case .numeric(let numeric):
                return [numeric.name] + (numeric.hasIndicator ? ["\(numeric.name)__missing"] : [])
            case .categorical(let categorical):
                return categorical.vocabulary.map { "\(categorical.name)=\($0)" } + ["\(categorical.name)=<unknown>"]
                    + (categorical.hasIndicator ? ["\(categorical.name)__missing"] : [])
            }
        }
    }

    /// The source columns a table must have.
    public var requiredColumns: [String] {
        let optional = Set(optionalColumns ?? [])
        return features.map(\.name).filter { !optional.contains($0) }
    }

    /// Transforms every row of `table`.
    ///
    /// - Throws: `DataError.schemaMismatch` listing every required column the table lacks.
    public func transform(_ table: Table) throws -> (matrix: FeatureMatrix, report: TransformReport) {
        let missing = requiredColumns.filter { table.index(of: $0) == nil }
        guard missing.isEmpty else {
            throw DataError.schemaMismatch(missing: missing, reason: "Columns are matched by name; order does not matter.")
        }
        let names = featureNames
        let width = names.count
        let rows = table.rowCount
        var values = [Float](repeating: 0, count: rows * width)   // (rows, width)
        var report = TransformReport()
        var offset = 0
        for feature in features {
            let column = table[feature.name] ?? Self.allMissing(feature, rows: rows)
            switch feature {
            case .numeric(let numeric):
                let (numbers, unreadable) = Self.numbers(column, as: numeric.sourceType)
                if unreadable > 0 { report.unreadableValues[numeric.name] = unreadable }
                for row in 0..<rows {
                    let raw = numbers[row]
                    let present = raw.isFinite
                    values[row * width + offset] = present || config.imputeMissing
                        ? Float(Self.scaled(present ? raw : numeric.median, numeric)) : .nan
                    if numeric.hasIndicator { values[row * width + offset + 1] = present ? 0 : 1 }
                }
                offset += numeric.hasIndicator ? 2 : 1
            case .categorical(let categorical):
                var lookup: [String: Int] = [:]
                for (index, category) in categorical.vocabulary.enumerated() { lookup[category] = index }
                let unknown = categorical.vocabulary.count
                // A categorical column maps each of its codes to a slot once; other
                // storage (numbers read for a categorical feature) goes through text.
                var slotOfCode: [Int] = []
                if case .categorical(_, let vocabulary) = column.storage {
                    slotOfCode = vocabulary.map { lookup[$0] ?? unknown }
                }
                var unknownCount = 0
                for row in 0..<rows {
                    if column.isMissing(row) {
                        if categorical.hasIndicator { values[row * width + offset + unknown + 1] = 1 }
                        continue
                    }
                    let slot: Int
                    if case .categorical(let codes, _) = column.storage {
                        slot = slotOfCode[Int(codes[row])]
                    } else {
                        slot = lookup[column.text(at: row)] ?? unknown
                    }
                    if slot == unknown { unknownCount += 1 }
                    values[row * width + offset + slot] = 1
                }
                if unknownCount > 0 { report.unknownCategories[categorical.name] = unknownCount }
                offset += unknown + 1 + (categorical.hasIndicator ? 1 : 0)
            }
        }
        return (FeatureMatrix(rows: rows, columns: width, values: values, names: names), report)
    }

    /// An all-missing stand-in for an optional column the table lacks.
    static func allMissing(_ feature: FeatureState, rows: Int) -> Column {
        switch feature {
        case .numeric(let numeric):
            return Column(name: numeric.name, type: .numeric, storage: .numeric([Float](repeating: .nan, count: rows)))
        case .categorical(let categorical):
            return Column(name: categorical.name, type: .categorical,
                          storage: .categorical(codes: [Int32](repeating: -1, count: rows), vocabulary: []))
        }
    }

    /// The column's values as numbers; text that does not read as the fitted type is
    /// counted and treated as missing.
    static func numbers(_ column: Column, as type: ColumnType) -> ([Double], Int) {
        switch column.storage {
        case .numeric(let values): return (values.map(Double.init), 0)
        case .datetime(let values): return (values, 0)
        case .categorical(let codes, let vocabulary):
            let parsed = vocabulary.map { text -> Double in
                switch type {
                case .datetime: return ISODate.parse(text) ?? .nan
                case .boolean:
                    let lowered = text.lowercased()
                    return ColumnAssembler.trueTokens.contains(lowered) ? 1 : (ColumnAssembler.falseTokens.contains(lowered) ? 0 : .nan)
                default:
                    if case .value(let value) = FastFloat.parse(text) { return Double(value) }
                    return .nan
                }
            }
            var unreadable = 0
            let values = codes.map { code -> Double in
                guard code >= 0 else { return .nan }
                let value = parsed[Int(code)]
                if value.isNaN { unreadable += 1 }
                return value
            }
            return (values, unreadable)
        }
    }

    /// Standardized values are clipped to ±`standardizedBound` (10⁶ standard deviations):
    /// a value far outside the fit rows' range (say −3·10³⁸ after fitting on numbers 10⁻⁴⁵
    /// apart) would otherwise overflow `Float` to ±inf and turn every prediction into NaN.
    /// Found by the preprocessing fuzz target; no real column reaches the bound.
    public static let standardizedBound: Double = 1e6

    static func scaled(_ value: Double, _ feature: NumericFeature) -> Double {
        guard let quantiles = feature.quantiles, quantiles.count > 1 else {
            return min(max((value - feature.mean) / feature.scale, -standardizedBound), standardizedBound)
        }
        // Position among the reference quantiles, averaging over ties (as scikit-learn).
        let lower = quantiles.partitioningIndex { $0 >= value }
        let upper = quantiles.partitioningIndex { $0 > value }
        let last = Double(quantiles.count - 1)
        var position: Double
        if lower == upper {
            if lower == 0 { position = 0 } else if lower == quantiles.count { position = last } else {
                let left = quantiles[lower - 1], right = quantiles[lower]
                position = Double(lower - 1) + (value - left) / (right - left)
            }
        } else {
            position = Double(lower + upper - 1) / 2
        }
        let probability = min(max(position / last, 1e-7), 1 - 1e-7)
        return InverseNormal.quantile(probability)
    }
}

extension Array {
    /// The first index whose element satisfies `predicate`, for a predicate that is
    /// false then true along the array (binary search).
    func partitioningIndex(where predicate: (Element) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if predicate(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}

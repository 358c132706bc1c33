extension Preprocessor {
    /// Fits on every row of a columnar cache in one streamed pass, `blockRows` rows at a
    /// time, holding per column only its statistics — for tables larger than memory.
    ///
    /// The rules are `fit(_:rows:)`'s. Counts, category counts, ranges, means and
    /// variances are exact (`RunningMoments`; the means and variances differ from the
    /// in-memory fit's only by the order of floating-point sums). Medians and the
    /// quantile-normal transform's reference quantiles come from a `QuantileSketch`
    /// (k = `sketchSize`): each is a value whose rank is within ε·n of the exact one,
    /// ε ≈ 1.3% at the default k = 200 (99% confidence). Datetime values enter the sketch
    /// as Float (a resolution of about two minutes for present-day dates).
    ///
    /// - Parameter excluding: columns that are not features (the target, id columns).
    public func fit(_ cache: CachedTable, excluding: Set<String> = [], blockRows: Int = 65_536, sketchSize: Int = 200) throws -> FittedPreprocessor {
        try fit(statistics(cache, excluding: excluding, blockRows: blockRows, sketchSize: sketchSize), schema: cache.schema)
    }

    /// The statistics `fit(_:excluding:)` needs, of the rows `rows` (default: all) of a
    /// cache, in one streamed pass; several parts' statistics merge
    /// (`CacheStatistics.merge`), so ranks can each read their own part.
    public func statistics(_ cache: CachedTable, excluding: Set<String> = [], rows: Range<Int>? = nil, blockRows: Int = 65_536,
                           sketchSize: Int = 200) throws -> CacheStatistics {
        try config.validate()
        let rows = rows ?? 0..<cache.rowCount
        precondition(rows.lowerBound >= 0 && rows.upperBound <= cache.rowCount, "rows outside the cache")
        let columns = cache.schema.columns.indices.filter { !excluding.contains(cache.schema.columns[$0].name) }
        var statistics = CacheStatistics(rows: rows.count, columns: columns.map { index in
            CacheStatistics.Column(index: index, counts: [Int](repeating: 0, count: cache.schema.columns[index].vocabulary?.count ?? 0),
                                   sketch: QuantileSketch(k: sketchSize, seed: UInt64(index)))
        })
        var start = rows.lowerBound
        while start < rows.upperBound {
            let end = min(rows.upperBound, start + max(1, blockRows))
            let block = cache.table(rows: Array(start..<end))
            for slot in statistics.columns.indices {
                let column = block.columns[statistics.columns[slot].index]
                switch column.storage {
                case .categorical(let codes, _):
                    for code in codes {
                        if code >= 0 { statistics.columns[slot].counts[Int(code)] += 1 } else { statistics.columns[slot].missing += 1 }
                    }
                case .numeric, .datetime:
                    for row in 0..<column.count {
                        let value = Self.number(column, row)
                        guard value.isFinite else {
                            statistics.columns[slot].missing += 1
                            continue
                        }
                        statistics.columns[slot].add(value)
                    }
                }
            }
            start = end
        }
        return statistics
    }

    /// The preprocessing the statistics of every row give (`fit(_:rows:)`'s rules).
    public func fit(_ statistics: CacheStatistics, schema: CacheSchema) throws -> FittedPreprocessor {
        try config.validate()
        guard statistics.rows > 0 else {
            throw DataError.invalidOption(name: "rows", value: "[]", reason: "preprocessing needs at least one row to fit on")
        }
        var builder = FeatureBuilder(config: config)
        for column in statistics.columns {
            let described = schema.columns[column.index]
            if let vocabulary = described.vocabulary {
                builder.addCategorical(name: described.name, vocabulary: vocabulary, counts: column.counts, missingCount: column.missing)
            } else {
                let sketch = column.sketch
                builder.addNumeric(name: described.name, type: described.type, missingCount: column.missing, count: column.moments.count,
                                   range: column.range, mean: column.moments.mean, variance: column.moments.variance) {
                    (sketch.quantiles($0) ?? $0.map { _ in Float.nan }).map(Double.init)
                }
            }
        }
        return builder.fitted
    }
}

/// Per feature column of a cache, what preprocessing is fitted from — counts, category
/// counts, range, exact moments and a quantile sketch — for some of its rows. Parts
/// merge into the statistics of their union (ranks each reading their own rows).
public struct CacheStatistics: Codable, Sendable {
    public struct Column: Codable, Sendable {
        /// The column's index in the cache's schema.
        public var index: Int
        public var missing = 0
        /// Per category of the vocabulary (categorical columns).
        public var counts: [Int]
        public var moments = RunningMoments()
        public var sketch: QuantileSketch
        public var minimum = Double.infinity, maximum = -Double.infinity

        init(index: Int, counts: [Int], sketch: QuantileSketch) {
            self.index = index
            self.counts = counts
            self.sketch = sketch
        }

        mutating func add(_ value: Double) {
            moments.add(value)
            sketch.add(Float(value))
            minimum = Swift.min(minimum, value)
            maximum = Swift.max(maximum, value)
        }

        var range: (Double, Double)? { moments.count > 0 ? (minimum, maximum) : nil }

        mutating func merge(_ other: Column) {
            precondition(other.index == index && other.counts.count == counts.count, "merging statistics of different columns")
            missing += other.missing
            for category in counts.indices { counts[category] += other.counts[category] }
            moments.merge(other.moments)
            sketch.merge(other.sketch)
            minimum = Swift.min(minimum, other.minimum)
            maximum = Swift.max(maximum, other.maximum)
        }
    }

    /// Rows counted.
    public var rows: Int
    public var columns: [Column]

    /// Adds another part's statistics (the same columns): the statistics of both parts'
    /// rows. Merging the parts in the same order gives the same result everywhere.
    public mutating func merge(_ other: CacheStatistics) {
        precondition(other.columns.count == columns.count, "merging statistics of different columns")
        rows += other.rows
        for slot in columns.indices { columns[slot].merge(other.columns[slot]) }
    }
}

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
        try config.validate()
        guard cache.rowCount > 0 else {
            throw DataError.invalidOption(name: "rows", value: "[]", reason: "preprocessing needs at least one row to fit on")
        }
        let columns = cache.schema.columns.indices.filter { !excluding.contains(cache.schema.columns[$0].name) }
        var missing = [Int](repeating: 0, count: columns.count)
        var counts = columns.map { [Int](repeating: 0, count: cache.schema.columns[$0].vocabulary?.count ?? 0) }
        var moments = [RunningMoments](repeating: RunningMoments(), count: columns.count)
        var sketches = columns.map { QuantileSketch(k: sketchSize, seed: UInt64($0)) }
        var ranges = [(Double, Double)?](repeating: nil, count: columns.count)
        var start = 0
        while start < cache.rowCount {
            let end = min(cache.rowCount, start + max(1, blockRows))
            let block = cache.table(rows: Array(start..<end))
            for (slot, index) in columns.enumerated() {
                let column = block.columns[index]
                switch column.storage {
                case .categorical(let codes, _):
                    for code in codes {
                        if code >= 0 { counts[slot][Int(code)] += 1 } else { missing[slot] += 1 }
                    }
                case .numeric, .datetime:
                    for row in 0..<column.count {
                        let value = Self.number(column, row)
                        guard value.isFinite else {
                            missing[slot] += 1
                            continue
                        }
                        moments[slot].add(value)
                        sketches[slot].add(Float(value))
                        ranges[slot] = ranges[slot].map { (min($0.0, value), max($0.1, value)) } ?? (value, value)
                    }
                }
            }
            start = end
        }
        var builder = FeatureBuilder(config: config)
        for (slot, index) in columns.enumerated() {
            let column = cache.schema.columns[index]
            if let vocabulary = column.vocabulary {
                builder.addCategorical(name: column.name, vocabulary: vocabulary, counts: counts[slot], missingCount: missing[slot])
            } else {
                let sketch = sketches[slot]
                builder.addNumeric(name: column.name, type: column.type, missingCount: missing[slot], count: moments[slot].count,
                                   range: ranges[slot], mean: moments[slot].mean, variance: moments[slot].variance) {
                    (sketch.quantiles($0) ?? $0.map { _ in Float.nan }).map(Double.init)
                }
            }
        }
        return builder.fitted
    }
}

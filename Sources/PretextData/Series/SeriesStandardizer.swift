/// How whole series are scaled before a classifier's network reads them.
public enum SeriesNormalization: String, Codable, Sendable, CaseIterable {
    /// Each series by its own per-channel mean and standard deviation (`WindowSet.whole`):
    /// only the shape is left. What forecasting windows always use.
    case perSeries = "per-series"
    /// Every series by the same per-channel mean and standard deviation of the training
    /// series (`SeriesStandardizer`): level and spread stay informative.
    case global
}

/// Per-channel location and scale fitted on a collection's observed values:
/// x̃ = (x − μ_c) / σ_c, σ_c = the standard deviation (1 for a constant channel).
public struct SeriesStandardizer: Codable, Sendable, Equatable {
    public var location: [Float]
    public var scale: [Float]

    public init(location: [Float], scale: [Float]) {
        self.location = location
        self.scale = scale
    }

    public init(fitting collection: SeriesCollection) {
        var sum = [Double](repeating: 0, count: collection.channels), squares = sum, count = sum
        for series in collection.series {
            for step in 0..<series.length {
                for channel in 0..<series.channels {
                    let value = series.value(step, channel)
                    guard !value.isNaN else { continue }
                    sum[channel] += Double(value)
                    squares[channel] += Double(value) * Double(value)
                    count[channel] += 1
                }
            }
        }
        location = (0..<collection.channels).map { count[$0] > 0 ? Float(sum[$0] / count[$0]) : 0 }
        scale = (0..<collection.channels).map { channel in
            guard count[channel] > 1 else { return 1 }
            let mean = sum[channel] / count[channel]
            let deviation = max(0, squares[channel] / count[channel] - mean * mean).squareRoot()
            return deviation > 1e-12 ? Float(deviation) : 1
        }
    }
}

/// Exact count, mean and variance of a stream in one pass, mergeable: Welford's update
/// and Chan, Golub and LeVeque's pairwise combination (1979), in Double. For
/// preprocessing statistics over a table read in chunks or split over ranks.
///
///     add x:      n ← n + 1,  δ = x − μ,  μ ← μ + δ/n,  M₂ ← M₂ + δ (x − μ)
///     merge b:    n = nₐ + n_b,  δ = μ_b − μₐ,  μ = μₐ + δ n_b / n,
///                 M₂ = M₂ₐ + M₂_b + δ² nₐ n_b / n
///     variance:   M₂ / n  (population, as the preprocessor's standardisation uses)
///
/// NaN is ignored (missing).
public struct RunningMoments: Sendable, Equatable, Codable {
    public private(set) var count = 0
    public private(set) var mean = 0.0
    private var squares = 0.0   // M₂

    public init() {}

    public mutating func add(_ value: Float) { add(Double(value)) }

    /// A Double value (datetimes, seconds since 1970, need its precision).
    public mutating func add(_ x: Double) {
        guard !x.isNaN else { return }
        count += 1
        let delta = x - mean
        mean += delta / Double(count)
        squares += delta * (x - mean)
    }

    public mutating func add<S: Sequence>(contentsOf values: S) where S.Element == Float {
        for value in values { add(value) }
    }

    public mutating func merge(_ other: RunningMoments) {
        guard other.count > 0 else { return }
        guard count > 0 else { self = other; return }
        let total = count + other.count, delta = other.mean - mean
        mean += delta * Double(other.count) / Double(total)
        squares += other.squares + delta * delta * Double(count) * Double(other.count) / Double(total)
        count = total
    }

    /// Population variance (0 for fewer than 2 values).
    public var variance: Double { count > 1 ? max(0, squares / Double(count)) : 0 }
    public var standardDeviation: Double { variance.squareRoot() }
}

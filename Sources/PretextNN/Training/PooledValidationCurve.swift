/// The validation-loss curves of several cross-validation folds pooled epoch by epoch:
/// L(e) = Σ_f n_f · L_f(e) / Σ_f n_f, each fold weighted by its validation rows n_f, over
/// the epochs every fold reached. The shared rule of `FineTuneSelector` and `auto`'s
/// linear candidate for choosing a number of epochs.
public struct PooledValidationCurve: Sendable {
    private var sums: [Double]?   // (epochs,) Σ_f n_f · L_f(e)
    private var rows = 0

    public init() {}

    /// Adds one fold's per-epoch validation losses (an epoch without one counts as ∞).
    public mutating func add(_ history: TrainingHistory, validationRows: Int) {
        let curve = history.epochs.map { $0.validationLoss ?? .infinity }
        var pooled = sums ?? [Double](repeating: 0, count: curve.count)
        if curve.count < pooled.count { pooled.removeLast(pooled.count - curve.count) }
        for epoch in pooled.indices { pooled[epoch] += Double(validationRows) * curve[epoch] }
        sums = pooled
        rows += validationRows
    }

    /// The best number of epochs (1-based; the earliest among equals) and its pooled loss,
    /// or nil before any epoch was added.
    public var best: (epochs: Int, loss: Double)? {
        guard let sums, let index = sums.indices.min(by: { sums[$0] < sums[$1] }) else { return nil }
        return (index + 1, sums[index] / Double(rows))
    }
}

/// Mean squared error over all B·K outputs: L = Σ (ŷ − y)² / (B·K), ∂L/∂ŷ = 2(ŷ − y)/(B·K).
public enum MeanSquaredError {
    public static func compute(predictions: Matrix, targets: Matrix) -> LossResult {
        precondition(predictions.rows == targets.rows && predictions.columns == targets.columns, "shapes differ")
        let count = Double(max(1, predictions.values.count))
        var gradient = predictions
        var total = 0.0
        for index in predictions.values.indices {
            let residual = Double(predictions.values[index] - targets.values[index])
            total += residual * residual
            gradient.values[index] = Float(2 * residual / count)
        }
        return LossResult(value: total / count, gradient: gradient)
    }
}

/// Huber loss with threshold δ (default 1), averaged over all outputs: for r = ŷ − y,
/// ℓ(r) = r²/2 if |r| ≤ δ, else δ(|r| − δ/2); ∂ℓ/∂r = r if |r| ≤ δ, else δ·sign(r).
public enum HuberLoss {
    public static func compute(predictions: Matrix, targets: Matrix, delta: Float = 1) -> LossResult {
        precondition(predictions.rows == targets.rows && predictions.columns == targets.columns, "shapes differ")
        precondition(delta > 0, "delta must be positive")
        let count = Double(max(1, predictions.values.count))
        var gradient = predictions
        var total = 0.0
        let d = Double(delta)
        for index in predictions.values.indices {
            let residual = Double(predictions.values[index] - targets.values[index])
            if abs(residual) <= d {
                total += residual * residual / 2
                gradient.values[index] = Float(residual / count)
            } else {
                total += d * (abs(residual) - d / 2)
                gradient.values[index] = Float((residual > 0 ? d : -d) / count)
            }
        }
        return LossResult(value: total / count, gradient: gradient)
    }
}

/// Mean squared error over the observed targets only: targets that are NaN are missing
/// and contribute neither to the sum nor to the count n_obs.
/// L = Σ_obs (ŷ − y)² / n_obs, ∂L/∂ŷ = 2(ŷ − y)/n_obs where observed, else 0 (L = 0 when
/// nothing is observed).
public enum MaskedMeanSquaredError {
    public static func compute(predictions: Matrix, targets: Matrix) -> LossResult {
        precondition(predictions.rows == targets.rows && predictions.columns == targets.columns, "shapes differ")
        let observed = Double(max(1, targets.values.reduce(0) { $0 + ($1.isNaN ? 0 : 1) }))
        var gradient = Matrix(rows: predictions.rows, columns: predictions.columns)
        var total = 0.0
        for index in predictions.values.indices where !targets.values[index].isNaN {
            let residual = Double(predictions.values[index] - targets.values[index])
            total += residual * residual
            gradient.values[index] = Float(2 * residual / observed)
        }
        return LossResult(value: total / observed, gradient: gradient)
    }
}

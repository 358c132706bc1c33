import Foundation

/// Temperature scaling (Guo et al. 2017, "On Calibration of Modern Neural Networks"):
/// one scalar T > 0 divides every logit, p = softmax(z / T), fitted to minimise the
/// negative log-likelihood of held-out (or out-of-fold) logits. It changes no prediction
/// (the arg max is the same for any T) and only how sure the model says it is: T > 1
/// softens an overconfident network.
///
/// With β = 1/T the loss L(β) = (1/n) Σᵢ [log Σₖ exp(β zᵢₖ) − β zᵢ,yᵢ] is convex, with
/// L'(β) = (1/n) Σᵢ (E_{p(β)}[zᵢ] − zᵢ,yᵢ) increasing in β; its root is found by
/// bisection on log β within the allowed range of T (default 0.001 to 1000), at an end
/// when the root lies beyond it. Sums run in Double.
///
/// When every validation row is classified right, the likelihood keeps rising as T → 0;
/// with a few dozen rows that happens often, so callers fitting on small samples bound T
/// from below (`FineTuneSelectionConfig.minimumTemperature`).
public enum TemperatureScaling {
    public static let range: ClosedRange<Double> = 1e-3...1e3

    /// The temperature in `range` minimising the NLL of `logits` (n, C) for the class
    /// indices `labels`. Returns 1 without rows (or the end of `range` nearest 1).
    public static func fit(logits: Matrix, labels: [Int32], range: ClosedRange<Double> = TemperatureScaling.range) -> Float {
        precondition(labels.count == logits.rows, "one label per row")
        precondition(range.lowerBound > 0, "temperatures are positive")
        guard logits.rows > 0 else { return Float(min(max(1, range.lowerBound), range.upperBound)) }
        let derivativeAtLow = derivative(beta: 1 / range.upperBound, logits: logits, labels: labels)
        if derivativeAtLow >= 0 { return Float(range.upperBound) }
        let derivativeAtHigh = derivative(beta: 1 / range.lowerBound, logits: logits, labels: labels)
        if derivativeAtHigh <= 0 { return Float(range.lowerBound) }
        var low = log(1 / range.upperBound), high = log(1 / range.lowerBound)
        for _ in 0..<100 {
            let middle = (low + high) / 2
            if derivative(beta: exp(middle), logits: logits, labels: labels) < 0 { low = middle } else { high = middle }
        }
        return Float(1 / exp((low + high) / 2))
    }

    /// Mean negative log-likelihood of softmax(logits / temperature) for `labels`.
    public static func negativeLogLikelihood(logits: Matrix, labels: [Int32], temperature: Float) -> Double {
        var total = 0.0
        let beta = 1 / Double(temperature)
        for row in 0..<logits.rows {
            let z = (0..<logits.columns).map { beta * Double(logits[row, $0]) }
            let top = z.max()!
            let partition = log(z.reduce(0) { $0 + exp($1 - top) }) + top
            total += partition - z[Int(labels[row])]
        }
        return total / Double(logits.rows)
    }

    /// `logits` divided by `temperature` (what the softmax of a calibrated model sees).
    public static func apply(_ logits: Matrix, temperature: Float) -> Matrix {
        temperature == 1 ? logits : Matrix(rows: logits.rows, columns: logits.columns, values: logits.values.map { $0 / temperature })
    }

    /// L'(β): the mean over rows of E_{softmax(β z)}[z] − z_y.
    static func derivative(beta: Double, logits: Matrix, labels: [Int32]) -> Double {
        var total = 0.0
        for row in 0..<logits.rows {
            let z = (0..<logits.columns).map { Double(logits[row, $0]) }
            let top = z.max()!
            let weights = z.map { exp(beta * ($0 - top)) }
            let sum = weights.reduce(0, +)
            let expected = zip(weights, z).reduce(0) { $0 + $1.0 * $1.1 } / sum
            total += expected - z[Int(labels[row])]
        }
        return total / Double(logits.rows)
    }
}

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

    /// `fit`, then no more confident than the rows justify: the smallest T at least the
    /// NLL optimum at which the mean top-class probability is at most the rule-of-succession
    /// estimate of the accuracy, (correct + 1) / (n + 2) (Laplace).
    ///
    /// Calibration asks that the mean confidence match the accuracy. With n out-of-fold
    /// rows all classified right, the NLL optimum is the smallest T allowed and the model
    /// claims near-certainty that n rows cannot justify: after n successes in n trials the
    /// probability of the next is (n + 1) / (n + 2), not 1 — e.g. 0.967 for 28 rows. One
    /// confidently wrong test row then costs −log(0.03) ≈ 3.5 nats instead of 10 or more.
    /// The bound binds only when the NLL fit is more confident than the smoothed accuracy.
    public static func calibrate(logits: Matrix, labels: [Int32], range: ClosedRange<Double> = TemperatureScaling.range) -> Float {
        let fitted = fit(logits: logits, labels: labels, range: range)
        guard logits.rows > 0 else { return fitted }
        var correct = 0
        for row in 0..<logits.rows {
            var best = 0
            for c in 1..<max(1, logits.columns) where logits[row, c] > logits[row, best] { best = c }
            if best == Int(labels[row]) { correct += 1 }
        }
        let bound = Double(correct + 1) / Double(logits.rows + 2)
        if meanConfidence(logits, temperature: Double(fitted)) <= bound { return fitted }
        // The top-class probability of softmax(z / T) falls as T rises: bisect on log T.
        var low = log(Double(fitted)), high = log(range.upperBound)
        if meanConfidence(logits, temperature: range.upperBound) > bound { return Float(range.upperBound) }
        for _ in 0..<100 {
            let middle = (low + high) / 2
            if meanConfidence(logits, temperature: exp(middle)) > bound { low = middle } else { high = middle }
        }
        return Float(exp(high))
    }

    /// Mean over rows of the largest class probability of softmax(logits / temperature).
    static func meanConfidence(_ logits: Matrix, temperature: Double) -> Double {
        var total = 0.0
        for row in 0..<logits.rows {
            let z = (0..<logits.columns).map { Double(logits[row, $0]) / temperature }
            let top = z.max()!
            total += 1 / z.reduce(0) { $0 + exp($1 - top) }
        }
        return total / Double(logits.rows)
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

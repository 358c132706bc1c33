import Foundation

/// A validated classifier's class probabilities for rows it was not trained on: each
/// cross-validation fold's model on that fold's validation rows (a row once per repeat),
/// or the model kept after early stopping on its hold-out rows. Model selection keeps
/// them (not in model files) so that candidates of different kinds can be compared, and
/// averaged, on the same predictions (`AutoModel`'s ensemble).
public struct OutOfFoldPredictions: Sendable, Equatable {
    /// The labeled row behind each prediction, in fold order (repeat by repeat, fold by
    /// fold, each fold's rows in order). Two candidates validated on the same folds have
    /// the same sequence.
    public var rows: [Int]
    /// Class indices of `rows` (the target encoder's order).
    public var labels: [Int32]
    /// (rows.count, classes): probabilities as the model would report them (after its
    /// temperature, when calibrated).
    public var probabilities: Matrix

    public init(rows: [Int], labels: [Int32], probabilities: Matrix) {
        precondition(rows.count == labels.count && probabilities.rows == rows.count,
                     "out-of-fold predictions: \(rows.count) rows, \(labels.count) labels, \(probabilities.rows) probability rows")
        self.rows = rows
        self.labels = labels
        self.probabilities = probabilities
    }

    /// From logits: probabilities softmax(z / T).
    public init(rows: [Int], labels: [Int32], logits: Matrix, temperature: Float) {
        self.init(rows: rows, labels: labels,
                  probabilities: SoftmaxCrossEntropy.probabilities(TemperatureScaling.apply(logits, temperature: temperature)))
    }

    /// Mean negative log-likelihood −(1/n) Σ log p(yᵢ), each probability clipped at 1e-15
    /// from below (scikit-learn's `log_loss` clipping), so one certain mistake is costly but
    /// finite.
    public var logLoss: Double {
        Self.logLoss(probabilities, labels: labels)
    }

    public static func logLoss(_ probabilities: Matrix, labels: [Int32]) -> Double {
        guard !labels.isEmpty else { return .infinity }
        var total = 0.0
        for (row, label) in labels.enumerated() {
            total -= Foundation.log(max(Double(probabilities.values[row * probabilities.columns + Int(label)]), 1e-15))
        }
        return total / Double(labels.count)
    }

    /// The weighted mean of several candidates' probabilities, Σ wᵢ Pᵢ / Σ wᵢ; nil when
    /// they were not made on the same rows in the same order, or have different widths.
    public static func average(_ members: [OutOfFoldPredictions], weights: [Double]) -> OutOfFoldPredictions? {
        guard let first = members.first, members.count == weights.count,
              members.allSatisfy({ $0.rows == first.rows && $0.labels == first.labels && $0.probabilities.columns == first.probabilities.columns })
        else { return nil }
        let total = weights.reduce(0, +)
        var values = [Float](repeating: 0, count: first.probabilities.values.count)
        for (member, weight) in zip(members, weights) {
            let share = Float(weight / total)
            for index in values.indices { values[index] += share * member.probabilities.values[index] }
        }
        return OutOfFoldPredictions(rows: first.rows, labels: first.labels,
                                    probabilities: Matrix(rows: first.probabilities.rows, columns: first.probabilities.columns, values: values))
    }
}

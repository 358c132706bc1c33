import Foundation
import PretextData

/// The supervised loss on training batches and on the validation rows: softmax
/// cross-entropy (optionally class-weighted by n / (C·n_c)) for classification, MSE on
/// the standardised target for regression. Shared by every supervised trainer.
public struct SupervisedObjective {
    public let task: TaskType
    /// Class ids (classification) and standardised targets (regression) of training
    /// positions: read from arrays, or from a cache a batch at a time.
    let labels: ([Int]) -> [Int32]
    let targets: ([Int]) -> [Float]
    let validationLabels: [Int32]
    let validationTargets: Matrix
    let classWeights: [Float]?

    public init(task: TaskType, target: TargetEncoder, table: Table, trainRows: [Int], validationRows: [Int], balanceClasses: Bool, classes: Int) throws {
        if task.isClassification {
            let labels = try target.classIndices(table, rows: trainRows)
            self.init(task: task, labels: { $0.map { labels[$0] } }, targets: { _ in [] },
                      validationLabels: try target.classIndices(table, rows: validationRows), validationTargets: [],
                      classWeights: balanceClasses ? Self.classWeights(counts: Self.counts(labels, classes: classes)) : nil)
        } else {
            let targets = try target.standardized(table, rows: trainRows)
            self.init(task: task, labels: { _ in [] }, targets: { $0.map { targets[$0] } },
                      validationLabels: [], validationTargets: try target.standardized(table, rows: validationRows), classWeights: nil)
        }
    }

    /// An objective whose training labels (`labels`, classification) or standardised
    /// targets (`targets`, regression) are read for each batch of training positions.
    /// - Parameter classWeights: `classWeights(counts:)` of the training rows, or nil.
    public init(task: TaskType, labels: @escaping ([Int]) -> [Int32], targets: @escaping ([Int]) -> [Float],
                validationLabels: [Int32], validationTargets: [Float], classWeights: [Float]?) {
        self.task = task
        (self.labels, self.targets, self.validationLabels) = (labels, targets, validationLabels)
        self.validationTargets = Matrix(rows: validationTargets.count, columns: 1, values: validationTargets)
        self.classWeights = classWeights
    }

    /// Rows per class among `labels`.
    static func counts(_ labels: [Int32], classes: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: classes)
        for label in labels { counts[Int(label)] += 1 }
        return counts
    }

    /// Class weights n / (C·n_c) for training rows counted `counts` per class (0 for a
    /// class without rows).
    public static func classWeights(counts: [Int]) -> [Float] {
        let total = counts.reduce(0, +)
        return counts.map { $0 > 0 ? Float(total) / Float(counts.count * $0) : 0 }
    }

    public func loss(_ output: Matrix, batch: [Int]) -> LossResult {
        if task.isClassification {
            return SoftmaxCrossEntropy.compute(logits: output, labels: labels(batch), classWeights: classWeights)
        }
        return MeanSquaredError.compute(predictions: output, targets: Matrix(rows: batch.count, columns: 1, values: targets(batch)))
    }

    /// The part of `batch`'s loss that its rows `local` carry: their share of the batch's
    /// class weights (of its rows, without weights). The loss of `local` times this share,
    /// summed over a partition of the batch, is the batch's loss.
    public func share(of local: [Int], in batch: [Int]) -> Float {
        guard let classWeights else { return Float(local.count) / Float(batch.count) }
        let weight = { (rows: [Int]) in labels(rows).reduce(0.0) { $0 + Double(classWeights[Int($1)]) } }
        let total = weight(batch)
        return total > 0 ? Float(weight(local) / total) : 0
    }

    /// The constant output c that minimises the mean training loss over positions
    /// 0..<count — where a linear probe starts (W = 0, b = c):
    ///
    ///     classification: c_k = log(n_k / n)  (softmax(c) = the class shares; with class
    ///                     weights every class weighs n/C, so c = 0, uniform)
    ///     regression:     c = mean of the standardised targets
    ///
    /// A class without rows gets log(1/(2n)), finite. Labels are read 65,536 positions at
    /// a time (a cache's rows are never all held).
    public func constantOutput(count: Int, classes: Int) -> [Float] {
        let slice = 65_536
        if task.isClassification {
            if classWeights != nil { return [Float](repeating: 0, count: classes) }
            var counts = [Int](repeating: 0, count: classes)
            for start in stride(from: 0, to: count, by: slice) {
                for (index, part) in Self.counts(labels(Array(start..<min(start + slice, count))), classes: classes).enumerated() {
                    counts[index] += part
                }
            }
            let total = Double(max(count, 1))
            return counts.map { Float(log(($0 == 0 ? 0.5 : Double($0)) / total)) }
        }
        var sum = 0.0
        for start in stride(from: 0, to: count, by: slice) {
            for target in targets(Array(start..<min(start + slice, count))) { sum += Double(target) }
        }
        return [Float(sum / Double(max(count, 1)))]
    }

    public func validationLoss(_ output: Matrix) -> Double {
        if task.isClassification {
            return SoftmaxCrossEntropy.compute(logits: output, labels: validationLabels, classWeights: classWeights).value
        }
        return MeanSquaredError.compute(predictions: output, targets: validationTargets).value
    }
}

import PretextData

/// The supervised loss on training batches and on the validation rows: softmax
/// cross-entropy (optionally class-weighted by n / (C·n_c)) for classification, MSE on
/// the standardised target for regression. Shared by every supervised trainer.
public struct SupervisedObjective {
    public let task: TaskType
    let labels: [Int32], validationLabels: [Int32]
    let targets: Matrix, validationTargets: Matrix
    let classWeights: [Float]?

    public init(task: TaskType, target: TargetEncoder, table: Table, trainRows: [Int], validationRows: [Int], balanceClasses: Bool, classes: Int) throws {
        self.task = task
        if task.isClassification {
            labels = try target.classIndices(table, rows: trainRows)
            validationLabels = try target.classIndices(table, rows: validationRows)
            targets = Matrix(rows: 0, columns: 1)
            validationTargets = Matrix(rows: 0, columns: 1)
            if balanceClasses {
                var counts = [Int](repeating: 0, count: classes)
                for label in labels { counts[Int(label)] += 1 }
                let total = labels.count
                classWeights = counts.map { $0 > 0 ? Float(total) / Float(classes * $0) : 0 }
            } else {
                classWeights = nil
            }
        } else {
            labels = []
            validationLabels = []
            targets = Matrix(rows: trainRows.count, columns: 1, values: try target.standardized(table, rows: trainRows))
            validationTargets = Matrix(rows: validationRows.count, columns: 1, values: try target.standardized(table, rows: validationRows))
            classWeights = nil
        }
    }

    public func loss(_ output: Matrix, batch: [Int]) -> LossResult {
        if task.isClassification {
            return SoftmaxCrossEntropy.compute(logits: output, labels: batch.map { labels[$0] }, classWeights: classWeights)
        }
        return MeanSquaredError.compute(predictions: output, targets: targets.gatheringRows(batch))
    }

    /// The part of `batch`'s loss that its rows `local` carry: their share of the batch's
    /// class weights (of its rows, without weights). The loss of `local` times this share,
    /// summed over a partition of the batch, is the batch's loss.
    public func share(of local: [Int], in batch: [Int]) -> Float {
        guard let classWeights else { return Float(local.count) / Float(batch.count) }
        let weight = { (rows: [Int]) in rows.reduce(0.0) { $0 + Double(classWeights[Int(labels[$1])]) } }
        let total = weight(batch)
        return total > 0 ? Float(weight(local) / total) : 0
    }

    public func validationLoss(_ output: Matrix) -> Double {
        if task.isClassification {
            return SoftmaxCrossEntropy.compute(logits: output, labels: validationLabels, classWeights: classWeights).value
        }
        return MeanSquaredError.compute(predictions: output, targets: validationTargets).value
    }
}

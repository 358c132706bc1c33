import PretextData
import PretextNN
import PretextSSL

/// Pretrains an encoder by predicting an upstream labeled column instead of a
/// self-supervised objective — transfer studies (Levin et al. 2022, "Transfer Learning
/// with Deep Tabular Models") found this transfers better when such a label exists.
///
/// The encoder f (the same architecture as SSL pretraining) and a linear head are trained
/// on the rows where the upstream label is present, with early stopping on a stratified
/// hold-out; the head is then dropped. The upstream column is never an input.
public struct SupervisedPretrainer {
    public var config: PretrainingConfig
    public var progress: ProgressReporter?

    public init(config: PretrainingConfig = PretrainingConfig(), progress: ProgressReporter? = nil) {
        self.config = config
        self.progress = progress
    }

    /// Pretrains on the labeled rows of `table`'s target column (the upstream label).
    public func fit(_ table: Table, rows: [Int]? = nil) throws -> PretrainedEncoder {
        var ssl = config
        ssl.objective = .scarf   // only to pass the shared validation of sizes and rates
        try ssl.validate()
        guard let label = table.target else { throw TrainingError.notEnoughData(reason: "supervised pretraining needs an upstream label column (--target)") }
        let task = try TaskType.infer(for: label, path: table.source)
        let labeled = (rows ?? table.labeledRows).filter { !label.isMissing($0) }
        let target = try TargetEncoder.fit(table, rows: labeled, task: task)
        let classes = task.isClassification ? try target.classIndices(table, rows: labeled) : nil
        let (trainRows, validation) = DatasetSplit.holdOut(labeled, classes: classes, fraction: config.validationFraction, seed: config.seed)
        // Preprocessing from every row (labels are not used), as for SSL pretraining.
        let preprocessor = try Preprocessor(config: config.preprocessing).fit(table, rows: rows ?? Array(0..<table.rowCount))
        let (all, _) = try preprocessor.transform(table)
        let features = Matrix(rows: all.rows, columns: all.columns, values: all.values)
        var seeds = SeededGenerator(seed: config.seed, stream: "supervised-pretraining")
        let encoder = try Network(architecture: config.encoderArchitecture, inputDimensions: features.columns,
                                  outputDimensions: config.encoderWidth, seed: seeds.next())
        let outputs = task.isClassification ? target.classNames.count : 1
        let head = try Network(architecture: .linear, inputDimensions: config.encoderWidth, outputDimensions: outputs, seed: seeds.next())
        let objective = try SupervisedObjective(task: task, target: target, table: table, trainRows: trainRows, validationRows: validation,
                                      balanceClasses: false, classes: outputs)
        var training = config.training
        training.seed = seeds.next()
        let x = features.gatheringRows(trainRows), xValidation = features.gatheringRows(validation)
        let steps = (trainRows.count + training.batchSize - 1) / training.batchSize * training.maximumEpochs
        let optimizers = [try Optimizer(config: config.optimizer, totalSteps: steps), try Optimizer(config: config.optimizer, totalSteps: steps)]
        let history = try Trainer(config: training, progress: progress).run(
            rowCount: trainRows.count, stores: [encoder.store, head.store], optimizers: optimizers,
            step: { batch in
                let result = objective.loss(head.forward(encoder.forward(x.gatheringRows(batch), mode: .training), mode: .training), batch: batch)
                encoder.accumulateGradients(head.backward(result.gradient))
                return result.value
            },
            validate: validation.isEmpty ? nil : { objective.validationLoss(head.predict(encoder.predict(xValidation))) })
        var saved = config
        saved.objective = .supervised
        return PretrainedEncoder(preprocessor: preprocessor, network: encoder, config: saved, history: history)
    }
}

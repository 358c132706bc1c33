import PretextData
import PretextNN
import PretextSSL

/// Fine-tunes a pretrained encoder on labeled rows (`FineTuneConfig.Strategy`).
///
/// The encoder is copied, so one pretrained encoder can be fine-tuned many times (for
/// several label budgets or strategies). Classification uses softmax cross-entropy
/// (optionally class-weighted); regression uses MSE on the standardised target.
///
/// ```swift
/// let model = try FineTuner(config: FineTuneConfig()).fit(encoder: encoder, table: table, rows: fewLabels)
/// ```
public struct FineTuner {
    public var config: FineTuneConfig
    public var progress: ProgressReporter?

    public init(config: FineTuneConfig = FineTuneConfig(), progress: ProgressReporter? = nil) {
        self.config = config
        self.progress = progress
    }

    /// - Parameters:
    ///   - rows: the labeled rows to learn from (default: every labeled row).
    ///   - validationRows: rows for early stopping (default: a stratified hold-out of
    ///     `rows` when large enough, see `FineTuneConfig.minimumValidationRows`).
    public func fit(encoder pretrained: PretrainedEncoder, table: Table, rows: [Int]? = nil, validationRows: [Int]? = nil,
                    task requested: TaskType? = nil) throws -> TabularModel {
        try config.validate()
        let labeledRows = try LabeledRows(table, rows: rows, validationRows: validationRows, validationFraction: config.validationFraction,
                                          minimumValidationRows: config.minimumValidationRows, seed: config.seed, requestedTask: requested)
        let (task, target, trainRows, validation) = (labeledRows.task, labeledRows.target, labeledRows.train, labeledRows.validation)
        var training = config.training
        if validation.isEmpty { training.maximumEpochs = config.epochsWithoutValidation }

        let features = try pretrained.features(table)
        let x = features.gatheringRows(trainRows), xValidation = features.gatheringRows(validation)
        let outputs = task.isClassification ? target.classNames.count : 1
        var seeds = SeededGenerator(seed: config.seed, stream: "fine-tune")
        let encoder = try pretrained.network.copy()
        let headArchitecture: Architecture = config.strategy == .linearProbe
            ? .linear : .mlp(MLPConfig(depth: config.headDepth - 1, hiddenWidth: config.headWidth))
        let head = try Network(architecture: headArchitecture, inputDimensions: encoder.outputDimensions,
                               outputDimensions: outputs, seed: seeds.next())
        let objective = try SupervisedObjective(task: task, target: target, table: table, trainRows: trainRows, validationRows: validation,
                                      balanceClasses: config.balanceClasses, classes: outputs)
        training.seed = seeds.next()

        var history: TrainingHistory
        switch config.strategy {
        case .linearProbe:
            history = try trainHead(head, on: encoder.predict(x), validation: encoder.predict(xValidation), objective: objective, training: training)
        case .full:
            history = try trainJointly(encoder: encoder, head: head, x: x, xValidation: xValidation, objective: objective,
                                       training: training, encoderRate: config.optimizer.learningRate)
        case .freezeThenUnfreeze:
            var frozen = training
            frozen.maximumEpochs = min(config.frozenEpochs, training.maximumEpochs)
            let first = try trainHead(head, on: encoder.predict(x), validation: encoder.predict(xValidation), objective: objective, training: frozen)
            history = try trainJointly(encoder: encoder, head: head, x: x, xValidation: xValidation, objective: objective,
                                       training: training, encoderRate: config.optimizer.learningRate * config.encoderLearningRateFactor)
            history.epochs = first.epochs + history.epochs
        }
        return TabularModel(preprocessor: pretrained.preprocessor, encoder: encoder, head: head, target: target,
                            config: config, history: history)
    }

    private func trainHead(_ head: Network, on embeddings: Matrix, validation: Matrix, objective: SupervisedObjective,
                           training: TrainingConfig) throws -> TrainingHistory {
        let steps = (embeddings.rows + training.batchSize - 1) / training.batchSize * training.maximumEpochs
        let optimizer = try Optimizer(config: config.optimizer, totalSteps: steps)
        return try Trainer(config: training, progress: progress).run(
            rowCount: embeddings.rows, stores: [head.store], optimizers: [optimizer],
            step: { batch in
                let result = objective.loss(head.forward(embeddings.gatheringRows(batch), mode: .training), batch: batch)
                head.backward(result.gradient)
                return result.value
            },
            validate: validation.rows == 0 ? nil : { objective.validationLoss(head.predict(validation)) })
    }

    private func trainJointly(encoder: Network, head: Network, x: Matrix, xValidation: Matrix, objective: SupervisedObjective,
                              training: TrainingConfig, encoderRate: Float) throws -> TrainingHistory {
        let steps = (x.rows + training.batchSize - 1) / training.batchSize * training.maximumEpochs
        var encoderOptimizer = config.optimizer
        encoderOptimizer.learningRate = encoderRate
        let optimizers = [try Optimizer(config: encoderOptimizer, totalSteps: steps), try Optimizer(config: config.optimizer, totalSteps: steps)]
        return try Trainer(config: training, progress: progress).run(
            rowCount: x.rows, stores: [encoder.store, head.store], optimizers: optimizers,
            step: { batch in
                let output = head.forward(encoder.forward(x.gatheringRows(batch), mode: .training), mode: .training)
                let result = objective.loss(output, batch: batch)
                encoder.backward(head.backward(result.gradient))
                return result.value
            },
            validate: xValidation.rows == 0 ? nil : { objective.validationLoss(head.predict(encoder.predict(xValidation))) })
    }
}

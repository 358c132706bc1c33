import PretextData
import PretextNN

/// Trains a head h on an encoder f with a fine-tuning strategy — the loop shared by
/// tabular fine-tuning, series forecasting and series classification.
///
/// - `linearProbe`: f frozen; h trained on the embeddings f(x), computed once and
///   standardised per feature (`ProbeStandardization`, folded into h afterwards).
/// - `full`: f and h trained together, both at the optimizer's learning rate.
/// - `freezeThenUnfreeze`: h on the frozen f for up to `frozenEpochs`, then both
///   together with f's learning rate scaled by `encoderLearningRateFactor` (with
///   `fixedEpochs`, for the epochs left of that total).
struct EncoderHeadTrainer {
    var strategy: FineTuneConfig.Strategy
    var optimizer: OptimizerConfig
    var encoderLearningRateFactor: Float
    var frozenEpochs: Int
    /// Exactly this many epochs in all (both phases of freeze-then-unfreeze together).
    var fixedEpochs: Int?
    var progress: ProgressReporter?
    /// Ranks that share each batch (`Communicator`); each computes its part of the batch.
    var communicator = Communicator.single
    /// The part of a batch's loss that `local` rows carry (b/B for a mean; their share of
    /// the class weights for a weighted mean), so the parts add up to the batch's loss.
    var share: (_ local: [Int], _ batch: [Int]) -> Float = { local, batch in Float(local.count) / Float(batch.count) }

    init(_ config: FineTuneConfig, progress: ProgressReporter?) {
        strategy = config.strategy
        optimizer = config.optimizer
        encoderLearningRateFactor = config.encoderLearningRateFactor
        frozenEpochs = config.frozenEpochs
        fixedEpochs = config.fixedEpochs
        self.progress = progress
    }

    /// - Parameters:
    ///   - loss: the batch loss of head outputs for the given row indices into `x`.
    ///   - validationLoss: the loss of head outputs for every row of `xValidation`.
    func train(encoder: Network, head: Network, x: Matrix, xValidation: Matrix, training: TrainingConfig,
               loss: @escaping (Matrix, [Int]) -> LossResult, validationLoss: @escaping (Matrix) -> Double) throws -> TrainingHistory {
        switch strategy {
        case .linearProbe:
            return try trainHead(head, on: encoder.predict(x), validation: encoder.predict(xValidation), training: training,
                                 loss: loss, validationLoss: validationLoss)
        case .full:
            return try trainJointly(encoder: encoder, head: head, x: x, xValidation: xValidation, training: training,
                                    encoderRate: optimizer.learningRate, loss: loss, validationLoss: validationLoss)
        case .freezeThenUnfreeze:
            var frozen = training
            frozen.maximumEpochs = min(frozenEpochs, training.maximumEpochs)
            let first = try trainHead(head, on: encoder.predict(x), validation: encoder.predict(xValidation), training: frozen,
                                      loss: loss, validationLoss: validationLoss)
            var joint = training
            if let fixedEpochs {
                joint.maximumEpochs = fixedEpochs - frozen.maximumEpochs
                if joint.maximumEpochs == 0 { return first }
            }
            var history = try trainJointly(encoder: encoder, head: head, x: x, xValidation: xValidation, training: joint,
                                           encoderRate: optimizer.learningRate * encoderLearningRateFactor, loss: loss, validationLoss: validationLoss)
            history.epochs = first.epochs + history.epochs
            return history
        }
    }

    /// Trains `head` on standardised embeddings (`ProbeStandardization`, fitted on the
    /// training rows' embeddings), then folds the standardisation into it.
    private func trainHead(_ head: Network, on raw: consuming Matrix, validation rawValidation: consuming Matrix, training: TrainingConfig,
                           loss: @escaping (Matrix, [Int]) -> LossResult, validationLoss: @escaping (Matrix) -> Double) throws -> TrainingHistory {
        let standardization = ProbeStandardization(fitting: raw)
        var embeddings = consume raw, validation = consume rawValidation   // standardised in place, not copied
        standardization.standardize(&embeddings)
        standardization.standardize(&validation)
        let steps = (embeddings.rows + training.batchSize - 1) / training.batchSize * training.maximumEpochs
        let optimizer = try Optimizer(config: optimizer, totalSteps: steps)
        let history = try Trainer(config: training, progress: progress, communicator: communicator).run(
            rowCount: embeddings.rows, stores: [head.store], optimizers: [optimizer],
            step: { batch in
                communicator.step(batch, share: share) { rows in
                    let result = loss(head.forward(embeddings.gatheringRows(rows), mode: .training), rows)
                    return (result, { head.accumulateGradients($0) })
                }
            },
            validate: validation.rows == 0 ? nil : { validationLoss(head.predict(validation)) })
        try head.foldInputAffine(shift: standardization.shift, factor: standardization.factor)
        return history
    }

    private func trainJointly(encoder: Network, head: Network, x: Matrix, xValidation: Matrix, training: TrainingConfig, encoderRate: Float,
                              loss: @escaping (Matrix, [Int]) -> LossResult, validationLoss: @escaping (Matrix) -> Double) throws -> TrainingHistory {
        let steps = (x.rows + training.batchSize - 1) / training.batchSize * training.maximumEpochs
        var encoderOptimizer = optimizer
        encoderOptimizer.learningRate = encoderRate
        let optimizers = [try Optimizer(config: encoderOptimizer, totalSteps: steps), try Optimizer(config: optimizer, totalSteps: steps)]
        return try Trainer(config: training, progress: progress, communicator: communicator).run(
            rowCount: x.rows, stores: [encoder.store, head.store], optimizers: optimizers,
            step: { batch in
                communicator.step(batch, share: share) { rows in
                    let output = head.forward(encoder.forward(x.gatheringRows(rows), mode: .training), mode: .training)
                    return (loss(output, rows), { encoder.accumulateGradients(head.backward($0)) })
                }
            },
            validate: xValidation.rows == 0 ? nil : { validationLoss(head.predict(encoder.predict(xValidation))) })
    }
}

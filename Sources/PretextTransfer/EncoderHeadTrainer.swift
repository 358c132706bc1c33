import PretextData
import PretextNN

/// Trains a head h on an encoder f with a fine-tuning strategy — the loop shared by
/// tabular fine-tuning, series forecasting and series classification.
///
/// - `linearProbe`: f frozen; h trained on the embeddings f(x), computed once and
///   standardised per feature (`ProbeStandardization`, folded into h afterwards). Callers
///   start h at the best constant (`Network.setConstant`, W = 0, b = the class log-shares):
///   from a random start Adam's equal-sized steps on every weight worsened a 31-row
///   hold-out from the first epoch on credit_data while the bias was still far from the
///   class prior (0.001 a step against log(0.72/0.28) ≈ 0.94), and early stopping kept a
///   near-uniform model whose accuracy was below the majority class's.
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
    ///   - loss: the batch loss of head outputs for the given positions of `x`.
    ///   - validationLoss: the loss of head outputs for every row of `xValidation`.
    func train(encoder: Network, head: Network, x: Matrix, xValidation: Matrix, training: TrainingConfig,
               loss: @escaping (Matrix, [Int]) -> LossResult, validationLoss: @escaping (Matrix) -> Double) throws -> TrainingHistory {
        try train(encoder: encoder, head: head, inputs: .held(x), xValidation: xValidation, training: training,
                  loss: loss, validationLoss: validationLoss)
    }

    /// The same for rows held or visited a window at a time (`HeadInputs`); `loss` gets
    /// positions 0..<inputs.count.
    func train(encoder: Network, head: Network, inputs: HeadInputs, xValidation: Matrix, training: TrainingConfig,
               loss: @escaping (Matrix, [Int]) -> LossResult, validationLoss: @escaping (Matrix) -> Double) throws -> TrainingHistory {
        switch strategy {
        case .linearProbe:
            return try trainHead(head, encoder: encoder, inputs: inputs, xValidation: xValidation, training: training,
                                 loss: loss, validationLoss: validationLoss)
        case .full:
            return try trainJointly(encoder: encoder, head: head, inputs: inputs, xValidation: xValidation, training: training,
                                    encoderRate: optimizer.learningRate, loss: loss, validationLoss: validationLoss)
        case .freezeThenUnfreeze:
            var frozen = training
            frozen.maximumEpochs = min(frozenEpochs, training.maximumEpochs)
            let first = try trainHead(head, encoder: encoder, inputs: inputs, xValidation: xValidation, training: frozen,
                                      loss: loss, validationLoss: validationLoss)
            var joint = training
            if let fixedEpochs {
                joint.maximumEpochs = fixedEpochs - frozen.maximumEpochs
                if joint.maximumEpochs == 0 { return first }
            }
            var history = try trainJointly(encoder: encoder, head: head, inputs: inputs, xValidation: xValidation, training: joint,
                                           encoderRate: optimizer.learningRate * encoderLearningRateFactor, loss: loss, validationLoss: validationLoss)
            history.epochs = first.epochs + history.epochs
            return history
        }
    }

    /// Trains `head` on the frozen encoder's standardised embeddings
    /// (`ProbeStandardization`, fitted on the training rows'), then folds the
    /// standardisation into it. Held rows are embedded once (N × D floats, standardised in
    /// place); windowed rows a batch at a time, their statistics from one pass over the file.
    private func trainHead(_ head: Network, encoder: Network, inputs: HeadInputs, xValidation: Matrix, training: TrainingConfig,
                           loss: @escaping (Matrix, [Int]) -> LossResult, validationLoss: @escaping (Matrix) -> Double) throws -> TrainingHistory {
        let standardization: ProbeStandardization
        let embedBatch: ([Int]) -> (positions: [Int], embeddings: ([Int]) -> Matrix)
        switch inputs {
        case .held(let x):
            var embeddings = encoder.predict(x)
            standardization = ProbeStandardization(fitting: embeddings)
            standardization.standardize(&embeddings)
            let standardized = embeddings
            embedBatch = { batch in (batch, { standardized.gatheringRows($0) }) }
        case .windowed:
            standardization = ProbeStandardization(slices: { emit in inputs.forEachSlice { emit(encoder.predict($0)) } })
            embedBatch = { batch in
                let (positions, features) = inputs.batch(batch)
                return (positions, { rows in
                    var embeddings = encoder.predict(features(rows))
                    standardization.standardize(&embeddings)
                    return embeddings
                })
            }
        }
        let embedValidation = { (x: Matrix) -> Matrix in
            var embeddings = encoder.predict(x)
            standardization.standardize(&embeddings)
            return embeddings
        }
        // Held: the hold-out embedded once; windowed: a slice at a time at each validation.
        var heldValidation: Matrix?
        if case .held = inputs { heldValidation = embedValidation(xValidation) }
        let steps = (inputs.count + training.batchSize - 1) / training.batchSize * training.maximumEpochs
        let optimizer = try Optimizer(config: optimizer, totalSteps: steps)
        var trainer = Trainer(config: training, progress: progress, communicator: communicator)
        trainer.epochOrder = inputs.epochOrder
        let history = try trainer.run(
            rowCount: inputs.count, stores: [head.store], optimizers: [optimizer],
            step: { batch in
                let (positions, embeddings) = embedBatch(batch)
                return communicator.step(positions, share: share) { rows in
                    let result = loss(head.forward(embeddings(rows), mode: .training), rows)
                    return (result, { head.accumulateGradients($0) })
                }
            },
            validate: xValidation.rows == 0 ? nil : { [heldValidation] in
                if let held = heldValidation { return validationLoss(head.predict(held)) }
                return validationLoss(inputs.validationOutputs(xValidation) { head.predict(embedValidation($0)) })
            })
        try head.foldInputAffine(shift: standardization.shift, factor: standardization.factor)
        return history
    }

    private func trainJointly(encoder: Network, head: Network, inputs: HeadInputs, xValidation: Matrix, training: TrainingConfig, encoderRate: Float,
                              loss: @escaping (Matrix, [Int]) -> LossResult, validationLoss: @escaping (Matrix) -> Double) throws -> TrainingHistory {
        let steps = (inputs.count + training.batchSize - 1) / training.batchSize * training.maximumEpochs
        var encoderOptimizer = optimizer
        encoderOptimizer.learningRate = encoderRate
        let optimizers = [try Optimizer(config: encoderOptimizer, totalSteps: steps), try Optimizer(config: optimizer, totalSteps: steps)]
        var trainer = Trainer(config: training, progress: progress, communicator: communicator)
        trainer.epochOrder = inputs.epochOrder
        return try trainer.run(
            rowCount: inputs.count, stores: [encoder.store, head.store], optimizers: optimizers,
            step: { batch in
                let (positions, features) = inputs.batch(batch)
                return communicator.step(positions, share: share) { rows in
                    let output = head.forward(encoder.forward(features(rows), mode: .training), mode: .training)
                    return (loss(output, rows), { encoder.accumulateGradients(head.backward($0)) })
                }
            },
            validate: xValidation.rows == 0 ? nil : { validationLoss(inputs.validationOutputs(xValidation) { head.predict(encoder.predict($0)) }) })
    }
}

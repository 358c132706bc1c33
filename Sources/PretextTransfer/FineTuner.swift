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
    /// The ranks that share each batch (data parallelism, as in `Pretrainer`); every rank
    /// returns the same model up to the order of floating-point sums.
    public var communicator: Communicator

    public init(config: FineTuneConfig = FineTuneConfig(), progress: ProgressReporter? = nil,
                communicator: Communicator = .single) {
        self.config = config
        self.progress = progress
        self.communicator = communicator
    }

    /// - Parameters:
    ///   - rows: the labeled rows to learn from (default: every labeled row).
    ///   - validationRows: rows for early stopping (default: a stratified hold-out of
    ///     `rows` when large enough, see `FineTuneConfig.minimumValidationRows`).
    public func fit(encoder pretrained: PretrainedEncoder, table: Table, rows: [Int]? = nil, validationRows: [Int]? = nil,
                    task requested: TaskType? = nil) throws -> TabularModel {
        try config.validate()
        let fixed = config.fixedEpochs
        let labeledRows = try LabeledRows(table, rows: rows, validationRows: fixed == nil ? validationRows : nil,
                                          validationFraction: fixed == nil ? config.validationFraction : 0,
                                          minimumValidationRows: config.minimumValidationRows, seed: config.seed, requestedTask: requested)
        let features = try pretrained.features(table)
        let (task, target) = (labeledRows.task, labeledRows.target)
        let objective = try SupervisedObjective(task: task, target: target, table: table, trainRows: labeledRows.train,
                                                validationRows: labeledRows.validation, balanceClasses: config.balanceClasses,
                                                classes: task.isClassification ? target.classNames.count : 1)
        return try fit(pretrained, task: task, target: target, objective: objective, inputs: .held(features.gatheringRows(labeledRows.train)),
                       xValidation: features.gatheringRows(labeledRows.validation))
    }

    /// The fit once the rows are chosen: `inputs` holds the features of the training rows
    /// (position p is the row whose labels `objective` reads for position p),
    /// `xValidation` those of the validation rows, in `objective`'s order.
    func fit(_ pretrained: PretrainedEncoder, task: TaskType, target: TargetEncoder, objective: SupervisedObjective, inputs: HeadInputs,
             xValidation: Matrix) throws -> TabularModel {
        var training = config.training
        if let fixed = config.fixedEpochs {
            training.maximumEpochs = fixed
        } else if xValidation.rows == 0 {
            training = training.withoutValidation(epochs: config.epochsWithoutValidation)
        }
        let outputs = task.isClassification ? target.classNames.count : 1
        var seeds = SeededGenerator(seed: config.seed, stream: "fine-tune")
        let encoder = try pretrained.network.copy()
        let headArchitecture: Architecture = config.strategy == .linearProbe
            ? .linear : .mlp(MLPConfig(depth: config.headDepth - 1, hiddenWidth: config.headWidth))
        let head = try Network(architecture: headArchitecture, inputDimensions: encoder.outputDimensions,
                               outputDimensions: outputs, seed: seeds.next())
        if config.strategy == .linearProbe { try head.setConstant(objective.constantOutput(count: inputs.count, classes: outputs)) }
        training.seed = seeds.next()

        var trainer = EncoderHeadTrainer(config, progress: progress)
        trainer.communicator = communicator
        trainer.share = { objective.share(of: $0, in: $1) }
        let history = try trainer.train(
            encoder: encoder, head: head, inputs: inputs, xValidation: xValidation, training: training,
            loss: { objective.loss($0, batch: $1) }, validationLoss: { objective.validationLoss($0) })
        return TabularModel(preprocessor: pretrained.preprocessor, encoder: encoder, head: head, target: target,
                            config: config, history: history)
    }
}

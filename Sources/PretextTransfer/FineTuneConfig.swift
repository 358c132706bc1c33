import PretextData
import PretextNN

/// How a pretrained encoder is adapted to labels.
public struct FineTuneConfig: Codable, Sendable, Equatable {
    public enum Strategy: String, Codable, Sendable, CaseIterable {
        /// Frozen encoder; a single Linear layer is trained on its embeddings.
        case linearProbe = "linear-probe"
        /// Encoder and head trained together (SCARF's choice).
        case full
        /// The head is trained on the frozen encoder first, then both together with the
        /// encoder's learning rate scaled by `encoderLearningRateFactor`.
        case freezeThenUnfreeze = "freeze-then-unfreeze"
    }

    public var strategy: Strategy = .full
    /// Head h for `full` and `freeze-then-unfreeze`: 2 layers (Linear, ReLU, Linear) of
    /// width 256. Range ≥ 1; default 2.
    public var headDepth: Int = 2
    public var headWidth: Int = 256
    /// Adam, learning rate 1e-3 (as SCARF's fine-tuning).
    public var optimizer = OptimizerConfig()
    /// Encoder learning rate = factor × head rate in the unfrozen phase. Default 0.1.
    public var encoderLearningRateFactor: Float = 0.1
    /// Epoch cap of the frozen phase of `freeze-then-unfreeze`. Default 50.
    public var frozenEpochs: Int = 50
    /// Batch 128, up to 200 epochs, patience 16, best weights restored.
    public var training: TrainingConfig = {
        var config = TrainingConfig()
        config.maximumEpochs = 200
        config.patience = 16
        return config
    }()
    /// Share of the labeled rows held out for early stopping when no validation rows are
    /// given. Default 0.2.
    public var validationFraction: Double = 0.2
    /// Early stopping needs at least this many validation rows; with fewer, every given
    /// row trains and training runs `epochsWithoutValidation` epochs (at most the epoch cap) instead (a handful of
    /// validation rows stops at noise — often a near-majority-class model). Default 30.
    public var minimumValidationRows: Int = 30
    /// Epochs when there is too little data to validate. Default 100.
    public var epochsWithoutValidation: Int = 100
    /// When set, a fit without validation trains this many optimizer steps instead —
    /// ⌈steps / batches per epoch⌉ epochs, at most the epoch cap, whatever
    /// `epochsWithoutValidation` says: with fewer rows than a batch an epoch is one step,
    /// and 100 of them left series classifiers undertrained (`results/series-steps-study`).
    /// Series classification sets it (`SeriesSettings.fineTuneSteps`); default nil (epochs).
    public var stepsWithoutValidation: Int?

    /// The defaults for series classifiers: these, 500 optimizer steps without validation
    /// (`stepsWithoutValidation`) and an epoch cap of 1,000 (so that the 500 steps fit in
    /// it with one batch an epoch; early stopping ends a validated fit long before).
    public static var seriesClassification: FineTuneConfig {
        var config = FineTuneConfig()
        config.stepsWithoutValidation = 500
        config.training.maximumEpochs = 1_000
        return config
    }
    /// When set, training runs exactly this many epochs in all on every given row, with
    /// no validation and no early stopping — the count chosen by model selection
    /// (`FineTuneSelector`). For freeze-then-unfreeze the frozen phase takes the first
    /// min(frozenEpochs, fixedEpochs) of them and the joint phase the rest. Default nil.
    public var fixedEpochs: Int? = nil
    /// Weight classes by n / (C·n_c) in the loss. Default false.
    public var balanceClasses = false
    public var seed: UInt64 = 0

    public init() {}

    public func validate() throws {
        try optimizer.validate()
        try training.validate()
        guard headDepth >= 1, headWidth >= 1 else {
            throw TrainingError.invalidHyperparameter(name: "headDepth/headWidth", value: "\(headDepth)/\(headWidth)", expected: "≥ 1")
        }
        guard encoderLearningRateFactor.isFinite && encoderLearningRateFactor > 0 else {
            throw TrainingError.invalidHyperparameter(name: "encoderLearningRateFactor", value: "\(encoderLearningRateFactor)", expected: "> 0")
        }
        guard validationFraction >= 0 && validationFraction < 1 else {
            throw TrainingError.invalidHyperparameter(name: "validationFraction", value: "\(validationFraction)", expected: "0 ≤ f < 1")
        }
        if let stepsWithoutValidation, stepsWithoutValidation < 1 {
            throw TrainingError.invalidHyperparameter(name: "stepsWithoutValidation", value: "\(stepsWithoutValidation)", expected: "≥ 1")
        }
        if let fixedEpochs, fixedEpochs < 1 {
            throw TrainingError.invalidHyperparameter(name: "fixedEpochs", value: "\(fixedEpochs)", expected: "≥ 1")
        }
        guard frozenEpochs >= 1, epochsWithoutValidation >= 1, minimumValidationRows >= 1 else {
            throw TrainingError.invalidHyperparameter(name: "frozenEpochs/epochsWithoutValidation/minimumValidationRows",
                                                      value: "\(frozenEpochs)/\(epochsWithoutValidation)/\(minimumValidationRows)", expected: "≥ 1")
        }
    }
}

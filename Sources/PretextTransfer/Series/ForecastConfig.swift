import PretextData
import PretextNN
import PretextSSL

/// Settings of a neural forecaster (pretrained or from scratch).
///
/// Forecasts are *direct*: one linear head outputs all H future steps of every channel
/// at once from the encoder's representation of the last L steps (no recursion, so
/// errors do not compound through fed-back predictions).
public struct ForecastConfig: Codable, Sendable, Equatable {
    /// Future steps H. Range ≥ 1; default 12.
    public var horizon: Int = 12
    /// Past steps L the model sees. Range ≥ 1; default 24. An MLP encoder only accepts the
    /// lookback it was pretrained with; a TCN any.
    public var lookback: Int = 24
    /// How a pretrained encoder is adapted. Default `full`.
    public var strategy: FineTuneConfig.Strategy = .full
    /// The encoder trained from scratch when none is given (a TCN).
    public var encoder = SeriesEncoderConfig()
    /// Adam, learning rate 1e-3.
    public var optimizer = OptimizerConfig()
    /// Encoder rate = factor × head rate after the frozen phase of freeze-then-unfreeze.
    public var encoderLearningRateFactor: Float = 0.1
    public var frozenEpochs: Int = 50
    /// Batch 32, up to 200 epochs, patience 16, best weights restored.
    public var training: TrainingConfig = {
        var config = TrainingConfig()
        config.batchSize = 32
        config.maximumEpochs = 200
        config.patience = 16
        return config
    }()
    /// The last share of each series' windows is held out for early stopping when that
    /// gives at least `minimumValidationWindows`; otherwise every window trains for
    /// `epochsWithoutValidation` epochs. Defaults 0.2, 30, 100 (the tabular rule).
    public var validationFraction: Double = 0.2
    public var minimumValidationWindows: Int = 30
    public var epochsWithoutValidation: Int = 100
    public var seed: UInt64 = 0

    public init() {}

    var fineTune: FineTuneConfig {
        var config = FineTuneConfig()
        config.strategy = strategy
        config.optimizer = optimizer
        config.encoderLearningRateFactor = encoderLearningRateFactor
        config.frozenEpochs = frozenEpochs
        return config
    }

    public func validate() throws {
        try WindowConfig(lookback: lookback, horizon: horizon).validate()
        try optimizer.validate()
        try training.validate()
        guard validationFraction >= 0 && validationFraction < 1 else {
            throw TrainingError.invalidHyperparameter(name: "validationFraction", value: "\(validationFraction)", expected: "0 ≤ f < 1")
        }
        guard minimumValidationWindows >= 1, epochsWithoutValidation >= 1, frozenEpochs >= 1 else {
            throw TrainingError.invalidHyperparameter(name: "minimumValidationWindows/epochsWithoutValidation/frozenEpochs",
                                                      value: "\(minimumValidationWindows)/\(epochsWithoutValidation)/\(frozenEpochs)", expected: "≥ 1")
        }
        guard encoderLearningRateFactor.isFinite && encoderLearningRateFactor > 0 else {
            throw TrainingError.invalidHyperparameter(name: "encoderLearningRateFactor", value: "\(encoderLearningRateFactor)", expected: "> 0")
        }
    }
}

import PretextData
import PretextNN

/// Next-step-prediction pretraining settings: from a window of L past steps, predict the
/// next value of every channel, MSE on per-window normalised values (the self-supervised
/// task of autoregressive sequence models; no labels needed).
public struct NextStepConfig: Codable, Sendable, Equatable {
    public var encoder = SeriesEncoderConfig()
    /// Lookback L 24, horizon 1, stride 1.
    public var window = WindowConfig(lookback: 24, horizon: 1, stride: 1)
    /// Adam, learning rate 1e-3.
    public var optimizer = OptimizerConfig()
    /// Batch 256, up to 100 epochs, early stopping on held-out windows with patience 5.
    public var training: TrainingConfig = {
        var config = TrainingConfig()
        config.batchSize = 256
        config.maximumEpochs = 100
        config.patience = 5
        return config
    }()
    /// Share held out for early stopping: whole series when there are at least 10, else
    /// the last windows of each series in time. Range (0, 1); default 0.1.
    public var validationFraction: Double = 0.1
    public var seed: UInt64 = 0

    public init() {}

    public func validate() throws {
        try window.validate()
        try optimizer.validate()
        try training.validate()
        guard validationFraction > 0 && validationFraction < 1 else {
            throw TrainingError.invalidHyperparameter(name: "validationFraction", value: "\(validationFraction)", expected: "0 < f < 1")
        }
    }
}

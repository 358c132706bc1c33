/// The shared training loop's settings.
public struct TrainingConfig: Codable, Sendable, Equatable {
    /// Upper bound on epochs. Range ≥ 1; default 200.
    public var maximumEpochs: Int = 200
    /// Rows per mini-batch (the last batch may be smaller). Range ≥ 1; default 128
    /// (SCARF's batch size).
    public var batchSize: Int = 128
    /// Stop after this many epochs without a validation improvement. Range ≥ 1;
    /// default 16. Ignored without validation.
    public var patience: Int = 16
    /// An epoch improves when its validation loss is below best − minimumImprovement.
    /// Default 0.
    public var minimumImprovement: Double = 0
    /// Put back the weights of the best validation epoch at the end. Default true.
    public var restoreBestWeights: Bool = true
    /// Seed for batch order (and, through the models, dropout).
    public var seed: UInt64 = 0

    public init() {}

    /// The settings for a fit with nothing to validate on: a fixed number of epochs,
    /// `epochs`, but never more than the cap `maximumEpochs`.
    public func withoutValidation(epochs: Int) -> TrainingConfig {
        var config = self
        config.maximumEpochs = min(maximumEpochs, epochs)
        return config
    }

    public func validate() throws {
        guard maximumEpochs >= 1 else { throw TrainingError.invalidHyperparameter(name: "maximumEpochs", value: "\(maximumEpochs)", expected: "≥ 1") }
        guard batchSize >= 1 else { throw TrainingError.invalidHyperparameter(name: "batchSize", value: "\(batchSize)", expected: "≥ 1") }
        guard patience >= 1 else { throw TrainingError.invalidHyperparameter(name: "patience", value: "\(patience)", expected: "≥ 1") }
        guard minimumImprovement.isFinite && minimumImprovement >= 0 else {
            throw TrainingError.invalidHyperparameter(name: "minimumImprovement", value: "\(minimumImprovement)", expected: "a finite value ≥ 0")
        }
    }
}

/// What happened during training.
public struct TrainingHistory: Codable, Sendable, Equatable {
    public struct Epoch: Codable, Sendable, Equatable {
        public var epoch: Int
        public var trainingLoss: Double
        public var validationLoss: Double?
    }
    public var epochs: [Epoch] = []
    /// 1-based epoch whose weights were kept (the last one without validation).
    public var bestEpoch: Int = 0
    public var stoppedEarly = false

    public init() {}
}

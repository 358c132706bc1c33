import PretextData

/// Settings of a supervised network trained from scratch on labeled rows.
public struct SupervisedConfig: Codable, Sendable, Equatable {
    /// Default: MLP, 3 hidden layers of 256 ReLU units, dropout 0.1.
    public var architecture: Architecture = .mlp(MLPConfig(depth: 3, hiddenWidth: 256, dropout: 0.1))
    /// Default: AdamW, learning rate 1e-3, weight decay 1e-4.
    public var optimizer: OptimizerConfig = {
        var config = OptimizerConfig()
        config.method = .adamW
        config.weightDecay = 1e-4
        return config
    }()
    public var training = TrainingConfig()
    public var preprocessing = PreprocessingConfig()
    /// Weight each class by n / (C·n_c) in the loss. Default false.
    public var balanceClasses = false
    /// Share of the given labeled rows held out for early stopping when no validation
    /// rows are given. Range 0..<1; default 0.2.
    public var validationFraction: Double = 0.2
    /// Early stopping needs at least this many hold-out rows; with fewer, every given
    /// row trains for `epochsWithoutValidation` epochs (the same rule as fine-tuning).
    /// Default 30.
    public var minimumValidationRows: Int = 30
    /// Epochs when there is too little data to validate. Default 100.
    public var epochsWithoutValidation: Int = 100
    /// Master seed: initialisation, batch order, dropout and hold-out derive from it.
    public var seed: UInt64 = 0

    public init() {}

    /// The linear baseline: one Linear layer (logistic or linear regression), L2 by
    /// AdamW's weight decay 1e-3, learning rate 1e-2, the same early stopping.
    public static var linearModel: SupervisedConfig {
        var config = SupervisedConfig()
        config.architecture = .linear
        config.optimizer.learningRate = 1e-2
        config.optimizer.weightDecay = 1e-3
        return config
    }

    public func validate() throws {
        try optimizer.validate()
        try training.validate()
        try preprocessing.validate()
        try architecture.validate()
        guard validationFraction >= 0 && validationFraction < 1 else {
            throw TrainingError.invalidHyperparameter(name: "validationFraction", value: "\(validationFraction)", expected: "0 ≤ f < 1")
        }
    }
}

/// A fitted supervised model: preprocessing, target encoding and the network.
public final class FittedSupervisedModel {
    public let config: SupervisedConfig
    public let preprocessor: FittedPreprocessor
    public let target: TargetEncoder
    public let network: Network
    public let history: TrainingHistory
    /// How this model was chosen over other kinds, when it was (`AutoModel`).
    public var choice: ModelChoice?

    init(config: SupervisedConfig, preprocessor: FittedPreprocessor, target: TargetEncoder, network: Network, history: TrainingHistory) {
        self.config = config
        self.preprocessor = preprocessor
        self.target = target
        self.network = network
        self.history = history
    }

    /// Raw network outputs (B, O) for every row of `table`.
    public func outputs(_ table: Table) throws -> Matrix {
        let (features, _) = try preprocessor.transform(table)
        return network.predict(Matrix(rows: features.rows, columns: features.columns, values: features.values))
    }
}

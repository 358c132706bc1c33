import PretextData
import PretextNN

/// Self-supervised pretraining settings. The default objective is SCARF (Bahri et al.
/// 2021, "SCARF: Self-Supervised Contrastive Learning using Random Feature Corruption",
/// arXiv 2106.15147); VICReg and reconstruction use the same corruption to make the
/// second view. Every default is the paper's: Pretext chooses no pretraining default of
/// its own. (An earlier study, `results/defaults-study/`, picked τ = 0.5 and patience 10
/// by test accuracy on the same bundled tables the README reports; such a choice is not
/// allowed to shape reported results, so the paper's values are back until a choice by
/// cross-validation on development tables replaces them.)
public struct PretrainingConfig: Codable, Sendable, Equatable {
    /// The objective(s). Default `.scarf`.
    public var objective: PretrainingObjective = .scarf
    /// Weight of the SCARF InfoNCE loss in a combination. Default 1.
    public var scarfWeight: Float = 1
    /// VICReg's invariance, variance and covariance weights (25, 25, 1: the paper's).
    public var vicregWeights = VICReg.Weights()
    /// Weight of the VICReg loss in a combination. Default 1.
    public var vicregWeight: Float = 1
    /// Weight of the reconstruction loss in a combination. Default 1.
    public var reconstructionWeight: Float = 1
    /// α of the reconstruction loss: features vs mask (VIME's default 2).
    public var reconstructionFeatureWeight: Float = ReconstructionLoss.defaultFeatureWeight
    /// Share c of the d original columns replaced in each corrupted view; ⌊c·d⌋ (at
    /// least 1) columns per row. Range (0, 1); default 0.6 (paper).
    public var corruptionRate: Double = 0.6
    /// InfoNCE temperature τ. Range > 0; default 1.0 (paper).
    public var temperature: Float = 1.0
    /// Encoder f: the paper's 4-layer ReLU network of width 256, built as 3 × (Linear,
    /// ReLU) and a final Linear, as in the common PyTorch reference code.
    public var encoderDepth: Int = 4
    public var encoderWidth: Int = 256
    /// Pretraining head g: 2 layers of width 256 (Linear, ReLU, Linear).
    public var headDepth: Int = 2
    /// Adam, learning rate 1e-3 (paper).
    public var optimizer = OptimizerConfig()
    /// Batch 128, up to 1000 epochs, early stopping on the InfoNCE loss of a fixed,
    /// seeded validation set of corrupted pairs with patience 3 (paper).
    public var training: TrainingConfig = {
        var config = TrainingConfig()
        config.batchSize = 128
        config.maximumEpochs = 1000
        config.patience = 3
        return config
    }()
    /// Share of the pretraining pool held out for the validation pairs. Range (0, 0.5];
    /// default 0.1.
    public var validationFraction: Double = 0.1
    public var preprocessing = PreprocessingConfig()
    /// Master seed: split, initialisation, batches and corruption derive from it.
    public var seed: UInt64 = 0

    public init() {}

    public func validate() throws {
        guard !objective.contains(.supervised) else {
            throw TrainingError.invalidHyperparameter(name: "objective", value: "supervised",
                                                      expected: "a self-supervised objective here; supervised pretraining needs an upstream label (SupervisedPretrainer)")
        }
        guard corruptionRate > 0 && corruptionRate < 1 else {
            throw TrainingError.invalidHyperparameter(name: "corruptionRate", value: "\(corruptionRate)", expected: "0 < c < 1")
        }
        guard temperature.isFinite && temperature > 0 else {
            throw TrainingError.invalidHyperparameter(name: "temperature", value: "\(temperature)", expected: "a finite value > 0")
        }
        guard encoderDepth >= 2, headDepth >= 1, encoderWidth >= 1 else {
            throw TrainingError.invalidHyperparameter(name: "encoderDepth/headDepth/encoderWidth",
                                                      value: "\(encoderDepth)/\(headDepth)/\(encoderWidth)", expected: "≥ 2 / ≥ 1 / ≥ 1")
        }
        guard validationFraction > 0 && validationFraction <= 0.5 else {
            throw TrainingError.invalidHyperparameter(name: "validationFraction", value: "\(validationFraction)", expected: "0 < f ≤ 0.5")
        }
        try optimizer.validate()
        try training.validate()
        try preprocessing.validate()
    }

    public var encoderArchitecture: Architecture { .mlp(MLPConfig(depth: encoderDepth - 1, hiddenWidth: encoderWidth)) }
    public var headArchitecture: Architecture { .mlp(MLPConfig(depth: headDepth - 1, hiddenWidth: encoderWidth)) }
}

import ArgumentParser
import Pretext

/// Options every training command shares.
struct RunOptions: ParsableArguments {
    @Option(help: "Master seed: splits, initialisation, batches and corruption derive from it.")
    var seed: UInt64 = 0

    @Flag(help: "No progress lines on standard error.")
    var quiet = false
}

/// SCARF pretraining settings (defaults: Bahri et al. 2021; see PretrainingConfig).
struct ScarfOptions: ParsableArguments {
    @Option(help: "Share of columns replaced in each corrupted view (0 < c < 1).")
    var corruptionRate: Double = 0.6
    @Option(help: "InfoNCE temperature (> 0); the paper's 1.0.")
    var temperature: Float = 1.0
    @Option(help: "Maximum pretraining epochs (early stopping decides).")
    var pretrainEpochs: Int = 1000
    @Option(help: "Pretraining stops after this many epochs without validation improvement; the paper's 3.")
    var pretrainPatience: Int = 3
    @Option(help: "Pretraining batch size.")
    var pretrainBatchSize: Int = 128
    @Option(help: "Pretraining learning rate (Adam).")
    var pretrainLearningRate: Float = 1e-3
    @Option(help: "Encoder width (units per layer).")
    var encoderWidth: Int = 256
    @Option(help: "Encoder depth (Linear layers).")
    var encoderDepth: Int = 4

    func validate() throws {
        guard corruptionRate.isFinite, corruptionRate > 0, corruptionRate < 1 else {
            throw ValidationError("--corruption-rate must lie strictly between 0 and 1 (got \(corruptionRate)).")
        }
        guard temperature.isFinite, temperature > 0 else { throw ValidationError("--temperature must be a positive number (got \(temperature)).") }
        guard pretrainLearningRate.isFinite, pretrainLearningRate > 0 else {
            throw ValidationError("--pretrain-learning-rate must be a positive number (got \(pretrainLearningRate)).")
        }
        for (name, value) in [("--pretrain-epochs", pretrainEpochs), ("--pretrain-patience", pretrainPatience),
                              ("--pretrain-batch-size", pretrainBatchSize), ("--encoder-width", encoderWidth)] where value < 1 {
            throw ValidationError("\(name) must be at least 1 (got \(value)).")
        }
        guard encoderDepth >= 2 else { throw ValidationError("--encoder-depth must be at least 2 (got \(encoderDepth)).") }
    }

    /// The settings with SCARF's objective; commands that offer `--objective` set theirs.
    func config(seed: UInt64) -> PretrainingConfig {
        var config = PretrainingConfig()
        config.corruptionRate = corruptionRate
        config.temperature = temperature
        config.training.maximumEpochs = pretrainEpochs
        config.training.patience = pretrainPatience
        config.training.batchSize = pretrainBatchSize
        config.optimizer.learningRate = pretrainLearningRate
        config.encoderWidth = encoderWidth
        config.encoderDepth = encoderDepth
        config.seed = seed
        return config
    }
}

/// `--objective` for the commands that pretrain one encoder (`pretrain` also accepts
/// `supervised`; `compare` names the objective in each method instead).
struct ObjectiveOption: ParsableArguments {
    @Option(help: "Pretraining objective: scarf, vicreg, reconstruct, or a combination such as scarf+reconstruct.")
    var objective = "scarf"

    func validate() throws {
        guard let parsed = PretrainingObjective(parsing: objective), !parsed.contains(.supervised) else {
            throw ValidationError("unknown --objective \"\(objective)\"; use scarf, vicreg, reconstruct or a +-joined combination"
                                  + (objective.contains("supervised") ? " (supervised pretraining is pretext pretrain --objective supervised)." : "."))
        }
    }

    var parsed: PretrainingObjective { PretrainingObjective(parsing: objective) ?? .scarf }
}

extension FineTuneConfig.Strategy: ExpressibleByArgument {}

/// Fine-tuning settings.
struct FineTuneOptions: ParsableArguments {
    @Option(help: "How to adapt the encoder: linear-probe, full or freeze-then-unfreeze.")
    var strategy: FineTuneConfig.Strategy = .full
    @Option(help: "Label budget: a share of the labeled rows (\"5%\") or a row count (\"100\"). Default: all labeled rows.")
    var labels: String?
    @Option(help: "Maximum fine-tuning epochs.")
    var epochs: Int = 200
    @Option(help: "Fine-tuning learning rate (Adam).")
    var learningRate: Float = 1e-3
    @Flag(help: "Weight classes by n/(C·n_c) in the loss, for imbalanced targets.")
    var balanceClasses = false

    func validate() throws {
        if let labels { _ = try budget(labels) }
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1 (got \(epochs)).") }
        guard learningRate.isFinite, learningRate > 0 else { throw ValidationError("--learning-rate must be a positive number (got \(learningRate)).") }
    }

    func budget(_ text: String) throws -> LabelBudget {
        do { return try LabelBudget(parsing: text) } catch let error as DataError { throw ValidationError(error.description) }
    }

    func config(seed: UInt64) -> FineTuneConfig {
        var config = FineTuneConfig()
        config.strategy = strategy
        config.training.maximumEpochs = epochs
        config.optimizer.learningRate = learningRate
        config.balanceClasses = balanceClasses
        config.seed = seed
        return config
    }
}

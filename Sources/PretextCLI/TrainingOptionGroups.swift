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

/// Takes a deprecated spelling of an option (accepted until Pretext 1.0, hidden from
/// `--help`): its value replaces the new option's, with a note on standard error. Both
/// spellings with different values is a usage error.
func adoptDeprecated<Value: Equatable>(_ old: Value?, _ oldName: String, into value: inout Value, default defaultValue: Value,
                                       _ newName: String) throws {
    guard let old else { return }
    guard value == defaultValue || value == old else {
        throw ValidationError("\(oldName) is the old spelling of \(newName); give \(newName) only.")
    }
    value = old
    printError("note: \(oldName) is deprecated and goes in Pretext 1.0; use \(newName).")
}

/// The same for an option whose new spelling has no default value (nil = the library's).
func adoptDeprecated<Value: Equatable>(_ old: Value?, _ oldName: String, into value: inout Value?, _ newName: String) throws {
    guard let old else { return }
    guard value == nil || value == old else {
        throw ValidationError("\(oldName) is the old spelling of \(newName); give \(newName) only.")
    }
    value = old
    printError("note: \(oldName) is deprecated and goes in Pretext 1.0; use \(newName).")
}

/// Fine-tuning (and training from scratch) settings, one vocabulary for tables and series.
struct FineTuneTrainingOptions: ParsableArguments {
    @Option(help: "Maximum fine-tuning epochs (default 200; series classifiers 1,000). Early stopping decides when there is enough validation data; without, series classifiers train --fine-tune-steps steps.")
    var fineTuneEpochs: Int?
    @Option(help: "Fine-tuning stops after this many epochs without validation improvement.")
    var fineTunePatience: Int = 16
    @Option(help: "Fine-tuning learning rate (Adam).")
    var fineTuneLearningRate: Float = 1e-3
    @Option(name: .customLong("epochs"), help: .hidden) var deprecatedEpochs: Int?
    @Option(name: .customLong("learning-rate"), help: .hidden) var deprecatedLearningRate: Float?

    mutating func validate() throws {
        try adoptDeprecated(deprecatedEpochs, "--epochs", into: &fineTuneEpochs, "--fine-tune-epochs")
        try adoptDeprecated(deprecatedLearningRate, "--learning-rate", into: &fineTuneLearningRate, default: 1e-3, "--fine-tune-learning-rate")
        deprecatedEpochs = nil
        deprecatedLearningRate = nil
        for (name, value) in [("--fine-tune-epochs", fineTuneEpochs ?? 1), ("--fine-tune-patience", fineTunePatience)] where value < 1 {
            throw ValidationError("\(name) must be at least 1 (got \(value)).")
        }
        guard fineTuneLearningRate.isFinite, fineTuneLearningRate > 0 else {
            throw ValidationError("--fine-tune-learning-rate must be a positive number (got \(fineTuneLearningRate)).")
        }
    }

    func apply(to config: inout FineTuneConfig) {
        config.training.maximumEpochs = fineTuneEpochs ?? config.training.maximumEpochs
        config.training.patience = fineTunePatience
        config.optimizer.learningRate = fineTuneLearningRate
    }
}

/// `--repeats` (how many seeds a comparison runs: seeds 0 ..< N, each its own split and
/// pretraining); `--seeds` is its deprecated spelling.
struct RepeatsOption: ParsableArguments {
    static let defaultValue = 5
    @Option(help: "Repeats: seeds 0..<N, each its own split and pretraining.") var repeats = RepeatsOption.defaultValue
    @Option(name: .customLong("seeds"), help: .hidden) var deprecatedSeeds: Int?

    mutating func validate() throws {
        try adoptDeprecated(deprecatedSeeds, "--seeds", into: &repeats, default: Self.defaultValue, "--repeats")
        deprecatedSeeds = nil
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1 (got \(repeats)).") }
    }
}

/// Fine-tuning settings.
struct FineTuneOptions: ParsableArguments {
    @Option(help: "How to adapt the encoder: linear-probe, full or freeze-then-unfreeze.")
    var strategy: FineTuneConfig.Strategy = .full
    @Option(help: "Label budget: a share of the labeled rows (\"5%\") or a row count (\"100\"). Default: all labeled rows.")
    var labels: String?
    @Flag(help: "Weight classes by n/(C·n_c) in the loss, for imbalanced targets.")
    var balanceClasses = false
    @OptionGroup var training: FineTuneTrainingOptions

    func validate() throws {
        if let labels { _ = try budget(labels) }
    }

    func budget(_ text: String) throws -> LabelBudget {
        do { return try LabelBudget(parsing: text) } catch let error as DataError { throw ValidationError(error.description) }
    }

    func config(seed: UInt64) -> FineTuneConfig {
        var config = FineTuneConfig()
        config.strategy = strategy
        training.apply(to: &config)
        config.balanceClasses = balanceClasses
        config.seed = seed
        return config
    }
}

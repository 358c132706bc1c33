import Foundation
@_exported import PretextTestSupport
import PretextData
import PretextNN
import PretextSSL
import PretextAuto
import PretextTransfer

func accuracy(_ predictions: [String], _ table: Table, rows: [Int]) -> Double {
    let truth = rows.map { table.target!.text(at: $0) }
    return Double(zip(predictions, truth).filter { $0 == $1 }.count) / Double(rows.count)
}

/// SCARF with a smaller encoder and epoch cap so tests stay quick.
func quickScarf(seed: UInt64, epochs: Int = 60, width: Int = 128) -> PretrainingConfig {
    var config = PretrainingConfig()
    config.encoderWidth = width
    config.training.maximumEpochs = epochs
    config.training.patience = 5
    config.seed = seed
    return config
}

/// `auto` with small settings: a 3-epoch SCARF, 25 fine-tuning epochs, one learning rate,
/// 3-fold cross-validation once, two XGBoost trials.
func quickAutoConfig(seed: UInt64 = 0) -> AutoConfig {
    var config = AutoConfig()
    config.pretraining = quickScarf(seed: seed, epochs: 3, width: 32)
    config.fineTune.training.maximumEpochs = 25
    config.fineTune.training.batchSize = 32
    config.fineTune.frozenEpochs = 8
    config.fineTune.headWidth = 32
    config.selection.learningRates = [1e-3]
    config.selection.folds = 3
    config.selection.repeats = 1
    config.trees.trials = 2
    config.trees.maximumRounds = 150
    config.trees.patience = 20
    config.seed = seed
    return config
}

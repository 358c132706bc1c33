import Foundation
import XCTest
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

/// ItalyPowerDemand's 67 training series (univariate, 24 steps).
func italyTrainingSeries() throws -> SeriesCollection {
    let table = try CSVReader().read(datasetsPath + "/italy_power_demand_train.csv").0
    return try SeriesReader(layout: .wide, labelColumn: "target").series(from: table)
}

/// Contrastive series pretraining small enough for tests: a 16-wide TCN (dilations 1, 2,
/// 4), 6 epochs, early stopping from 10 series on (7 of ItalyPowerDemand's 67 held out,
/// so the held-out loss is seen), seed 5.
func quickContrastive() -> ContrastiveSeriesConfig {
    var config = ContrastiveSeriesConfig()
    config.encoder.tcn.width = 16
    config.encoder.tcn.dilations = [1, 2, 4]
    config.training.maximumEpochs = 6
    config.earlyStoppingSeries = 10
    config.seed = 5
    return config
}

/// Pretrains with `config` twice and checks that the held-out loss fell below its first
/// epoch's and that the same seed gave the same weights; returns the encoder.
func pretrainLearnsAndIsReproducible(_ config: ContrastiveSeriesConfig, on collection: SeriesCollection,
                                     file: StaticString = #filePath, line: UInt = #line) throws -> SeriesEncoder {
    let encoder = try ContrastiveSeriesPretrainer(config: config).fit(collection)
    let losses = encoder.history.epochs.compactMap(\.validationLoss)
    XCTAssertEqual(losses.count, config.training.maximumEpochs, file: file, line: line)
    XCTAssertLessThan(try XCTUnwrap(losses.min(), file: file, line: line), losses[0], "\(losses)", file: file, line: line)
    let again = try ContrastiveSeriesPretrainer(config: config).fit(collection)
    XCTAssertEqual(again.network.store.values, encoder.network.store.values, "same seed, same weights", file: file, line: line)
    return encoder
}

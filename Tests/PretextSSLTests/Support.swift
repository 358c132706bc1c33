import Foundation
@_exported import PretextTestSupport
import PretextData
import PretextNN
import PretextSSL
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

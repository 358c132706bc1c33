import Foundation
import PretextData
import PretextNN
import PretextSSL
import PretextTransfer

let datasetsPath: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.appendingPathComponent("datasets").path
}()

func loadTable(_ name: String, target: String = "target") throws -> Table {
    var (table, _) = try CSVReader().read("\(datasetsPath)/\(name)")
    try table.setRole(.target, for: target)
    return table
}

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

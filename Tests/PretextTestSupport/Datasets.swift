import Foundation
import PretextData

/// The repository's `datasets/` folder.
public let datasetsPath: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.appendingPathComponent("datasets").path
}()

/// A bundled dataset with `target` as its target column.
public func loadTable(_ name: String, target: String = "target") throws -> Table {
    var (table, _) = try CSVReader().read("\(datasetsPath)/\(name)")
    try table.setRole(.target, for: target)
    return table
}

/// Reads a bundled dataset without marking a target (series files).
public func loadUntargetedTable(_ name: String) throws -> Table {
    try CSVReader().read("\(datasetsPath)/\(name)").table
}

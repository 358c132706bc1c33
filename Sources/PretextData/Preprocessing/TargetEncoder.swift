/// Encodes the target: class indices for classification (class names kept), a
/// standardised value for regression (inverted on output).
///
/// Classes are ordered numerically when every class name is a number, otherwise by
/// text, so the order never depends on row order.
public struct TargetEncoder: Codable, Sendable, Equatable {
    public var column: String
    public var task: TaskType
    /// Class names, index = class id (classification only).
    public var classNames: [String]
    /// Regression: y_std = (y − mean) / scale.
    public var mean: Double
    public var scale: Double

    /// Fits on the labeled rows among `rows`.
    public static func fit(_ table: Table, rows: [Int], task: TaskType) throws -> TargetEncoder {
        guard let target = table.target else {
            throw DataError.invalidTarget(path: table.source, column: "", reason: "no column has the target role")
        }
        let labeled = rows.filter { !target.isMissing($0) }
        if task.isClassification {
            let names = Set(labeled.map { target.text(at: $0) })
            let numeric = names.allSatisfy { Double($0) != nil }
            let ordered = names.sorted { numeric ? Double($0)! < Double($1)! : $0 < $1 }
            return TargetEncoder(column: target.name, task: task, classNames: ordered, mean: 0, scale: 1)
        }
        guard case .numeric(let values) = target.storage else {
            throw DataError.invalidTarget(path: table.source, column: target.name, reason: "regression needs a numeric target")
        }
        let numbers = labeled.map { Double(values[$0]) }
        guard !numbers.isEmpty else {
            throw DataError.invalidTarget(path: table.source, column: target.name, reason: "no labeled rows to fit on")
        }
        let mean = numbers.reduce(0, +) / Double(numbers.count)
        let variance = numbers.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(numbers.count)
        return TargetEncoder(column: target.name, task: task, classNames: [], mean: mean,
                             scale: variance > 0 ? variance.squareRoot() : 1)
    }

    /// Class ids of `rows` (classification). A class not seen at fit time is an error.
    public func classIndices(_ table: Table, rows: [Int]) throws -> [Int32] {
        guard let target = table[column] else {
            throw DataError.schemaMismatch(missing: [column], reason: "The target column is needed to score labels.")
        }
        var lookup: [String: Int32] = [:]
        for (index, name) in classNames.enumerated() { lookup[name] = Int32(index) }
        return try rows.map { row in
            let text = target.text(at: row)
            guard let index = lookup[text] else {
                throw DataError.invalidTarget(path: table.source, column: column,
                                              reason: "row \(row + 1) has class \"\(text)\", which the training rows did not have (known: \(classNames.joined(separator: ", ")))")
            }
            return index
        }
    }

    /// Standardised targets of `rows` (regression).
    public func standardized(_ table: Table, rows: [Int]) throws -> [Float] {
        guard let target = table[column], case .numeric(let values) = target.storage else {
            throw DataError.schemaMismatch(missing: [column], reason: "The numeric target column is needed.")
        }
        return rows.map { Float((Double(values[$0]) - mean) / scale) }
    }

    /// Back from the standardised scale to the target's units.
    public func original(_ standardized: Float) -> Double { Double(standardized) * scale + mean }
}

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
        try fit(task: task, path: table.source) { piece in try piece(table, rows) }
    }

    /// The same fit with the rows given in pieces: `pieces` calls its argument with each
    /// piece — a table whose target column is the target, and the rows of it to use — in
    /// row order (e.g. slices of a columnar cache). It is called once for classification
    /// and twice for regression (the mean, then the variance about it), so nothing is kept
    /// per row, and the same rows in any pieces give the same encoder.
    public static func fit(task: TaskType, path: String, pieces: ((Table, [Int]) throws -> Void) throws -> Void) throws -> TargetEncoder {
        var name: String?
        func values(_ table: Table) throws -> Column {
            guard let target = table.target else {
                throw DataError.invalidTarget(path: path, column: "", reason: "no column has the target role")
            }
            name = target.name
            return target
        }
        if task.isClassification {
            var names = Set<String>()
            try pieces { table, rows in
                let target = try values(table)
                for row in rows where !target.isMissing(row) { names.insert(target.text(at: row)) }
            }
            let numeric = names.allSatisfy { Double($0) != nil }
            let ordered = names.sorted { numeric ? Double($0)! < Double($1)! : $0 < $1 }
            return TargetEncoder(column: name ?? "", task: task, classNames: ordered, mean: 0, scale: 1)
        }
        func numbers(_ table: Table, _ rows: [Int], _ body: (Double) -> Void) throws {
            let target = try values(table)
            guard case .numeric(let values) = target.storage else {
                throw DataError.invalidTarget(path: path, column: target.name, reason: "regression needs a numeric target")
            }
            for row in rows where !values[row].isNaN { body(Double(values[row])) }
        }
        var count = 0, sum = 0.0
        try pieces { table, rows in try numbers(table, rows) { count += 1; sum += $0 } }
        guard count > 0 else {
            throw DataError.invalidTarget(path: path, column: name ?? "", reason: "no labeled rows to fit on")
        }
        let mean = sum / Double(count)
        var squares = 0.0
        try pieces { table, rows in try numbers(table, rows) { squares += ($0 - mean) * ($0 - mean) } }
        let variance = squares / Double(count)
        return TargetEncoder(column: name ?? "", task: task, classNames: [], mean: mean, scale: variance > 0 ? variance.squareRoot() : 1)
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

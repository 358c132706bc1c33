/// The supervised task a target column defines.
public enum TaskType: String, Codable, Sendable {
    case binaryClassification = "binary"
    case multiclassClassification = "multiclass"
    case regression

    public var isClassification: Bool { self != .regression }

    /// Integral numeric targets with at most this many distinct values are classes.
    public static let maximumNumericClasses = 10

    /// Infers the task from the target column's present values.
    ///
    /// Categorical and boolean targets are classification; a numeric target is
    /// classification when all its values are integers with at most
    /// `maximumNumericClasses` distinct values (e.g. UCR's `1`/`2` labels), regression
    /// otherwise. Pass `requested` to override.
    ///
    /// - Throws: `DataError.invalidTarget` for a datetime target, an infinite value,
    ///   no labeled rows, or a single class.
    ///
    /// One pass over the column holding a bounded set of distinct values (a few more than
    /// `maximumNumericClasses`, or the categories' codes), and for classification one more
    /// pass over the spellings: nothing is kept per row, however many rows the target has.
    public static func infer(for column: Column, path: String, requested: TaskType? = nil) throws -> TaskType {
        let task: TaskType
        switch column.storage {
        case .datetime:
            if (0..<column.count).allSatisfy(column.isMissing) { throw noLabels(column, path) }
            throw DataError.invalidTarget(path: path, column: column.name, reason: "it holds dates; pick a label column, or use the series commands")
        case .categorical(let codes, _):
            var codesSeen = Set<Int32>()
            for code in codes where code >= 0 { codesSeen.insert(code) }
            guard !codesSeen.isEmpty else { throw noLabels(column, path) }
            if requested == .regression {
                throw DataError.invalidTarget(path: path, column: column.name, reason: "it holds text labels, which cannot be regressed")
            }
            task = requested ?? (codesSeen.count == 2 ? .binaryClassification : .multiclassClassification)
        case .numeric(let values):
            // The distinct present values, counted up to a bound (classes need no more).
            var seen = Set<Float>()
            var anyPresent = false
            var integral = true
            for (row, value) in values.enumerated() where !value.isNaN {
                if value.isInfinite {
                    throw DataError.invalidTarget(path: path, column: column.name, reason: "row \(row + 1) has an infinite value")
                }
                anyPresent = true
                if integral && value != value.rounded() { integral = false }
                if seen.count <= maximumNumericClasses + 2 { seen.insert(value) }
            }
            guard anyPresent else { throw noLabels(column, path) }
            if let requested {
                task = requested
            } else if column.type == .boolean || (integral && seen.count <= maximumNumericClasses) {
                task = seen.count == 2 ? .binaryClassification : .multiclassClassification
            } else {
                task = .regression
            }
        }
        if task.isClassification {
            // Distinct spellings (a numeric column's values print as their text; at most a
            // few more than `maximumNumericClasses` are needed to judge).
            var classes = Set<String>()
            for row in 0..<column.count where !column.isMissing(row) {
                classes.insert(column.text(at: row))
                if classes.count > 2 && task == .binaryClassification { break }
            }
            if classes.count < 2 {
                throw DataError.invalidTarget(path: path, column: column.name,
                                              reason: "it has a single class (\"\(classes.first ?? "")\"); classification needs at least two")
            }
            if task == .binaryClassification && classes.count > 2 {
                throw DataError.invalidTarget(path: path, column: column.name, reason: "binary classification was asked but it has \(classes.count) classes")
            }
        }
        return task
    }

    private static func noLabels(_ column: Column, _ path: String) -> DataError {
        DataError.invalidTarget(path: path, column: column.name, reason: "every value is missing, so no row is labeled")
    }
}

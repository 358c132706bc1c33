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
    public static func infer(for column: Column, path: String, requested: TaskType? = nil) throws -> TaskType {
        let present = (0..<column.count).filter { !column.isMissing($0) }
        guard !present.isEmpty else {
            throw DataError.invalidTarget(path: path, column: column.name, reason: "every value is missing, so no row is labeled")
        }
        let task: TaskType
        switch column.storage {
        case .datetime:
            throw DataError.invalidTarget(path: path, column: column.name, reason: "it holds dates; pick a label column, or use the series commands")
        case .categorical(let codes, _):
            let classes = Set(present.map { codes[$0] }).count
            if requested == .regression {
                throw DataError.invalidTarget(path: path, column: column.name, reason: "it holds text labels, which cannot be regressed")
            }
            task = requested ?? (classes == 2 ? .binaryClassification : .multiclassClassification)
        case .numeric(let values):
            if let bad = present.first(where: { values[$0].isInfinite }) {
                throw DataError.invalidTarget(path: path, column: column.name, reason: "row \(bad + 1) has an infinite value")
            }
            let distinct = Set(present.map { values[$0] })
            let integral = distinct.allSatisfy { $0 == $0.rounded() }
            if let requested {
                task = requested
            } else if column.type == .boolean || (integral && distinct.count <= maximumNumericClasses) {
                task = distinct.count == 2 ? .binaryClassification : .multiclassClassification
            } else {
                task = .regression
            }
        }
        if task.isClassification {
            let classes = Set(present.map { column.text(at: $0) })
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
}

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
    /// `maximumNumericClasses`, or the categories' codes) and at most three spellings:
    /// nothing is kept per row, however many rows the target has (`Inference` takes the
    /// column in pieces).
    public static func infer(for column: Column, path: String, requested: TaskType? = nil) throws -> TaskType {
        var inference = Inference(path: path)
        try inference.add(column)
        return try inference.task(requested: requested)
    }

    /// `infer(for:path:requested:)` over a column given in pieces, in row order (e.g.
    /// slices of a columnar cache's rows, which share one vocabulary): the same task from
    /// the same values, holding only the bounded sets.
    public struct Inference {
        public let path: String
        private enum Kind { case numeric, categorical, datetime }
        /// The first piece's name, type and kind (its values are not kept).
        private var first: (name: String, type: ColumnType, kind: Kind)?
        private var rowsBefore = 0
        private var anyPresent = false
        private var codesSeen = Set<Int32>()
        /// The distinct present values, counted up to a bound (classes need no more).
        private var valuesSeen = Set<Float>()
        private var integral = true
        /// Distinct spellings of present values, up to three (enough to tell one, two, more).
        private var spellings = Set<String>()

        public init(path: String) { self.path = path }

        public mutating func add(_ piece: Column) throws {
            switch piece.storage {
            case .datetime(let values):
                if first == nil { first = (piece.name, piece.type, .datetime) }
                if !anyPresent { anyPresent = values.contains { !$0.isNaN } }
            case .categorical(let codes, _):
                if first == nil { first = (piece.name, piece.type, .categorical) }
                for code in codes where code >= 0 { codesSeen.insert(code) }
                for row in 0..<piece.count where spellings.count < 3 && codes[row] >= 0 { spellings.insert(piece.text(at: row)) }
            case .numeric(let values):
                if first == nil { first = (piece.name, piece.type, .numeric) }
                for (row, value) in values.enumerated() where !value.isNaN {
                    if value.isInfinite {
                        throw DataError.invalidTarget(path: path, column: piece.name, reason: "row \(rowsBefore + row + 1) has an infinite value")
                    }
                    anyPresent = true
                    if integral && value != value.rounded() { integral = false }
                    if valuesSeen.count <= maximumNumericClasses + 2 { valuesSeen.insert(value) }
                    if spellings.count < 3 { spellings.insert(piece.text(at: row)) }
                }
            }
            rowsBefore += piece.count
        }

        /// The task of the pieces added so far.
        public func task(requested: TaskType?) throws -> TaskType {
            guard let column = first else { throw noLabels("", path) }
            let task: TaskType
            switch column.kind {
            case .datetime:
                if !anyPresent { throw noLabels(column.name, path) }
                throw DataError.invalidTarget(path: path, column: column.name, reason: "it holds dates; pick a label column, or use the series commands")
            case .categorical:
                guard !codesSeen.isEmpty else { throw noLabels(column.name, path) }
                if requested == .regression {
                    throw DataError.invalidTarget(path: path, column: column.name, reason: "it holds text labels, which cannot be regressed")
                }
                task = requested ?? (codesSeen.count == 2 ? .binaryClassification : .multiclassClassification)
            case .numeric:
                guard anyPresent else { throw noLabels(column.name, path) }
                if let requested {
                    task = requested
                } else if column.type == .boolean || (integral && valuesSeen.count <= maximumNumericClasses) {
                    task = valuesSeen.count == 2 ? .binaryClassification : .multiclassClassification
                } else {
                    task = .regression
                }
            }
            if task.isClassification {
                if spellings.count < 2 {
                    throw DataError.invalidTarget(path: path, column: column.name,
                                                  reason: "it has a single class (\"\(spellings.first ?? "")\"); classification needs at least two")
                }
                if task == .binaryClassification && spellings.count > 2 {
                    throw DataError.invalidTarget(path: path, column: column.name, reason: "binary classification was asked but it has more than 2 classes")
                }
            }
            return task
        }
    }

    private static func noLabels(_ column: String, _ path: String) -> DataError {
        DataError.invalidTarget(path: path, column: column, reason: "every value is missing, so no row is labeled")
    }
}

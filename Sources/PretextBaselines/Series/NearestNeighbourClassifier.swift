import PretextData
import PretextNN

/// 1-nearest-neighbour with Euclidean distance on the raw series values — the classic
/// time-series-classification baseline (UCR archive's reference numbers use it). Steps
/// missing in either series are left out of the distance, which is rescaled to the full
/// length. Probabilities are one-hot on the neighbour's class.
public final class NearestNeighbourClassifier: TabularPredictor {
    public private(set) var valueColumns: [String] = []
    public private(set) var target: TargetEncoder?
    private var references: [[Float]] = []
    private var referenceClasses: [Int32] = []
    public var idColumns: [String] = []

    public init() {}

    public var requiredColumns: [String] { valueColumns }
    public var targetColumn: String? { target?.column }

    /// Keeps the labeled `rows` (default: all labeled rows) as references.
    @discardableResult
    public func fit(_ table: Table, valueColumns: [String] = [], rows: [Int]? = nil) throws -> NearestNeighbourClassifier {
        let (labeled, columns) = try wideClassificationRows(table, valueColumns: valueColumns, rows: rows, method: "1-NN")
        self.valueColumns = columns
        target = labeled.target
        references = try Self.rows(table, columns: self.valueColumns, rows: labeled.train)
        referenceClasses = try labeled.target.classIndices(table, rows: labeled.train)
        return self
    }

    public func predictions(_ table: Table) throws -> (predictions: Predictions, report: FittedPreprocessor.TransformReport) {
        guard let target else { throw TrainingError.notFitted("NearestNeighbourClassifier") }
        let queries = try Self.rows(table, columns: valueColumns, rows: Array(0..<table.rowCount))
        var probabilities = Matrix(rows: queries.count, columns: target.classNames.count)
        for (row, query) in queries.enumerated() {
            var best = Double.infinity, bestClass: Int32 = 0
            for (reference, label) in zip(references, referenceClasses) {
                var sum = 0.0, used = 0
                for (a, b) in zip(query, reference) where !a.isNaN && !b.isNaN {
                    sum += Double(a - b) * Double(a - b)
                    used += 1
                }
                let distance = used == 0 ? .infinity : sum * Double(query.count) / Double(used)
                if distance < best { (best, bestClass) = (distance, label) }   // ties: the first reference
            }
            probabilities[row, Int(bestClass)] = 1
        }
        return (Predictions(classNames: target.classNames, task: target.task, probabilities: probabilities), FittedPreprocessor.TransformReport())
    }

    static func rows(_ table: Table, columns: [String], rows: [Int]) throws -> [[Float]] {
        let missing = columns.filter { table[$0]?.floatValues == nil }
        guard missing.isEmpty else { throw DataError.schemaMismatch(missing: missing, reason: "1-NN needs the same numeric time-step columns.") }
        let values = columns.map { table[$0]!.floatValues! }
        return rows.map { row in values.map { $0[row] } }
    }
}

/// The labeled rows (all of them train: no hold-out) and time-step columns of a wide
/// series-classification table, for the classifiers that read raw values (1-NN,
/// MiniRocket). A continuous target is refused, naming `method`.
func wideClassificationRows(_ table: Table, valueColumns: [String], rows: [Int]?, method: String) throws -> (LabeledRows, [String]) {
    guard let targetColumn = table.target else { throw TrainingError.notEnoughData(reason: "the table has no target column") }
    let labeled = try LabeledRows(table, rows: rows, validationRows: [], validationFraction: 0, minimumValidationRows: 1, seed: 0)
    guard labeled.task.isClassification else {
        throw DataError.invalidTarget(path: table.source, column: targetColumn.name, reason: "\(method) classifies; this column looks continuous")
    }
    let columns = SeriesReader(layout: .wide, valueColumns: valueColumns, labelColumn: targetColumn.name).valueColumnNames(in: table)
    return (labeled, columns)
}

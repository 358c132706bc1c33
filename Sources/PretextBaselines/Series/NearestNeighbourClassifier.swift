import PretextData
import PretextNN

/// 1-nearest-neighbour with Euclidean distance on the raw series values — the classic
/// time-series-classification baseline (UCR archive's reference numbers use it). Each
/// series is its steps × channels in time order (long layout: padded with missing steps
/// at the end to the longest training series; longer query series keep their first
/// steps). Steps missing in either series are left out of the distance, which is
/// rescaled to the full length. Probabilities are one-hot on the neighbour's class.
public final class NearestNeighbourClassifier: TabularPredictor {
    public private(set) var columns = SeriesColumns()
    public private(set) var target: TargetEncoder?
    /// Steps × channels of every reference (wide: the number of value columns).
    private var width = 0
    private var references: [[Float]] = []
    private var referenceClasses: [Int32] = []
    public var idColumns: [String] = []

    public init() {}

    public var valueColumns: [String] { columns.valueColumns }
    public var requiredColumns: [String] { columns.requiredColumns }
    public var targetColumn: String? { target?.column }

    /// Keeps the labeled `rows` (default: all labeled rows) of a wide table as references.
    @discardableResult
    public func fit(_ table: Table, valueColumns: [String] = [], rows: [Int]? = nil) throws -> NearestNeighbourClassifier {
        try fit(table, columns: .wide(valueColumns), rows: rows)
    }

    /// Keeps the labeled series at `rows` (positions in `columns.read(table).rows`;
    /// default: every labeled series) as references.
    @discardableResult
    public func fit(_ table: Table, columns: SeriesColumns, rows: [Int]? = nil) throws -> NearestNeighbourClassifier {
        let data = try LabeledSeries(table, columns: columns, rows: rows, method: "1-NN")
        self.columns = data.columns
        target = data.labeled.target
        width = data.columns.isLong ? (data.collection.series.map(\.length).max() ?? 0) * data.collection.channels : data.columns.valueColumns.count
        references = try vectors(table, collection: data.collection, rows: data.labeled.train)
        referenceClasses = try data.trainClasses()
        if let id = self.columns.seriesID, !idColumns.contains(id) { idColumns.insert(id, at: 0) }
        return self
    }

    public var readsSeries: Bool { true }

    public func predictionRows(_ table: Table) throws -> Table {
        try columns.rows(in: table)
    }

    public func predictions(_ table: Table) throws -> (predictions: Predictions, report: FittedPreprocessor.TransformReport) {
        guard let target else { throw TrainingError.notFitted("NearestNeighbourClassifier") }
        let collection = try columns.read(table, labelColumn: nil).series
        let queries = try vectors(table, collection: collection, rows: Array(0..<collection.count))
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

    /// Each series at `rows` as `width` values: a wide row's values in column order, or a
    /// long series' steps × channels (time-major), NaN-padded or cut to `width`.
    private func vectors(_ table: Table, collection: SeriesCollection, rows: [Int]) throws -> [[Float]] {
        guard columns.isLong else { return try Self.rows(table, columns: columns.valueColumns, rows: rows) }
        let channels = collection.channels
        guard channels == columns.valueColumns.count else {
            throw SeriesError.channelMismatch(expected: columns.valueColumns, found: collection.channelNames)
        }
        return rows.map { index in
            var vector = collection.series[index].values.prefix(width).map { $0 }
            if vector.count < width { vector += [Float](repeating: .nan, count: width - vector.count) }
            return vector
        }
    }

    static func rows(_ table: Table, columns: [String], rows: [Int]) throws -> [[Float]] {
        let missing = columns.filter { table[$0]?.floatValues == nil }
        guard missing.isEmpty else { throw DataError.schemaMismatch(missing: missing, reason: "1-NN needs the same numeric time-step columns.") }
        let values = columns.map { table[$0]!.floatValues! }
        return rows.map { row in values.map { $0[row] } }
    }
}

/// What a classifier that reads raw series values (1-NN, MiniRocket) fits on: the
/// columns with their defaults resolved, the series, one row per series, and its labeled
/// rows (all of them train: no hold-out). A table without a target, or with a continuous
/// one, is refused, naming `method`.
struct LabeledSeries {
    var columns: SeriesColumns
    var collection: SeriesCollection
    /// One row per series, aligned with `collection`.
    var rows: Table
    var labeled: LabeledRows

    init(_ table: Table, columns: SeriesColumns, rows: [Int]?, method: String) throws {
        guard let targetColumn = table.target else { throw TrainingError.notEnoughData(reason: "the table has no target column") }
        self.columns = columns.resolved(in: table, labelColumn: targetColumn.name)
        (collection, self.rows) = try self.columns.read(table, labelColumn: targetColumn.name)
        labeled = try LabeledRows(self.rows, rows: rows, validationRows: [], validationFraction: 0, minimumValidationRows: 1, seed: 0)
        guard labeled.task.isClassification else {
            throw DataError.invalidTarget(path: table.source, column: targetColumn.name, reason: "\(method) classifies; this column looks continuous")
        }
    }

    /// The class index of every training series.
    func trainClasses() throws -> [Int32] { try labeled.target.classIndices(rows, rows: labeled.train) }
}

import PretextData

/// What a model predicts for the rows of a table.
public struct Predictions: Sendable, Equatable {
    public var task: TaskType
    /// Classification: class names, in probability-column order.
    public var classNames: [String]
    /// Classification: the most probable class per row.
    public var labels: [String]
    /// Classification: (rows, classes) probabilities.
    public var probabilities: Matrix?
    /// Regression: predictions in the target's units.
    public var values: [Double]

    public var count: Int { task.isClassification ? labels.count : values.count }

    /// Classification predictions from class probabilities.
    public init(classNames: [String], task: TaskType, probabilities: Matrix) {
        self.task = task
        self.classNames = classNames
        self.probabilities = probabilities
        values = []
        labels = (0..<probabilities.rows).map { row in
            var best = 0
            for column in 1..<probabilities.columns where probabilities[row, column] > probabilities[row, best] { best = column }
            return classNames[best]
        }
    }

    public init(regression values: [Double]) {
        task = .regression
        classNames = []
        labels = []
        probabilities = nil
        self.values = values
    }

    /// A CSV with the id columns of `table` (if present), `prediction`, and for
    /// classification one `probability_<class>` column per class.
    public func csv(passingThrough idColumns: [String], from table: Table) -> CSVWriter {
        let ids = idColumns.compactMap { table[$0] }
        var header = ids.map(\.name) + ["prediction"]
        if task.isClassification { header += classNames.map { "probability_\($0)" } }
        var writer = CSVWriter(header: header)
        for row in 0..<count {
            var fields = ids.map { $0.text(at: row) }
            if task.isClassification {
                fields.append(labels[row])
                fields += (0..<classNames.count).map { CSVWriter.format(probabilities![row, $0]) }
            } else {
                fields.append(CSVWriter.format(values[row]))
            }
            writer.appendRow(fields)
        }
        return writer
    }
}

/// Anything that turns a table into predictions (fitted models of every kind).
public protocol TabularPredictor: AnyObject {
    /// The source columns the model needs.
    var requiredColumns: [String] { get }
    /// Columns passed through to prediction files.
    var idColumns: [String] { get }
    /// The label column the model was trained on (not needed to predict).
    var targetColumn: String? { get }
    func predictions(_ table: Table) throws -> (predictions: Predictions, report: FittedPreprocessor.TransformReport)
    /// The rows `predictions(table)` answers, in order: the table itself for row models;
    /// one row per series (its first) for a model that reads long-layout series.
    func predictionRows(_ table: Table) throws -> Table
    /// Whether the model reads long-layout series (several rows per prediction), so a
    /// table cannot be predicted in independent chunks of rows.
    var readsSeries: Bool { get }
}

extension TabularPredictor {
    public func predictionRows(_ table: Table) throws -> Table { table }
    public var readsSeries: Bool { false }
}

extension FittedSupervisedModel {
    func predictions(_ table: Table) throws -> (Predictions, FittedPreprocessor.TransformReport) {
        let (features, report) = try preprocessor.transform(table)
        let outputs = network.predict(Matrix(rows: features.rows, columns: features.columns, values: features.values))
        if target.task.isClassification {
            return (Predictions(classNames: target.classNames, task: target.task, probabilities: SoftmaxCrossEntropy.probabilities(outputs)), report)
        }
        return (Predictions(regression: outputs.values.map { target.original($0) }), report)
    }
}

extension MLPClassifier: TabularPredictor {
    public var requiredColumns: [String] { fitted?.preprocessor.requiredColumns ?? [] }
    public var idColumns: [String] { [] }
    public var targetColumn: String? { fitted?.target.column }
    public func predictions(_ table: Table) throws -> (predictions: Predictions, report: FittedPreprocessor.TransformReport) {
        guard let fitted else { throw TrainingError.notFitted("MLPClassifier") }
        return try fitted.predictions(table)
    }
}

extension MLPRegressor: TabularPredictor {
    public var requiredColumns: [String] { fitted?.preprocessor.requiredColumns ?? [] }
    public var idColumns: [String] { [] }
    public var targetColumn: String? { fitted?.target.column }
    public func predictions(_ table: Table) throws -> (predictions: Predictions, report: FittedPreprocessor.TransformReport) {
        guard let fitted else { throw TrainingError.notFitted("MLPRegressor") }
        return try fitted.predictions(table)
    }
}

import PretextData
import PretextNN

/// MiniRocket features and a ridge classifier with leave-one-out-chosen regularisation:
/// the reference MiniRocket classification pipeline (Dempster et al. 2021; sktime's
/// `MiniRocketClassifier`), on wide tables (one series per row, time steps as columns).
///
/// Missing steps are filled from the nearest observed step before them (after them at the
/// start), since the kernels need every value. There are no class probabilities: like
/// 1-NN, predictions are one-hot on the ridge's class.
public final class MiniRocketClassifier: TabularPredictor {
    public static let kind = "minirocket-classifier"

    public var config: MiniRocketConfig
    public private(set) var valueColumns: [String] = []
    public private(set) var target: TargetEncoder?
    public private(set) var transform: MiniRocket?
    public private(set) var ridge: RidgeClassifierCV?
    public var idColumns: [String] = []

    public init(config: MiniRocketConfig = MiniRocketConfig()) {
        self.config = config
    }

    public var requiredColumns: [String] { valueColumns }
    public var targetColumn: String? { target?.column }

    /// Fits on the labeled `rows` (default: every labeled row).
    @discardableResult
    public func fit(_ table: Table, valueColumns: [String] = [], rows: [Int]? = nil) throws -> MiniRocketClassifier {
        let (labeled, columns) = try wideClassificationRows(table, valueColumns: valueColumns, rows: rows, method: "MiniRocket")
        self.valueColumns = columns
        let series = try Self.series(table, columns: self.valueColumns, rows: labeled.train)
        let transform = try MiniRocket.fit(series, length: self.valueColumns.count, config: config)
        let features = transform.transform(series)
        ridge = try RidgeClassifierCV.fit(x: features, rows: series.count, features: transform.featureCount,
                                          labels: try labeled.target.classIndices(table, rows: labeled.train), classNames: labeled.target.classNames)
        self.transform = transform
        target = labeled.target
        return self
    }

    public func predictions(_ table: Table) throws -> (predictions: Predictions, report: FittedPreprocessor.TransformReport) {
        guard let target, let transform, let ridge else { throw TrainingError.notFitted("MiniRocketClassifier") }
        let series = try Self.series(table, columns: valueColumns, rows: Array(0..<table.rowCount))
        let classes = ridge.predict(transform.transform(series), rows: series.count)
        var probabilities = Matrix(rows: series.count, columns: target.classNames.count)
        for (row, label) in classes.enumerated() { probabilities[row, Int(label)] = 1 }
        return (Predictions(classNames: target.classNames, task: target.task, probabilities: probabilities), FittedPreprocessor.TransformReport())
    }

    /// Each row's values in column order, gaps filled from the nearest earlier step (the
    /// first observed value before it); a row with no value at all is an error.
    static func series(_ table: Table, columns: [String], rows: [Int]) throws -> [[Float]] {
        let missing = columns.filter { table[$0]?.floatValues == nil }
        guard missing.isEmpty else {
            throw DataError.schemaMismatch(missing: missing, reason: "MiniRocket needs the same numeric time-step columns.")
        }
        let values = columns.map { table[$0]!.floatValues! }
        return try rows.map { row in
            var series = values.map { $0[row] }
            guard let first = series.firstIndex(where: { !$0.isNaN }) else {
                throw DataError.invalidOption(name: "series", value: "row \(row + 1)", reason: "every time step is missing")
            }
            var last = series[first]
            for t in series.indices { if series[t].isNaN { series[t] = last } else { last = series[t] } }
            return series
        }
    }

    struct Description: Codable {
        var config: MiniRocketConfig
        var valueColumns: [String]
        var target: TargetEncoder
        var length: Int
        var dilations: [Int]
        var featuresPerDilation: [Int]
        var classNames: [String]
        var alpha: Double
        var leaveOneOutError: Double
        var outputs: Int
        var idColumns: [String]

        private enum CodingKeys: String, CodingKey {
            case config, target, length, dilations, alpha, outputs
            case valueColumns = "value_columns"
            case featuresPerDilation = "features_per_dilation"
            case classNames = "class_names"
            case leaveOneOutError = "leave_one_out_error"
            case idColumns = "id_columns"
        }
    }

    public func save(to path: String) throws {
        guard let target, let transform, let ridge else { throw TrainingError.notFitted("MiniRocketClassifier") }
        let description = Description(config: config, valueColumns: valueColumns, target: target, length: transform.length,
                                      dilations: transform.dilations, featuresPerDilation: transform.featuresPerDilation,
                                      classNames: ridge.classNames, alpha: ridge.alpha, leaveOneOutError: ridge.leaveOneOutError,
                                      outputs: ridge.outputs, idColumns: idColumns)
        let tensors = [
            SafeTensors.Tensor(name: "minirocket.biases", shape: [transform.featureCount], values: transform.biases),
            SafeTensors.Tensor(name: "ridge.scale", shape: [ridge.features], values: ridge.scale),
            SafeTensors.Tensor(name: "ridge.coefficients", shape: [ridge.outputs, ridge.features], values: ridge.coefficients),
            SafeTensors.Tensor(name: "ridge.intercepts", shape: [ridge.outputs], values: ridge.intercepts),
        ]
        try ModelFile.write(networks: [], tensors: tensors, description: description, kind: Self.kind, to: path)
    }

    public static func load(from path: String) throws -> MiniRocketClassifier {
        let (_, description, file) = try ModelFile.read(from: path, kinds: [kind], as: Description.self)
        func tensor(_ name: String, count: Int) throws -> [Float] {
            guard let tensor = file[name], tensor.values.count == count else {
                throw ModelFileError.corrupt(path: path, reason: "tensor \(name) is missing or has the wrong size")
            }
            return tensor.values
        }
        let features = description.featuresPerDilation.reduce(0, +) * MiniRocket.kernels.count
        guard description.dilations.count == description.featuresPerDilation.count, description.outputs >= 1,
              description.length == description.valueColumns.count else {
            throw ModelFileError.corrupt(path: path, reason: "inconsistent MiniRocket description")
        }
        let model = MiniRocketClassifier(config: description.config)
        model.valueColumns = description.valueColumns
        model.target = description.target
        model.idColumns = description.idColumns
        model.transform = MiniRocket(length: description.length, dilations: description.dilations,
                                     featuresPerDilation: description.featuresPerDilation, biases: try tensor("minirocket.biases", count: features))
        model.ridge = RidgeClassifierCV(classNames: description.classNames, scale: try tensor("ridge.scale", count: features),
                                        coefficients: try tensor("ridge.coefficients", count: description.outputs * features),
                                        intercepts: try tensor("ridge.intercepts", count: description.outputs),
                                        alpha: description.alpha, leaveOneOutError: description.leaveOneOutError)
        return model
    }
}

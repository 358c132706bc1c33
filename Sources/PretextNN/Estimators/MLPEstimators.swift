import PretextData

/// A multilayer-perceptron classifier trained from scratch: the "no pretraining"
/// baseline. Estimator-shaped: `fit`, then `predict` / `predictProbabilities`.
///
/// ```swift
/// var (table, _) = try CSVReader().read("datasets/wine.csv")
/// try table.setRole(.target, for: "target")
/// let model = try MLPClassifier().fit(table)
/// let labels = try model.predict(table)
/// ```
public final class MLPClassifier {
    public let config: SupervisedConfig
    public var progress: ProgressReporter?
    public private(set) var fitted: FittedSupervisedModel?

    func restore(_ model: FittedSupervisedModel) { fitted = model }

    public init(config: SupervisedConfig = SupervisedConfig(), progress: ProgressReporter? = nil) {
        self.config = config
        self.progress = progress
    }

    /// Fits on `rows` (default: every labeled row); early-stops on `validationRows`
    /// (default: a stratified `validationFraction` of `rows`); fits the preprocessing on
    /// `preprocessingRows`' features (default: the training rows; unlabeled rows may be
    /// among them, their labels are never read). Refitting starts fresh.
    @discardableResult
    public func fit(_ table: Table, rows: [Int]? = nil, validationRows: [Int]? = nil, preprocessingRows: [Int]? = nil) throws -> MLPClassifier {
        fitted = nil
        let model = try SupervisedTrainer.fit(table, rows: rows, validationRows: validationRows, preprocessingRows: preprocessingRows, config: config,
                                              requestedTask: nil, progress: progress)
        guard model.target.task.isClassification else {
            throw DataError.invalidTarget(path: table.source, column: model.target.column, reason: "it is continuous; use MLPRegressor")
        }
        fitted = model
        return self
    }

    public var classNames: [String] { fitted?.target.classNames ?? [] }

    /// Class probabilities (rows, classes), columns in `classNames` order.
    public func predictProbabilities(_ table: Table) throws -> Matrix {
        guard let fitted else { throw TrainingError.notFitted("MLPClassifier") }
        return SoftmaxCrossEntropy.probabilities(try fitted.outputs(table))
    }

    /// The most probable class name of every row.
    public func predict(_ table: Table) throws -> [String] {
        let probabilities = try predictProbabilities(table)
        return (0..<probabilities.rows).map { row in
            var best = 0
            for column in 1..<probabilities.columns where probabilities[row, column] > probabilities[row, best] { best = column }
            return classNames[best]
        }
    }
}

/// A multilayer-perceptron regressor trained from scratch on standardised targets;
/// predictions come back in the target's units.
public final class MLPRegressor {
    public let config: SupervisedConfig
    public var progress: ProgressReporter?
    public private(set) var fitted: FittedSupervisedModel?

    func restore(_ model: FittedSupervisedModel) { fitted = model }

    public init(config: SupervisedConfig = SupervisedConfig(), progress: ProgressReporter? = nil) {
        self.config = config
        self.progress = progress
    }

    /// As `MLPClassifier.fit`, for a continuous target.
    @discardableResult
    public func fit(_ table: Table, rows: [Int]? = nil, validationRows: [Int]? = nil, preprocessingRows: [Int]? = nil) throws -> MLPRegressor {
        fitted = nil
        fitted = try SupervisedTrainer.fit(table, rows: rows, validationRows: validationRows, preprocessingRows: preprocessingRows, config: config,
                                           requestedTask: .regression, progress: progress)
        return self
    }

    public func predict(_ table: Table) throws -> [Double] {
        guard let fitted else { throw TrainingError.notFitted("MLPRegressor") }
        let outputs = try fitted.outputs(table)
        return outputs.values.map { fitted.target.original($0) }
    }
}

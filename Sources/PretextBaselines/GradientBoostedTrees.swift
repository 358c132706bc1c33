import Foundation
import PretextData
import PretextNN

/// The gradient-boosted-tree baseline (XGBoost): binary (logistic), multiclass
/// (softprob) and regression (squared error). Categorical columns are one-hot encoded
/// (with an unknown bucket) by Pretext's preprocessing; missing numbers are passed to
/// XGBoost as missing (NaN), which learns a default direction per split.
public final class GradientBoostedTrees: TabularPredictor {
    public static let kind = "xgboost-model"

    public let config: GradientBoostedTreesConfig
    public private(set) var preprocessor: FittedPreprocessor?
    public private(set) var target: TargetEncoder?
    public private(set) var parameters = TreeParameters()
    /// Rounds kept (the best validation round, or all without validation).
    public private(set) var rounds = 0
    /// The validation score of the chosen trial (lower is better), if validated.
    public private(set) var validationScore: Double?
    public var idColumns: [String] = []
    private var booster: XGBoostBooster?

    public init(config: GradientBoostedTreesConfig = GradientBoostedTreesConfig()) {
        self.config = config
    }

    public var requiredColumns: [String] { preprocessor?.requiredColumns ?? [] }
    public var targetColumn: String? { target?.column }

    /// Preprocessing for trees: no imputation (NaN stays missing), no indicators, no
    /// rescaling beyond standardisation (trees are invariant to it).
    static var treePreprocessing: PreprocessingConfig {
        var config = PreprocessingConfig()
        config.missingIndicators = false
        config.imputeMissing = false
        return config
    }

    /// Fits on `rows` (default: all labeled rows), tuning on `validationRows` (default:
    /// a stratified hold-out of `rows` when it has at least `minimumValidationRows`).
    @discardableResult
    public func fit(_ table: Table, rows: [Int]? = nil, validationRows: [Int]? = nil) throws -> GradientBoostedTrees {
        try fit(table, rows: rows, validationRows: validationRows, task: nil)
    }

    /// As `fit(_:rows:validationRows:)`, with the task given instead of inferred from
    /// the target (e.g. `.regression` for a target with few distinct values).
    @discardableResult
    public func fit(_ table: Table, rows: [Int]?, validationRows: [Int]?, task requestedTask: TaskType?) throws -> GradientBoostedTrees {
        try config.validate()
        let labeledRows = try LabeledRows(table, rows: rows, validationRows: validationRows, validationFraction: config.validationFraction,
                                          minimumValidationRows: config.minimumValidationRows, seed: config.seed, requestedTask: requestedTask)
        let (task, target, trainRows, validation) = (labeledRows.task, labeledRows.target, labeledRows.train, labeledRows.validation)
        let preprocessor = try Preprocessor(config: Self.treePreprocessing).fit(table, rows: trainRows)
        let (features, _) = try preprocessor.transform(table)
        func labels(_ rows: [Int]) throws -> [Float] {
            task.isClassification ? try target.classIndices(table, rows: rows).map(Float.init) : try target.standardized(table, rows: rows)
        }
        let train = try XGBoostBooster.DataMatrix(features.gathering(trainRows), rows: trainRows.count, columns: features.columns,
                                                  labels: try labels(trainRows))
        let check = validation.isEmpty ? nil
            : try XGBoostBooster.DataMatrix(features.gathering(validation), rows: validation.count, columns: features.columns,
                                            labels: try labels(validation))

        var candidates = [TreeParameters()]
        var generator = SeededGenerator(seed: config.seed, stream: "xgboost-search")
        if check != nil { for _ in 0..<config.trials { candidates.append(.random(&generator)) } }
        var best: (booster: XGBoostBooster, parameters: TreeParameters, rounds: Int, score: Double?)? = nil
        for (index, candidate) in candidates.enumerated() {
            let booster = try XGBoostBooster(parameters: Self.xgboostParameters(candidate, task: task, classes: target.classNames.count,
                                                                                seed: config.seed &+ UInt64(index), threads: config.threads),
                                             cache: [train] + (check.map { [$0] } ?? []))
            guard let check else {
                for round in 0..<config.roundsWithoutValidation { try booster.updateOneIteration(round, train: train) }
                best = (booster, candidate, config.roundsWithoutValidation, nil)
                break
            }
            var bestRound = 0, bestScore = Double.infinity
            for round in 0..<config.maximumRounds {
                try booster.updateOneIteration(round, train: train)
                let score = try booster.evaluate(round, data: check)
                if score < bestScore {
                    bestScore = score
                    bestRound = round
                } else if round - bestRound >= config.patience {
                    break
                }
            }
            if best == nil || bestScore < best!.score! { best = (booster, candidate, bestRound + 1, bestScore) }
        }
        self.preprocessor = preprocessor
        self.target = target
        booster = best!.booster
        parameters = best!.parameters
        rounds = best!.rounds
        validationScore = best!.score
        return self
    }

    static func xgboostParameters(_ p: TreeParameters, task: TaskType, classes: Int, seed: UInt64, threads: Int?) -> [(String, String)] {
        var parameters: [(String, String)] = [
            ("tree_method", "hist"), ("max_depth", "\(p.maxDepth)"), ("eta", "\(p.learningRate)"),
            ("min_child_weight", "\(p.minChildWeight)"), ("subsample", "\(p.subsample)"), ("colsample_bytree", "\(p.columnSubsample)"),
            ("lambda", "\(p.l2)"), ("seed", "\(seed % UInt64(Int32.max))"), ("verbosity", "0"),
            ("nthread", "\(threads ?? ProcessorInfo.activeCores)"),
        ]
        switch task {
        case .binaryClassification: parameters += [("objective", "binary:logistic"), ("eval_metric", "logloss")]
        case .multiclassClassification: parameters += [("objective", "multi:softprob"), ("num_class", "\(classes)"), ("eval_metric", "mlogloss")]
        case .regression: parameters += [("objective", "reg:squarederror"), ("eval_metric", "rmse")]
        }
        return parameters
    }

    public func predictions(_ table: Table) throws -> (predictions: Predictions, report: FittedPreprocessor.TransformReport) {
        guard let preprocessor, let target, let booster else { throw TrainingError.notFitted("GradientBoostedTrees") }
        let (features, report) = try preprocessor.transform(table)
        let data = try XGBoostBooster.DataMatrix(features.values, rows: features.rows, columns: features.columns)
        let (values, outputs) = try booster.predict(data, iterations: rounds)
        switch target.task {
        case .regression:
            return (Predictions(regression: values.map { target.original($0) }), report)
        case .binaryClassification:
            let probabilities = Matrix(rows: features.rows, columns: 2, values: values.flatMap { [1 - $0, $0] })
            return (Predictions(classNames: target.classNames, task: target.task, probabilities: probabilities), report)
        case .multiclassClassification:
            return (Predictions(classNames: target.classNames, task: target.task,
                                probabilities: Matrix(rows: features.rows, columns: outputs, values: values)), report)
        }
    }

    // MARK: - Files

    struct Description: Codable {
        var config: GradientBoostedTreesConfig
        var preprocessor: FittedPreprocessor
        var target: TargetEncoder
        var parameters: TreeParameters
        var rounds: Int
        var validationScore: Double?
        var idColumns: [String]
        /// XGBoost's own JSON model.
        var xgboost: String
    }

    /// Writes XGBoost's JSON model with Pretext's schema and preprocessing, atomically,
    /// as a safetensors file without tensors (`pretext.kind` = `xgboost-model`).
    public func save(to path: String) throws {
        guard let preprocessor, let target, let booster else { throw TrainingError.notFitted("GradientBoostedTrees") }
        let description = Description(config: config, preprocessor: preprocessor, target: target, parameters: parameters, rounds: rounds,
                                      validationScore: validationScore, idColumns: idColumns,
                                      xgboost: String(decoding: try booster.json(), as: UTF8.self))
        try ModelFile.write(networks: [], description: description, kind: Self.kind, to: path)
    }

    public static func load(from path: String) throws -> GradientBoostedTrees {
        let (_, description, _) = try ModelFile.read(from: path, kinds: [kind], as: Description.self)
        let model = GradientBoostedTrees(config: description.config)
        model.preprocessor = description.preprocessor
        model.target = description.target
        model.parameters = description.parameters
        model.rounds = description.rounds
        model.validationScore = description.validationScore
        model.idColumns = description.idColumns
        do {
            model.booster = try XGBoostBooster(json: Array(description.xgboost.utf8),
                                               parameters: [("nthread", "\(description.config.threads ?? ProcessorInfo.activeCores)")])
        } catch let error as XGBoostError {
            throw ModelFileError.corrupt(path: path, reason: "XGBoost cannot read its model: \(error.message)")
        }
        return model
    }
}

extension FeatureMatrix {
    /// The given rows' values, row-major.
    func gathering(_ rows: [Int]) -> [Float] {
        var output = [Float]()
        output.reserveCapacity(rows.count * columns)
        for row in rows { output.append(contentsOf: values[(row * columns)..<((row + 1) * columns)]) }
        return output
    }
}

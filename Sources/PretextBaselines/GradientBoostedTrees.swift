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
    /// The validation score of the chosen trial (lower is better), if validated: on the
    /// hold-out, or pooled out-of-fold under cross-validation.
    public private(set) var validationScore: Double?
    /// How the hyperparameters and rounds were chosen.
    public private(set) var tuning: Tuning?
    /// How this model was chosen over other kinds, when it was (`AutoModel`).
    public var choice: ModelChoice?
    /// Classifiers validated by hold-out or cross-validation: the chosen setting's class
    /// probabilities on the hold-out rows, or on every fold's validation rows from one
    /// booster per fold trained for the chosen rounds. In memory only (`AutoModel`).
    public private(set) var outOfFold: OutOfFoldPredictions?
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

    /// Fits on `rows` (default: all labeled rows) and tunes on them (`Tuning`): on
    /// `validationRows` when given, else on a stratified hold-out of `rows` when it has at
    /// least `minimumValidationRows`, else by repeated stratified k-fold cross-validation
    /// on `rows` (then refit on all of them), else — a class with one row — XGBoost's
    /// defaults. The preprocessing is fitted on `preprocessingRows`' features (default:
    /// the training rows; unlabeled rows may be among them, no label is read).
    @discardableResult
    public func fit(_ table: Table, rows: [Int]? = nil, validationRows: [Int]? = nil, preprocessingRows: [Int]? = nil) throws -> GradientBoostedTrees {
        try fit(table, rows: rows, validationRows: validationRows, preprocessingRows: preprocessingRows, task: nil)
    }

    /// As `fit(_:rows:validationRows:preprocessingRows:)`, with the task given instead of
    /// inferred from the target (e.g. `.regression` for a target with few distinct values).
    @discardableResult
    public func fit(_ table: Table, rows: [Int]?, validationRows: [Int]?, preprocessingRows: [Int]? = nil,
                    task requestedTask: TaskType?) throws -> GradientBoostedTrees {
        try config.validate()
        outOfFold = nil
        let labeledRows = try LabeledRows(table, rows: rows, validationRows: validationRows, validationFraction: config.validationFraction,
                                          minimumValidationRows: config.minimumValidationRows, seed: config.seed, requestedTask: requestedTask)
        let (task, target, trainRows, validation) = (labeledRows.task, labeledRows.target, labeledRows.train, labeledRows.validation)
        let preprocessor = try Preprocessor(config: Self.treePreprocessing).fit(table, rows: preprocessingRows ?? trainRows)
        let (features, _) = try preprocessor.transform(table)
        let problem = Problem(features: features, task: task, classes: target.classNames.count, labels: { rows in
            task.isClassification ? try target.classIndices(table, rows: rows).map(Float.init) : try target.standardized(table, rows: rows)
        })
        let train = try problem.data(trainRows)

        var candidates = [config.fixedParameters ?? TreeParameters()]
        var generator = SeededGenerator(seed: config.seed, stream: "xgboost-search")
        if config.fixedParameters == nil { for _ in 0..<config.trials { candidates.append(.random(&generator)) } }
        let classes = task.isClassification ? try target.classIndices(table, rows: trainRows) : nil
        let chosen: (booster: XGBoostBooster, parameters: TreeParameters, rounds: Int, score: Double?, tuning: Tuning)
        let holdOut = !validation.isEmpty
        let folds = holdOut ? nil : StratifiedKFold(rows: trainRows, classes: classes, folds: config.crossValidationFolds,
                                                    repeats: config.crossValidationRepeats, seed: config.seed)
        if holdOut || folds != nil {
            // Every candidate early-stopped on the hold-out, or — one booster per fold, in
            // lockstep — on the pooled out-of-fold loss of cross-validation. Candidates run
            // concurrently, one XGBoost thread each (OpenMP's barriers on tiny matrices cost
            // more than they give, and stall when another process holds a core), on matrices
            // of their own (XGBoost caches its histogram index inside a matrix); ties go to
            // the earlier candidate, so the choice does not depend on the order they finish.
            let parts: [(train: [Int], validation: [Int])] = holdOut ? [(trainRows, validation)] : folds!.splits.map { ($0.train, $0.validation) }
            let results = try Self.concurrentMap(candidates.indices, workers: config.threads ?? ProcessorInfo.activeCores) { index in
                let boosters = try parts.map { part in
                    let (fit, check) = (try problem.data(part.train), try problem.data(part.validation))
                    return (try makeBooster(candidates[index], index: index, problem: problem, cache: [fit, check], threads: 1),
                            fit, check, part.validation.count)
                }
                let (rounds, score) = try boostWithEarlyStopping(boosters, regression: !task.isClassification)
                return (rounds: rounds, score: score, booster: holdOut ? boosters[0].0 : nil)
            }
            let index = results.indices.min { results[$0].score < results[$1].score || (results[$0].score == results[$1].score && $0 < $1) }!
            let booster: XGBoostBooster
            if holdOut {
                // Kept as trained on the training part (its best round is where prediction stops).
                booster = results[index].booster!
                try booster.setParameter("nthread", "\(config.threads ?? ProcessorInfo.activeCores)")
            } else {
                // Refit on every labeled row for the chosen number of rounds.
                booster = try makeBooster(candidates[index], index: index, problem: problem, cache: [train])
                for round in 0..<results[index].rounds { try booster.updateOneIteration(round, train: train) }
            }
            if task.isClassification {
                outOfFold = try outOfFoldPredictions(parts: parts, holdOutBooster: holdOut ? booster : nil, parameters: candidates[index],
                                                     index: index, rounds: results[index].rounds, problem: problem)
            }
            let tuning = holdOut ? Tuning(method: .holdOut, candidates: candidates.count, validationRows: validation.count)
                : Tuning(method: .crossValidation, candidates: candidates.count, folds: folds!.folds, repeats: folds!.repeats)
            chosen = (booster, candidates[index], results[index].rounds, results[index].score, tuning)
        } else {
            // Too few rows of some class to validate anything: XGBoost's defaults (or the
            // fixed parameters), fixed rounds.
            let booster = try makeBooster(candidates[0], index: 0, problem: problem, cache: [train])
            for round in 0..<config.roundsWithoutValidation { try booster.updateOneIteration(round, train: train) }
            chosen = (booster, candidates[0], config.roundsWithoutValidation, nil, Tuning(method: .defaults, candidates: 1))
        }
        self.preprocessor = preprocessor
        self.target = target
        booster = chosen.booster
        parameters = chosen.parameters
        rounds = chosen.rounds
        validationScore = chosen.score
        tuning = chosen.tuning
        return self
    }

    /// The chosen setting's probabilities on each part's validation rows, parts in order:
    /// the kept booster's on the hold-out, or a booster per fold trained for `rounds`
    /// rounds with the same seed as in the search (folds run concurrently).
    private func outOfFoldPredictions(parts: [(train: [Int], validation: [Int])], holdOutBooster: XGBoostBooster?, parameters: TreeParameters,
                                      index: Int, rounds: Int, problem: Problem) throws -> OutOfFoldPredictions {
        let predicted = try Self.concurrentMap(parts.indices, workers: config.threads ?? ProcessorInfo.activeCores) { part -> Matrix in
            let check = try problem.data(parts[part].validation)
            let booster: XGBoostBooster
            if let holdOutBooster {
                booster = holdOutBooster
            } else {
                let fit = try problem.data(parts[part].train)
                booster = try makeBooster(parameters, index: index, problem: problem, cache: [fit, check], threads: 1)
                for round in 0..<rounds { try booster.updateOneIteration(round, train: fit) }
            }
            let (values, outputs) = try booster.predict(check, iterations: rounds)
            return Self.probabilities(values, outputs: outputs, rows: parts[part].validation.count, task: problem.task)
        }
        let rows = parts.flatMap(\.validation)
        let labels = try problem.labels(rows).map { Int32($0) }
        return OutOfFoldPredictions(rows: rows, labels: labels,
                                    probabilities: Matrix(rows: rows.count, columns: predicted[0].columns, values: predicted.flatMap(\.values)))
    }

    /// XGBoost's classification outputs as a (rows, classes) probability matrix: binary
    /// models give P(class 1) per row, softprob a row-major matrix.
    static func probabilities(_ values: [Float], outputs: Int, rows: Int, task: TaskType) -> Matrix {
        task == .binaryClassification ? Matrix(rows: rows, columns: 2, values: values.flatMap { [1 - $0, $0] })
            : Matrix(rows: rows, columns: outputs, values: values)
    }

    /// The features and labels of one fit, turned into XGBoost's matrices on demand.
    private struct Problem {
        let features: FeatureMatrix
        let task: TaskType
        let classes: Int
        let labels: ([Int]) throws -> [Float]

        func data(_ rows: [Int]) throws -> XGBoostBooster.DataMatrix {
            try XGBoostBooster.DataMatrix(features.gathering(rows), rows: rows.count, columns: features.columns, labels: try labels(rows))
        }
    }

    private func makeBooster(_ candidate: TreeParameters, index: Int, problem: Problem,
                             cache: [XGBoostBooster.DataMatrix], threads: Int? = nil) throws -> XGBoostBooster {
        try XGBoostBooster(parameters: Self.xgboostParameters(candidate, task: problem.task, classes: problem.classes,
                                                             seed: config.seed &+ UInt64(index), threads: threads ?? config.threads),
                           cache: cache)
    }

    /// `body` of every index on up to `workers` threads; results in index order, or the
    /// first error (by index).
    private static func concurrentMap<Result>(_ indices: Range<Int>, workers: Int, _ body: (Int) throws -> Result) throws -> [Result] {
        let slots = ConcurrentSlots<Result>(indices)
        withoutActuallyEscaping(body) { body in
            let task = UncheckedTask(body)
            DispatchQueue.concurrentPerform(iterations: max(1, min(workers, indices.count))) { _ in
                while let index = slots.take() { slots.put(index, Swift.Result { try task.body(index) }) }
            }
        }
        return try slots.results()
    }

    /// Boosts every (booster, train, validation, rows) in lockstep, one round at a time,
    /// until the pooled validation loss has not improved for `patience` rounds or
    /// `maximumRounds` are done. Pooled: log loss averaged over every validation row
    /// (each part weighted by its rows); RMSE as √(Σ nᵢ·RMSEᵢ² / Σ nᵢ). Returns the best
    /// round count and its pooled loss.
    private func boostWithEarlyStopping(_ parts: [(XGBoostBooster, XGBoostBooster.DataMatrix, XGBoostBooster.DataMatrix, Int)],
                                        regression: Bool) throws -> (rounds: Int, score: Double) {
        let total = Double(parts.reduce(0) { $0 + $1.3 })
        var bestRound = 0, bestScore = Double.infinity
        for round in 0..<config.maximumRounds {
            var pooled = 0.0
            for (booster, train, check, count) in parts {
                try booster.updateOneIteration(round, train: train)
                let score = try booster.evaluate(round, data: check)
                pooled += Double(count) * (regression ? score * score : score)
            }
            pooled /= total
            if regression { pooled = pooled.squareRoot() }
            if pooled < bestScore {
                bestScore = pooled
                bestRound = round
            } else if round - bestRound >= config.patience {
                break
            }
        }
        return (bestRound + 1, bestScore)
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
        case .binaryClassification, .multiclassClassification:
            return (Predictions(classNames: target.classNames, task: target.task,
                                probabilities: Self.probabilities(values, outputs: outputs, rows: features.rows, task: target.task)), report)
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
        var tuning: Tuning?
        var choice: ModelChoice?
        var idColumns: [String]
        /// XGBoost's own JSON model.
        var xgboost: String
    }

    /// Writes XGBoost's JSON model with Pretext's schema and preprocessing, atomically,
    /// as a safetensors file without tensors (`pretext.kind` = `xgboost-model`).
    public func save(to path: String) throws { try modelFile().write(to: path) }

    /// The file `save` writes, in memory.
    public func modelFile() throws -> SafeTensors {
        guard let preprocessor, let target, let booster else { throw TrainingError.notFitted("GradientBoostedTrees") }
        let description = Description(config: config, preprocessor: preprocessor, target: target, parameters: parameters, rounds: rounds,
                                      validationScore: validationScore, tuning: tuning, choice: choice, idColumns: idColumns,
                                      xgboost: String(decoding: try booster.json(), as: UTF8.self))
        return try ModelFile.encode(networks: [], description: description, kind: Self.kind)
    }

    public static func load(from path: String) throws -> GradientBoostedTrees { try load(SafeTensors.read(from: path), path: path) }

    /// A model file in memory; `path` names it in errors.
    public static func load(_ file: SafeTensors, path: String) throws -> GradientBoostedTrees {
        let (_, description, _) = try ModelFile.decode(file, path: path, kinds: [kind], as: Description.self)
        let model = GradientBoostedTrees(config: description.config)
        model.preprocessor = description.preprocessor
        model.target = description.target
        model.parameters = description.parameters
        model.rounds = description.rounds
        model.validationScore = description.validationScore
        model.tuning = description.tuning
        model.choice = description.choice
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

/// Work handed out index by index to `concurrentMap`'s threads, and their results.
private final class ConcurrentSlots<Value>: @unchecked Sendable {
    private var outcomes: [Result<Value, Error>?]
    private let lock = NSLock()
    private var next: Int
    private let range: Range<Int>

    init(_ range: Range<Int>) {
        self.range = range
        outcomes = Array(repeating: nil, count: range.count)
        next = range.lowerBound
    }

    func take() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < range.upperBound else { return nil }
        next += 1
        return next - 1
    }

    func put(_ index: Int, _ outcome: Result<Value, Error>) {
        lock.lock()
        outcomes[index - range.lowerBound] = outcome
        lock.unlock()
    }

    func results() throws -> [Value] { try outcomes.map { try $0!.get() } }
}

/// A closure called from `concurrentMap`'s threads; each call touches only its own index's
/// XGBoost handles and matrices, which is what makes the unchecked sharing safe.
private struct UncheckedTask<Value>: @unchecked Sendable {
    let body: (Int) throws -> Value
    init(_ body: @escaping (Int) throws -> Value) { self.body = body }
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

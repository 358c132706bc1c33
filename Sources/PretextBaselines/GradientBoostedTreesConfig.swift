import PretextData
import PretextNN

/// XGBoost hyperparameters, with defaults and the random-search ranges used to tune
/// them. Defaults are XGBoost's own (tree_method "hist").
public struct TreeParameters: Codable, Sendable, Equatable {
    /// Maximum tree depth. Default 6; searched in 2...10.
    public var maxDepth: Int = 6
    /// Learning rate η. Default 0.3; searched log-uniformly in [0.01, 0.3].
    public var learningRate: Double = 0.3
    /// Minimum sum of instance weight in a child. Default 1; searched log-uniformly in [0.5, 20].
    public var minChildWeight: Double = 1
    /// Row subsample per tree. Default 1; searched in [0.5, 1].
    public var subsample: Double = 1
    /// Column subsample per tree. Default 1; searched in [0.5, 1].
    public var columnSubsample: Double = 1
    /// L2 regularisation λ. Default 1; searched log-uniformly in [0.1, 10].
    public var l2: Double = 1

    public init() {}

    /// A random point of the search space.
    static func random(_ generator: inout SeededGenerator) -> TreeParameters {
        func logUniform(_ low: Double, _ high: Double) -> Double { exp(log(low) + generator.nextUniform() * (log(high) - log(low))) }
        var parameters = TreeParameters()
        parameters.maxDepth = 2 + generator.nextInt(below: 9)
        parameters.learningRate = logUniform(0.01, 0.3)
        parameters.minChildWeight = logUniform(0.5, 20)
        parameters.subsample = 0.5 + 0.5 * generator.nextUniform()
        parameters.columnSubsample = 0.5 + 0.5 * generator.nextUniform()
        parameters.l2 = logUniform(0.1, 10)
        return parameters
    }
}

/// The gradient-boosted-tree baseline's settings. Strong by default at every budget: a
/// seeded random search of 20 trials over `TreeParameters` (plus XGBoost's defaults),
/// each early-stopped (up to 2,000 rounds, patience 50) on a hold-out of the labeled rows,
/// or — below 150 rows, where the hold-out would be under 30 rows — on repeated
/// stratified k-fold cross-validation of them.
public struct GradientBoostedTreesConfig: Codable, Sendable, Equatable {
    /// Random-search trials besides the defaults; 0 = XGBoost's defaults only. Default 20.
    public var trials: Int = 20
    /// Boosting rounds at most. Default 2,000.
    public var maximumRounds: Int = 2000
    /// Stop after this many rounds without a validation improvement. Default 50.
    public var patience: Int = 50
    /// Rounds used when there are too few labeled rows to validate. Default 100.
    public var roundsWithoutValidation: Int = 100
    /// Share of the labeled rows held out for early stopping and tuning when no
    /// validation rows are given. Default 0.2.
    public var validationFraction: Double = 0.2
    /// Early stopping and tuning need at least this many hold-out rows (the neural
    /// methods' rule). Default 30.
    public var minimumValidationRows: Int = 30
    /// Below the hold-out's minimum, the candidates are scored by repeated stratified
    /// k-fold cross-validation on the labeled rows (`StratifiedKFold`): k folds (at most
    /// the smallest class's count; default 5) repeated `crossValidationRepeats` times
    /// (default 2). With a class of a single row, XGBoost's defaults run
    /// `roundsWithoutValidation` rounds.
    public var crossValidationFolds: Int = 5
    public var crossValidationRepeats: Int = 2
    /// XGBoost threads; nil = all cores.
    public var threads: Int? = nil
    public var seed: UInt64 = 0
    /// When set, these hyperparameters alone are used — no search (`trials` is ignored);
    /// the number of rounds is still early-stopped the same way. For boosters that share
    /// one tuning, e.g. the steps of `LagTreesForecaster`. Default nil.
    public var fixedParameters: TreeParameters? = nil

    public init() {}

    public func validate() throws {
        guard trials >= 0 else { throw TrainingError.invalidHyperparameter(name: "trials", value: "\(trials)", expected: "≥ 0") }
        guard maximumRounds >= 1, patience >= 1, roundsWithoutValidation >= 1, minimumValidationRows >= 1 else {
            throw TrainingError.invalidHyperparameter(name: "maximumRounds/patience/roundsWithoutValidation/minimumValidationRows",
                                                      value: "\(maximumRounds)/\(patience)/\(roundsWithoutValidation)/\(minimumValidationRows)", expected: "≥ 1")
        }
        guard crossValidationFolds >= 2, crossValidationRepeats >= 1 else {
            throw TrainingError.invalidHyperparameter(name: "crossValidationFolds/crossValidationRepeats",
                                                      value: "\(crossValidationFolds)/\(crossValidationRepeats)", expected: "≥ 2 / ≥ 1")
        }
        guard validationFraction >= 0 && validationFraction < 1 else {
            throw TrainingError.invalidHyperparameter(name: "validationFraction", value: "\(validationFraction)", expected: "0 ≤ f < 1")
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// How a gradient-boosted-tree model chose its hyperparameters and rounds.
public struct Tuning: Codable, Sendable, Equatable, CustomStringConvertible {
    public enum Method: String, Codable, Sendable {
        /// Early stopping and the search scored on a hold-out of the labeled rows.
        case holdOut = "hold-out"
        /// Scored on the pooled out-of-fold loss of repeated stratified k-fold
        /// cross-validation, then refit on every labeled row.
        case crossValidation = "cross-validation"
        /// Too few rows of a class to validate: XGBoost's defaults, fixed rounds.
        case defaults
    }

    public var method: Method
    /// Settings tried (XGBoost's defaults and the random-search trials).
    public var candidates: Int
    public var validationRows: Int?
    public var folds: Int?
    public var repeats: Int?

    private enum CodingKeys: String, CodingKey {
        case method, candidates
        case validationRows = "validation_rows"
        case folds, repeats
    }

    public init(method: Method, candidates: Int, validationRows: Int? = nil, folds: Int? = nil, repeats: Int? = nil) {
        self.method = method
        self.candidates = candidates
        self.validationRows = validationRows
        self.folds = folds
        self.repeats = repeats
    }

    public var description: String {
        switch method {
        case .holdOut: return "\(candidates) settings early-stopped on a hold-out of \(validationRows ?? 0) rows"
        case .crossValidation: return "\(candidates) settings by \(folds ?? 0)-fold stratified cross-validation × \(repeats ?? 0), refit on all rows"
        case .defaults: return "XGBoost's defaults (too few rows per class to validate)"
        }
    }
}

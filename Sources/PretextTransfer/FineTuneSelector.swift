import PretextData
import PretextNN
import PretextSSL

/// What fine-tuning model selection tries: strategies × learning rates, each with the
/// number of epochs chosen, scored by cross-validation or on a hold-out.
public struct FineTuneSelectionConfig: Codable, Sendable, Equatable {
    /// Strategies tried. Default: linear probe, full and freeze-then-unfreeze.
    public var strategies: [FineTuneConfig.Strategy] = FineTuneConfig.Strategy.allCases
    /// Adam learning rates tried (the head's; freeze-then-unfreeze scales the encoder's).
    /// Default 1e-3 (SCARF's) and 1e-4.
    public var learningRates: [Float] = [1e-3, 1e-4]
    /// Repeated stratified k-fold on the budget rows (`StratifiedKFold`) when the
    /// hold-out would be too small: k (at most the smallest class's count) and repeats.
    /// Default 5 × 2.
    public var folds = 5
    public var repeats = 2
    /// Fit a temperature (`TemperatureScaling`) on the out-of-fold or hold-out logits of
    /// the chosen candidate. Default true.
    public var calibrate = true
    /// The smallest temperature allowed. Default 1: calibration only softens. With a few
    /// dozen validation rows the out-of-fold predictions are often all right, and the
    /// likelihood then rewards T → 0 (certainty) that one wrong test row punishes hard;
    /// the overconfidence calibration exists to fix is the other way.
    public var minimumTemperature: Float = 1

    public init() {}

    public func validate() throws {
        guard !strategies.isEmpty, !learningRates.isEmpty, learningRates.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw TrainingError.invalidHyperparameter(name: "strategies/learningRates", value: "\(strategies)/\(learningRates)",
                                                      expected: "at least one each; rates finite and > 0")
        }
        guard minimumTemperature.isFinite, minimumTemperature > 0, Double(minimumTemperature) <= TemperatureScaling.range.upperBound else {
            throw TrainingError.invalidHyperparameter(name: "minimumTemperature", value: "\(minimumTemperature)", expected: "0 < T ≤ 1000")
        }
        guard folds >= 2, repeats >= 1 else {
            throw TrainingError.invalidHyperparameter(name: "folds/repeats", value: "\(folds)/\(repeats)", expected: "≥ 2 / ≥ 1")
        }
    }
}

/// What model selection tried and chose, and the fitted temperature; kept in the model file.
public struct FineTuneSelection: Codable, Sendable, Equatable {
    public enum Method: String, Codable, Sendable {
        /// Candidates scored on the pooled out-of-fold loss, then refit on every row.
        case crossValidation = "cross-validation"
        /// Candidates early-stopped and scored on a hold-out of the labeled rows.
        case holdOut = "hold-out"
        /// Too few rows of a class to validate: the configured strategy, fixed epochs.
        case none
    }

    public struct Candidate: Codable, Sendable, Equatable {
        public var strategy: FineTuneConfig.Strategy
        public var learningRate: Float
        /// The best number of epochs, and the validation loss there (lower is better).
        public var epochs: Int
        public var loss: Double
    }

    public var method: Method
    public var folds: Int?
    public var repeats: Int?
    public var validationRows: Int?
    public var candidates: [Candidate]
    /// Index of the chosen candidate.
    public var chosen: Int
    /// The softmax temperature of the final model (1 = uncalibrated).
    public var temperature: Float

    private enum CodingKeys: String, CodingKey {
        case method, folds, repeats
        case validationRows = "validation_rows"
        case candidates, chosen, temperature
    }
}

/// Fine-tuning chosen on the budget rows alone: every strategy × learning rate in
/// `FineTuneSelectionConfig` with its best number of epochs, then calibrated.
///
/// - Enough rows for a hold-out (`FineTuneConfig.minimumValidationRows`): each
///   candidate is early-stopped on it; the lowest validation loss wins and is kept as
///   trained; its temperature is fitted on the hold-out's logits.
/// - Fewer: repeated stratified k-fold cross-validation. Each candidate trains on every
///   fold's training part for the full epoch cap without early stopping, its validation
///   loss recorded after each epoch; the curves are pooled over folds (each weighted by
///   its rows) and the candidate's score is the minimum of the pooled curve, at its
///   epoch count e. The best candidate is refit on every budget row for exactly e epochs
///   (`FineTuneConfig.fixedEpochs`); its temperature is fitted on out-of-fold logits from
///   one more pass of the folds at e epochs.
/// - Classifiers keep the chosen candidate's calibrated probabilities on the hold-out, or
///   from that pass on every fold's validation rows (`TabularModel.outOfFold`).
/// - A class with a single row: the configured strategy and `epochsWithoutValidation`,
///   uncalibrated.
///
/// The learning-rate schedule is constant (SCARF's Adam), so e epochs of the refit follow
/// the same schedule as the first e epochs of the cross-validation runs.
public struct FineTuneSelector {
    public var config: FineTuneConfig
    public var selection: FineTuneSelectionConfig

    public init(config: FineTuneConfig = FineTuneConfig(), selection: FineTuneSelectionConfig = FineTuneSelectionConfig()) {
        self.config = config
        self.selection = selection
    }

    private var temperatureRange: ClosedRange<Double> { Double(selection.minimumTemperature)...TemperatureScaling.range.upperBound }

    public func fit(encoder: PretrainedEncoder, table: Table, rows: [Int]? = nil) throws -> TabularModel {
        try config.validate()
        try selection.validate()
        let labeled = try LabeledRows(table, rows: rows, validationRows: nil, validationFraction: config.validationFraction,
                                      minimumValidationRows: config.minimumValidationRows, seed: config.seed)
        let candidates = selection.strategies.flatMap { strategy in selection.learningRates.map { (strategy, $0) } }
        func candidateConfig(_ index: Int) -> FineTuneConfig {
            var candidate = config
            (candidate.strategy, candidate.optimizer.learningRate) = candidates[index]
            return candidate
        }
        let classification = labeled.task.isClassification

        if !labeled.validation.isEmpty {
            var best: (model: TabularModel, loss: Double, index: Int)? = nil
            var tried: [FineTuneSelection.Candidate] = []
            for index in candidates.indices {
                let model = try FineTuner(config: candidateConfig(index)).fit(encoder: encoder, table: table, rows: labeled.train,
                                                                             validationRows: labeled.validation)
                let loss = model.history.epochs.compactMap(\.validationLoss).min() ?? .infinity
                tried.append(.init(strategy: candidates[index].0, learningRate: candidates[index].1, epochs: model.history.bestEpoch, loss: loss))
                if best == nil || loss < best!.loss { best = (model, loss, index) }
            }
            let model = best!.model
            var temperature: Float = 1
            if classification {
                let (logits, _) = try model.outputs(table.selecting(rows: labeled.validation))
                let labels = try labeled.target.classIndices(table, rows: labeled.validation)
                if selection.calibrate { temperature = TemperatureScaling.calibrate(logits: logits, labels: labels, range: temperatureRange) }
                model.outOfFold = OutOfFoldPredictions(rows: labeled.validation, labels: labels, logits: logits, temperature: temperature)
            }
            model.temperature = temperature
            model.selection = FineTuneSelection(method: .holdOut, validationRows: labeled.validation.count, candidates: tried,
                                                chosen: best!.index, temperature: temperature)
            return model
        }

        let classes = classification ? try labeled.target.classIndices(table, rows: labeled.train) : nil
        guard let folds = StratifiedKFold(rows: labeled.train, classes: classes, folds: selection.folds, repeats: selection.repeats,
                                          seed: config.seed) else {
            let model = try FineTuner(config: config).fit(encoder: encoder, table: table, rows: labeled.train)
            model.selection = FineTuneSelection(method: .none, candidates: [], chosen: 0, temperature: 1)
            return model
        }
        let splits = folds.splits
        var tried: [FineTuneSelection.Candidate] = []
        for index in candidates.indices {
            var candidate = candidateConfig(index)
            candidate.training.patience = candidate.training.maximumEpochs + candidate.frozenEpochs + 1
            candidate.training.restoreBestWeights = false
            var pooled = PooledValidationCurve()
            for fold in splits {
                let model = try FineTuner(config: candidate).fit(encoder: encoder, table: table, rows: fold.train, validationRows: fold.validation)
                pooled.add(model.history, validationRows: fold.validation.count)
            }
            let best = pooled.best ?? (epochs: 1, loss: .infinity)
            tried.append(.init(strategy: candidates[index].0, learningRate: candidates[index].1, epochs: best.epochs, loss: best.loss))
        }
        // min(by:) keeps the earliest of equal losses.
        let chosen = tried.indices.min { tried[$0].loss < tried[$1].loss }!
        var final = candidateConfig(chosen)
        final.fixedEpochs = tried[chosen].epochs
        var temperature: Float = 1
        var outOfFold: OutOfFoldPredictions?
        if classification {
            var logits: [Float] = [], labels: [Int32] = [], rows: [Int] = []
            var width = 0
            for fold in splits {
                let model = try FineTuner(config: final).fit(encoder: encoder, table: table, rows: fold.train)
                let (outputs, _) = try model.outputs(table.selecting(rows: fold.validation))
                logits += outputs.values
                width = outputs.columns
                labels += try labeled.target.classIndices(table, rows: fold.validation)
                rows += fold.validation
            }
            let pooled = Matrix(rows: labels.count, columns: width, values: logits)
            if selection.calibrate { temperature = TemperatureScaling.calibrate(logits: pooled, labels: labels, range: temperatureRange) }
            outOfFold = OutOfFoldPredictions(rows: rows, labels: labels, logits: pooled, temperature: temperature)
        }
        let model = try FineTuner(config: final).fit(encoder: encoder, table: table, rows: labeled.train)
        model.temperature = temperature
        model.outOfFold = outOfFold
        model.selection = FineTuneSelection(method: .crossValidation, folds: folds.folds, repeats: folds.repeats, candidates: tried,
                                            chosen: chosen, temperature: temperature)
        return model
    }
}

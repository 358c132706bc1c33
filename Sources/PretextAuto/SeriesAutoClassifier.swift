import Foundation
import PretextBaselines
import PretextData
import PretextNN
import PretextSSL
import PretextTransfer

/// `series classify --method auto`'s settings: the candidates and how each is configured.
public struct SeriesAutoConfig: Codable, Sendable, Equatable {
    public enum Candidate: String, Codable, Sendable, CaseIterable {
        /// MiniRocket features and the leave-one-out ridge (`MiniRocketClassifier`).
        case minirocket
        /// The TCN classifier from its initial weights (`SeriesClassifier`).
        case scratch
        /// The TCN pretrained contrastively on every series (labels unused), then a linear
        /// head on the frozen encoder.
        case contrastiveLinearProbe = "contrastive-linear-probe"
        /// The same pretrained TCN, frozen, and a ridge classifier on its features
        /// (`EncoderRidgeClassifier`: α by leave-one-out, no epochs to choose).
        case contrastiveRidge = "contrastive-ridge"
        /// The same ridge on the frozen encoder's step representations side by side
        /// (`EncoderRidgeClassifier.Features.steps`): positions kept, which tells aligned
        /// series apart (development study: `results/ridge-steps-study`).
        case contrastiveRidgeSteps = "contrastive-ridge-steps"
        /// The same pretrained TCN, fine-tuned whole.
        case contrastiveFull = "contrastive-full"
        /// The TCN pretrained by next-step prediction, fine-tuned whole.
        case nextStepFull = "next-step-full"
    }

    /// Candidates considered, in order of preference on ties. Default: all seven.
    public var candidates: [Candidate] = Candidate.allCases
    public var encoder = SeriesEncoderConfig()
    public var fineTune = FineTuneConfig.seriesClassification
    public var contrastive = ContrastiveSeriesConfig()
    public var nextStep = NextStepConfig()
    public var minirocket = MiniRocketConfig()
    /// Repeated stratified k-fold on the labeled series: k (at most the smallest class's
    /// count) and repeats. Defaults 5 and 2, as the tabular `auto`.
    public var folds = 5
    public var repeats = 2
    /// Master seed: pretraining, folds, initialisations and MiniRocket derive from it.
    public var seed: UInt64 = 0

    public init() {}

    public func validate() throws {
        guard !candidates.isEmpty else {
            throw TrainingError.invalidHyperparameter(name: "candidates", value: "[]", expected: "at least one of "
                                                      + Candidate.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard folds >= 2, repeats >= 1 else {
            throw TrainingError.invalidHyperparameter(name: "folds/repeats", value: "\(folds)/\(repeats)", expected: "≥ 2 / ≥ 1")
        }
        try fineTune.validate()
        try contrastive.validate()
        try nextStep.validate()
        try minirocket.validate()
    }
}

/// What `SeriesAutoClassifier` chose and why.
public struct SeriesAutoChoice {
    public struct Score: Sendable, Equatable {
        public var candidate: SeriesAutoConfig.Candidate
        /// Mean over the validation folds.
        public var accuracy: Double
        public var logLoss: Double
    }

    public var chosen: SeriesAutoConfig.Candidate
    /// The chosen candidate refitted on every labeled series.
    public var model: TabularPredictor
    /// Cross-validated scores of every candidate (empty when nothing could be validated).
    public var scores: [Score]
    /// How the choice was made, in words.
    public var validation: String
    let saveModel: (String) throws -> Void

    public func save(to path: String) throws { try saveModel(path) }
}

/// Chooses a series classifier by cross-validation on the labeled series and refits it
/// on all of them: MiniRocket, the TCN from scratch, and the TCN pretrained
/// contrastively (linear probe, ridge on its frozen pooled or step features, or full fine-tuning) or by
/// next-step prediction.
///
/// Pretraining runs once, on every series of the table (labeled or not; labels are never
/// read), before the folds: it is unsupervised, so the folds share it without leaking a
/// label. Each fold fits every candidate on its training series and scores accuracy on
/// the rest; the highest mean accuracy wins (ties: the lower mean log loss, then the
/// earlier candidate). When some class has a single labeled series nothing can be
/// validated and MiniRocket — deterministic and strong at every budget in the bundled
/// reports — is used.
public struct SeriesAutoClassifier {
    public var config: SeriesAutoConfig
    public var log: (String) -> Void
    /// Least seconds between two progress lines of the cross-validation (fit k of n,
    /// elapsed, an estimate of the rest) on `log`. Default 10.
    public var progressInterval = 10.0

    public init(config: SeriesAutoConfig = SeriesAutoConfig(), log: @escaping (String) -> Void = { _ in }) {
        self.config = config
        self.log = log
    }

    /// - Parameters:
    ///   - rows: the labeled series to learn from (positions in `columns.read(table).rows`;
    ///     default every labeled series).
    ///   - pretrained: encoders already pretrained with `config`'s settings, by objective
    ///     (`"contrastive"`, `"next-step"`), e.g. on more unlabeled series; the rest are
    ///     pretrained here on the table's series.
    public func fit(_ table: Table, columns: SeriesColumns, rows: [Int]? = nil, pretrained: [String: SeriesEncoder] = [:]) throws -> SeriesAutoChoice {
        try config.validate()
        guard let targetColumn = table.target else { throw TrainingError.notEnoughData(reason: "the table has no target column") }
        let columns = columns.resolved(in: table, labelColumn: targetColumn.name)
        let (collection, seriesRows) = try columns.read(table, labelColumn: targetColumn.name)
        let labeled = try LabeledRows(seriesRows, rows: rows, validationRows: [], validationFraction: 0, minimumValidationRows: 1, seed: 0)
        guard labeled.task.isClassification else {
            throw DataError.invalidTarget(path: table.source, column: targetColumn.name, reason: "series classification needs class labels, and this column looks continuous")
        }
        let classes = try labeled.target.classIndices(seriesRows, rows: labeled.train)
        var encoders = pretrained   // by objective: "contrastive", "next-step"
        func encoder(for candidate: SeriesAutoConfig.Candidate) throws -> SeriesEncoder? {
            let objective: String
            switch candidate {
            case .minirocket, .scratch: return nil
            case .contrastiveLinearProbe, .contrastiveRidge, .contrastiveRidgeSteps, .contrastiveFull: objective = "contrastive"
            case .nextStepFull: objective = "next-step"
            }
            if let cached = encoders[objective] { return cached }
            let fitted: SeriesEncoder
            if objective == "contrastive" {
                var contrastive = config.contrastive
                (contrastive.encoder, contrastive.seed) = (config.encoder, config.seed)
                fitted = try ContrastiveSeriesPretrainer(config: contrastive).fit(collection)
            } else {
                var nextStep = config.nextStep
                let longest = collection.series.map(\.length).max() ?? 0
                nextStep.window.lookback = min(nextStep.window.lookback, max(2, longest * 2 / 3))
                (nextStep.encoder, nextStep.seed) = (config.encoder, config.seed)
                fitted = try NextStepPretrainer(config: nextStep).fit(collection)
            }
            log("auto: \(objective) pretraining on \(collection.count) series stopped after \(fitted.history.epochs.count) epochs")
            encoders[objective] = fitted
            return fitted
        }
        func fit(_ candidate: SeriesAutoConfig.Candidate, rows: [Int]) throws -> (TabularPredictor, (String) throws -> Void) {
            switch candidate {
            case .minirocket:
                var minirocket = config.minirocket
                minirocket.seed = config.seed
                let model = try MiniRocketClassifier(config: minirocket).fit(table, columns: columns, rows: rows)
                return (model, model.save)
            case .contrastiveRidge, .contrastiveRidgeSteps:
                let model = try EncoderRidgeClassifier(features: candidate == .contrastiveRidge ? .pooled : .steps).fit(table, columns: columns, rows: rows, pretrained: try encoder(for: candidate)!)
                return (model, model.save)
            default:
                var fineTune = config.fineTune
                fineTune.seed = config.seed
                fineTune.strategy = candidate == .contrastiveLinearProbe ? .linearProbe : .full
                let model = try SeriesClassifier(fineTune: fineTune, encoderConfig: config.encoder, encoder: try encoder(for: candidate))
                    .fit(table, columns: columns, rows: rows)
                return (model, model.save)
            }
        }

        guard let folds = StratifiedKFold(rows: labeled.train, classes: classes, folds: config.folds, repeats: config.repeats, seed: config.seed) else {
            let fallback: SeriesAutoConfig.Candidate = config.candidates.contains(.minirocket) ? .minirocket : config.candidates[0]
            let (model, save) = try fit(fallback, rows: labeled.train)
            return SeriesAutoChoice(chosen: fallback, model: model, scores: [],
                                    validation: "none: some class has a single labeled series, so nothing could be validated; \(fallback.rawValue) was used",
                                    saveModel: save)
        }
        let splits = folds.splits
        var scores: [SeriesAutoChoice.Score] = []
        // Progress: cross-validation is most of the work (candidates × folds fits; minutes
        // on 28 series of 286 steps), so a line at most every `progressInterval` seconds.
        // The time left counts each fit at its own candidate's pace (`RemainingTime`): the
        // candidates run one after another, MiniRocket's cheap fits first, so the mean of
        // the fits done would promise far too little.
        let stopwatch = Stopwatch()
        let plan = config.candidates.flatMap { repeatElement((method: $0.rawValue, point: ""), count: splits.count) }
        var remaining = RemainingTime()
        var fitsDone = 0, lastReport = 0.0
        for candidate in config.candidates {
            var accuracy = 0.0, logLoss = 0.0
            for fold in splits {
                let fitClock = Stopwatch()
                let (model, _) = try fit(candidate, rows: fold.train)
                remaining.record(method: candidate.rawValue, point: "", seconds: fitClock.seconds)
                fitsDone += 1
                let elapsed = stopwatch.seconds
                if elapsed - lastReport >= progressInterval && fitsDone < plan.count {
                    lastReport = elapsed
                    log("auto: cross-validation fit \(fitsDone)/\(plan.count) (\(candidate.rawValue)), elapsed \(ProgressReporter.clock(elapsed)), "
                        + Self.timeLeft(remaining, plan[fitsDone...], current: candidate.rawValue))
                }
                let predictions = try model.predictions(table).predictions
                let probabilities = predictions.probabilities!
                let truth = try labeled.target.classIndices(seriesRows, rows: fold.validation)
                var correct = 0.0, loss = 0.0
                for (row, label) in zip(fold.validation, truth) {
                    let scores = (0..<probabilities.columns).map { probabilities[row, $0] }
                    if scores.indices.max(by: { scores[$0] < scores[$1] }) == Int(label) { correct += 1 }
                    loss -= Foundation.log(Double(max(scores[Int(label)], 1e-15)))
                }
                accuracy += correct / Double(fold.validation.count) / Double(splits.count)
                logLoss += loss / Double(fold.validation.count) / Double(splits.count)
            }
            scores.append(.init(candidate: candidate, accuracy: accuracy, logLoss: logLoss))
            log("auto: \(candidate.rawValue): cross-validated accuracy \(String(format: "%.4f", accuracy)), log loss \(String(format: "%.4f", logLoss))")
        }
        let best = scores.enumerated().min { a, b in
            (-a.element.accuracy, a.element.logLoss, a.offset) < (-b.element.accuracy, b.element.logLoss, b.offset)
        }!.element
        let (model, save) = try fit(best.candidate, rows: labeled.train)
        return SeriesAutoChoice(chosen: best.candidate, model: model, scores: scores,
                                validation: "repeated stratified \(folds.folds)-fold cross-validation (\(folds.repeats) repeats) on \(labeled.train.count) labeled series",
                                saveModel: save)
    }

    /// The progress line's estimate for the `left` fits (in order; `point` unused) while
    /// `current` runs: the whole rest when every candidate among them has run a fit,
    /// else what `current` has left and how many candidates after it have no pace yet.
    static func timeLeft(_ remaining: RemainingTime, _ left: ArraySlice<(method: String, point: String)>, current: String) -> String {
        if let seconds = remaining.estimate(left) { return "about \(ProgressReporter.clock(seconds)) to go" }
        let own = left.filter { $0.method == current }
        var later: [String] = []
        for fit in left where fit.method != current && !later.contains(fit.method) { later.append(fit.method) }
        let ownPart = own.isEmpty ? "" : "\(current) about \(ProgressReporter.clock(remaining.estimate(own) ?? 0)) more, then "
        return ownPart + "\(later.count) candidate\(later.count == 1 ? "" : "s") not yet timed (\(later.joined(separator: ", ")))"
    }
}

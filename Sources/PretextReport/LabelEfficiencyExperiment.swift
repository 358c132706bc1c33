import Foundation
import PretextAuto
import PretextBaselines
import PretextData
import PretextNN
import PretextSSL
import PretextTransfer

/// Runs every method at every label budget over several seeds, on the same splits.
///
/// Per seed: a stratified train/validation/test split of the labeled rows; SCARF
/// pretraining once on every non-test row (labeled or not), reused across budgets;
/// then for each budget the nested budget rows of the training part. Every method sees
/// exactly those labeled rows and nothing else labeled: early stopping and XGBoost's
/// tuning use the budget rows themselves (a hold-out, or cross-validation below 150
/// rows). Every method fits its preprocessing on the same rows — the features of every
/// non-test row, the pretraining pool; no label is read there. The split's validation
/// part is not used by any method. Scores are on the test rows.
///
/// `scratch` is the fine-tuned network itself — the pretraining encoder's architecture
/// at its initial weights, the same head, optimizer, epochs and stopping rule, trained
/// in full on the budget rows — so a difference between `scarf-full` and `scratch` is
/// what pretraining added and nothing else.
///
/// Finished cells are written to `cacheDirectory` (one JSON file each, tagged with a
/// fingerprint of the data's content, the settings and the code: `CellCache`) and reused
/// when the same experiment runs again, so an interrupted run resumes where it stopped.
public struct LabelEfficiencyExperiment {
    /// A method of the comparison: a baseline, or a pretraining objective with a
    /// fine-tuning strategy, written `<objective>-<strategy>` (e.g. `scarf-full`,
    /// `vicreg-linear-probe`, `scarf+reconstruct-freeze-then-unfreeze`).
    public struct Method: RawRepresentable, Codable, Sendable, Hashable {
        public let rawValue: String
        /// The pretraining objective, for pretrained methods.
        public let objective: PretrainingObjective?
        public let strategy: FineTuneConfig.Strategy?

        public static let xgboost = Method(baseline: "xgboost")
        public static let linear = Method(baseline: "linear")
        public static let mlp = Method(baseline: "mlp")
        public static let scratch = Method(baseline: "scratch")
        /// `AutoModel`: SCARF with chosen fine-tuning, the same network from scratch or
        /// tuned XGBoost, whichever validates best on the budget rows (cross-validation).
        public static let auto = Method(baseline: "auto")
        /// `auto` ranking its candidates by calibrated out-of-fold log loss
        /// (`AutoConfig.ChoiceLoss.calibratedOutOfFold`): for development studies, not a default.
        public static let autoCalibrated = Method(baseline: "auto-calibrated")
        /// SCARF with chosen fine-tuning as teacher, then one round of self-training on the
        /// pool's unlabeled rows (`AutoConfig.Candidate.selfTraining`), always used.
        public static let selfTraining = Method(baseline: "self-training")
        public static let scarfLinearProbe = Method(objective: .scarf, strategy: .linearProbe)
        public static let scarfFull = Method(objective: .scarf, strategy: .full)
        /// The default set: both baselines, the same network from scratch, and SCARF with a
        /// linear probe and with full fine-tuning.
        public static let defaults: [Method] = [.xgboost, .linear, .scratch, .scarfLinearProbe, .scarfFull]
        static let baselines = ["xgboost", "linear", "mlp", "scratch", "auto", "auto-calibrated", "self-training"]

        private init(baseline: String) {
            rawValue = baseline
            objective = nil
            strategy = nil
        }

        public init(objective: PretrainingObjective, strategy: FineTuneConfig.Strategy) {
            rawValue = "\(objective)-\(strategy.rawValue)"
            self.objective = objective
            self.strategy = strategy
        }

        public init?(rawValue: String) {
            if Self.baselines.contains(rawValue) {
                self.init(baseline: rawValue)
                return
            }
            for strategy in FineTuneConfig.Strategy.allCases where rawValue.hasSuffix("-" + strategy.rawValue) {
                if let objective = PretrainingObjective(parsing: String(rawValue.dropLast(strategy.rawValue.count + 1))) {
                    self.init(objective: objective, strategy: strategy)
                    return
                }
            }
            return nil
        }

        public init(from decoder: Decoder) throws {
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let method = Method(rawValue: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown method \(text)"))
            }
            self = method
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }

        public var title: String {
            switch rawValue {
            case "xgboost": return "XGBoost (tuned)"
            case "linear": return "Linear model"
            case "mlp": return "MLP (separate settings)"
            case "scratch": return "Same network from scratch"
            case "auto": return "Auto (chosen on the budget rows)"
            case "auto-calibrated": return "Auto, ranked by calibrated out-of-fold loss"
            case "self-training": return "SCARF + self-training"
            default:
                let strategy: String
                switch self.strategy! {
                case .linearProbe: strategy = "linear probe"
                case .full: strategy = "full fine-tune"
                case .freezeThenUnfreeze: strategy = "freeze-then-unfreeze"
                }
                return "\(objective!.title) + \(strategy)"
            }
        }

        var usesPretraining: Bool { objective != nil || self == .auto || self == .autoCalibrated || self == .selfTraining }
        /// The objective whose encoder the method uses (auto and self-training use SCARF's).
        var encoderObjective: PretrainingObjective? { self == .auto || self == .autoCalibrated || self == .selfTraining ? .scarf : objective }
    }

    public struct Configuration: Sendable {
        public var budgets: [LabelBudget] = [.fraction(0.05), .fraction(1)]
        public var seeds = 5
        public var methods = Method.defaults
        public var scarf = PretrainingConfig()
        public var fineTune = FineTuneConfig()
        /// What `auto` tries when it chooses the fine-tuning (strategies, learning rates, folds).
        public var selection = FineTuneSelectionConfig()
        public var supervised = SupervisedConfig()
        public var trees = GradientBoostedTreesConfig()
        public var split = SplitConfig()
        /// Where finished cells are kept for resuming; nil keeps nothing.
        public var cacheDirectory: String?
        /// Keep every `auto` candidate's test scores and probabilities in its cell
        /// (`Cell.candidates`), for development studies of the choice rule. Default false.
        public var recordCandidates = false
        /// An upstream labeled column for `supervised-…` methods: the encoder learns to
        /// predict it (on the non-test rows), then transfers to the target.
        public var upstreamColumn: String?
        public init() {}

        /// The linear baseline: one Linear layer, L2-regularised (logistic or linear
        /// regression trained by AdamW with early stopping).
        var linear: SupervisedConfig {
            var config = supervised
            let model = SupervisedConfig.linearModel
            config.architecture = model.architecture
            config.optimizer = model.optimizer
            return config
        }

        /// The settings a report states, in words.
        public var settingsSummary: [String: String] {
            var summary = [
                "pretraining": "corruption \(scarf.corruptionRate), temperature \(scarf.temperature), encoder \(scarf.encoderDepth)×\(scarf.encoderWidth), pretraining patience \(scarf.training.patience)",
                "fine-tuning": "Adam lr \(fineTune.optimizer.learningRate), head \(fineTune.headDepth)×\(fineTune.headWidth), patience \(fineTune.training.patience), validation hold-out \(Int(fineTune.validationFraction * 100))% of the budget (none under \(fineTune.minimumValidationRows) rows: \(fineTune.epochsWithoutValidation) epochs)",
                "XGBoost": "\(trees.trials) random-search trials besides the defaults, up to \(trees.maximumRounds) rounds, patience \(trees.patience); hold-out of \(Int(trees.validationFraction * 100))% when it has ≥ \(trees.minimumValidationRows) rows, else \(trees.crossValidationFolds)-fold stratified cross-validation × \(trees.crossValidationRepeats)",
            ]
            if split.development {
                summary["split"] = "development: each seed's \(Int(split.testFraction * 100))% test rows set aside unread; train, validation and test carved from the other rows"
            }
            return summary
        }

        /// Every setting that changes a cell's result, for the cell cache's fingerprint.
        var cacheSettings: [any Encodable] {
            [scarf, fineTune, selection, supervised, trees, split, upstreamColumn ?? "-", recordCandidates]
        }
    }

    public struct Cell: Codable, Sendable, Equatable {
        public var method: Method
        public var budget: String
        public var seed: Int
        public var labeledRows: Int
        public var scores: Scores
        /// Wall time of this cell's fit (fine-tuning, or the baseline's training and tuning).
        public var seconds: Double
        /// Wall time of the pretraining its encoder needed (once per seed and objective,
        /// shared by every budget and strategy that uses it); 0 without pretraining.
        public var pretrainingSeconds: Double
        /// How the method chose its settings, where it did (XGBoost's tuning).
        public var tuning: String?
        /// `auto`'s candidates, each refit on the budget rows and scored on the same test
        /// rows — what each choice would have given; only with `recordCandidates`.
        public var candidates: [CandidateRecord]?
    }

    /// One of `auto`'s candidates in a cell, for development studies of the choice rule
    /// (`compare --development --record-candidates`; `scripts/auto-rule-study.py` replays
    /// rules on them). Never used to choose anything.
    public struct CandidateRecord: Codable, Sendable, Equatable {
        public var name: String
        /// Its selection loss (`AutoConfig.ChoiceLoss.validationCurve`).
        public var loss: Double
        public var scores: Scores
        /// Classification, validated on the shared folds or hold-out: the calibrated
        /// out-of-fold probability of each prediction's true class, in fold order, and the
        /// labeled row behind each.
        public var outOfFoldRows: [Int]?
        public var outOfFoldProbabilities: [Float]?
        /// Classification: test probabilities, row-major (test rows × `classNames`), and
        /// each test row's class index in `classNames`.
        public var classNames: [String]?
        public var testProbabilities: [Float]?
        public var testClasses: [Int]?
    }

    public var configuration: Configuration
    public var log: (String) -> Void
    /// Ranks that share the grid (`mpirun -np N pretext compare`): each computes the cells
    /// of its work units — per seed, the methods that share one pretrained encoder, or one
    /// method without — dealt round-robin, and every rank returns every cell in the
    /// single-process order. A cell's result does not depend on where it ran.
    public var communicator: Communicator

    public init(configuration: Configuration, communicator: Communicator = .single, log: @escaping (String) -> Void = { _ in }) {
        self.configuration = configuration
        self.communicator = communicator
        self.log = log
    }

    /// Per seed, the groups of methods that share an encoder (its objective) or stand
    /// alone, in the order the methods are listed: the units ranks are dealt.
    static func workUnit(_ method: Method) -> String {
        method.encoderObjective.map { "encoder \($0)" } ?? method.rawValue
    }

    /// The rank that computes `method`'s cells for `seed`.
    func owner(seed: Int, method: Method) -> Int {
        var units: [String] = []
        for candidate in configuration.methods where !units.contains(Self.workUnit(candidate)) { units.append(Self.workUnit(candidate)) }
        return (seed * units.count + units.firstIndex(of: Self.workUnit(method))!) % communicator.size
    }

    public func run(_ table: Table) throws -> [Cell] {
        guard let targetColumn = table.target else { throw TrainingError.notEnoughData(reason: "the table has no target column") }
        let task = try TaskType.infer(for: targetColumn, path: table.source)
        let cache = try CellCache<Cell>(directory: configuration.cacheDirectory, data: [table.contentFingerprint],
                                        settings: configuration.cacheSettings)
        var cells: [Cell] = []
        // This rank's cells in the order they run. The ETA counts each cell still to
        // compute (cells kept from an earlier run cost nothing) at its own method's and
        // budget's pace (`RemainingTime`): every seed starts with cheap baselines, and the
        // first budget of an encoder's methods also pretrains it.
        let plan = (0..<configuration.seeds).flatMap { seed in
            configuration.budgets.flatMap { budget in
                configuration.methods.filter { owner(seed: seed, method: $0) == communicator.rank }
                    .map { (seed: seed, method: $0.rawValue, point: budget.description) }
            }
        }
        let total = plan.count
        let toCompute = plan.filter { cache.cached(seed: $0.seed, point: $0.point, method: $0.method) == nil }
            .map { (method: $0.method, point: $0.point) }
        var remaining = RemainingTime(), computed = 0
        for seed in 0..<configuration.seeds {
            var splitConfig = configuration.split
            splitConfig.seed = UInt64(seed)
            let split = try DatasetSplit.make(table, task: task, config: splitConfig)
            let test = table.selecting(rows: split.test)
            let truthLabels = split.test.map { targetColumn.text(at: $0) }
            let classes = task.isClassification
                ? try TargetEncoder.fit(table, rows: split.train, task: task).classIndices(table, rows: split.train) : nil
            let sampler = LabelBudgetSampler(rows: split.train, classes: classes, seed: UInt64(seed))
            var encoders: [PretrainingObjective: PretrainedEncoder] = [:]
            var pretrainingSeconds: [PretrainingObjective: Double] = [:]
            var untrained: PretrainedEncoder?
            for budget in configuration.budgets {
                let rows = try sampler.rows(for: budget)
                for method in configuration.methods where owner(seed: seed, method: method) == communicator.rank {
                    if let cached = cache.cached(seed: seed, point: budget.description, method: method.rawValue) {
                        cells.append(cached)
                        log("cell \(cells.count)/\(total): seed \(seed), \(budget) labels, \(method.title): \(String(format: "%.4f", cached.scores.primary)) (kept from an earlier run)")
                        continue
                    }
                    let cellClock = Stopwatch()     // the cell with the pretraining it triggers, for the ETA
                    var pretraining = configuration.scarf
                    pretraining.seed = UInt64(seed)
                    if method == .scratch, untrained == nil {
                        untrained = try Pretrainer(config: pretraining).untrained(table, rows: split.pretraining)
                    }
                    if let objective = method.encoderObjective, encoders[objective] == nil {
                        let pretrainingClock = Stopwatch()
                        pretraining.objective = objective
                        if objective == .supervised {
                            encoders[objective] = try supervisedEncoder(table, rows: split.pretraining, config: pretraining)
                        } else {
                            encoders[objective] = try Pretrainer(config: pretraining).fit(table, rows: split.pretraining)
                        }
                        pretrainingSeconds[objective] = pretrainingClock.seconds
                    }
                    let stopwatch = Stopwatch()
                    let encoder = method == .scratch ? untrained : method.encoderObjective.flatMap { encoders[$0] }
                    var candidates: [AutoCandidate] = []
                    let predictor = try fit(method, table: table, rows: rows, preprocessingRows: split.pretraining, task: task,
                                            seed: UInt64(seed), encoder: encoder, inspect: { candidates = $0 })
                    let seconds = stopwatch.seconds
                    func score(_ predictor: TabularPredictor) throws -> (Scores, Predictions) {
                        let (predictions, _) = try predictor.predictions(test)
                        let scores = task.isClassification
                            ? Scores.classification(predictions, truth: truthLabels)
                            : Scores.regression(predictions.values, truth: split.test.map { Double(targetColumn.floatValues![$0]) })
                        return (scores, predictions)
                    }
                    let (scores, _) = try score(predictor)
                    var cell = Cell(method: method, budget: budget.description, seed: seed, labeledRows: rows.count,
                                    scores: scores, seconds: seconds,
                                    pretrainingSeconds: method.encoderObjective.flatMap { pretrainingSeconds[$0] } ?? 0,
                                    tuning: Self.tuning(of: predictor, method: method))
                    if configuration.recordCandidates, !candidates.isEmpty {
                        cell.candidates = try candidates.map { candidate in
                            let (scores, predictions) = try score(candidate.predictor)
                            return Self.record(candidate, scores: scores, predictions: predictions, truth: truthLabels)
                        }
                    }
                    try cache.store(cell, seed: seed, point: budget.description, method: method.rawValue)
                    cells.append(cell)
                    remaining.record(method: method.rawValue, point: budget.description, seconds: cellClock.seconds)
                    computed += 1
                    log("cell \(cells.count)/\(total): seed \(seed), \(budget) labels, \(method.title): \(String(format: "%.4f", scores.primary)) (\(remaining.describe(toCompute[computed...])))")
                }
            }
        }
        return try gathered(cells)
    }

    /// Every rank's cells on every rank, in the single-process order (seed, budget, method).
    private func gathered(_ cells: [Cell]) throws -> [Cell] {
        guard communicator.size > 1 else { return cells }
        let parts = communicator.allgather(Array(try JSONEncoder().encode(cells)))
        let all = try parts.flatMap { try JSONDecoder().decode([Cell].self, from: Data($0)) }
        let budgets = configuration.budgets.map(\.description), methods = configuration.methods
        func position(_ cell: Cell) -> [Int] {
            [cell.seed, budgets.firstIndex(of: cell.budget) ?? budgets.count, methods.firstIndex(of: cell.method) ?? methods.count]
        }
        return all.sorted { position($0).lexicographicallyPrecedes(position($1)) }
    }

    /// How a method chose its settings, in words, where it did: XGBoost's tuning, or what
    /// `auto` weighed and chose.
    static func tuning(of predictor: TabularPredictor, method: Method) -> String? {
        let choice = (predictor as? TabularModel)?.choice ?? (predictor as? GradientBoostedTrees)?.choice
            ?? (predictor as? MLPClassifier)?.fitted?.choice ?? (predictor as? MLPRegressor)?.fitted?.choice
            ?? (predictor as? EnsembleModel)?.choice
        if method == .auto || method == .autoCalibrated || method == .selfTraining, let choice {
            let winner = choice.candidates.first { $0.name == choice.chosen }
            return "chose \(choice.chosen)" + (winner.map { " (\($0.detail))" } ?? "") + " by \(choice.validation); losses "
                + choice.candidates.map { "\($0.name) \(String(format: "%.3f", $0.loss))" }.joined(separator: ", ")
        }
        return (predictor as? GradientBoostedTrees)?.tuning?.description
    }

    /// An encoder trained to predict the upstream column (never the target) on `rows`.
    private func supervisedEncoder(_ table: Table, rows: [Int], config: PretrainingConfig) throws -> PretrainedEncoder {
        guard let upstream = configuration.upstreamColumn else {
            throw TrainingError.invalidHyperparameter(name: "method", value: "supervised-…", expected: "an upstream column (--upstream COL)")
        }
        var upstreamTable = table
        for index in upstreamTable.columns.indices where upstreamTable.columns[index].role == .target {
            upstreamTable.columns[index].role = .ignored
        }
        try upstreamTable.setRole(.target, for: upstream)
        return try SupervisedPretrainer(config: config).fit(upstreamTable, rows: rows)
    }

    static func record(_ candidate: AutoCandidate, scores: Scores, predictions: Predictions, truth: [String]) -> CandidateRecord {
        var record = CandidateRecord(name: candidate.name, loss: candidate.loss, scores: scores)
        if let outOfFold = candidate.outOfFold {
            record.outOfFoldRows = outOfFold.rows
            record.outOfFoldProbabilities = outOfFold.labels.enumerated().map { outOfFold.probabilities[$0.offset, Int($0.element)] }
        }
        if let probabilities = predictions.probabilities {
            record.classNames = predictions.classNames
            record.testProbabilities = probabilities.values
            record.testClasses = truth.map { predictions.classNames.firstIndex(of: $0) ?? -1 }
        }
        return record
    }

    private func fit(_ method: Method, table: Table, rows: [Int], preprocessingRows: [Int], task: TaskType, seed: UInt64,
                     encoder: PretrainedEncoder?, inspect: @escaping ([AutoCandidate]) -> Void) throws -> TabularPredictor {
        if method == .auto || method == .autoCalibrated || method == .selfTraining {
            var auto = AutoConfig()
            if method == .autoCalibrated { auto.chooseBy = .calibratedOutOfFold }
            if method == .selfTraining {
                guard task.isClassification else {
                    throw TrainingError.invalidHyperparameter(name: "method", value: "self-training", expected: "a classification target")
                }
                auto.candidates = [.selfTraining]
            }
            auto.pretraining = configuration.scarf
            auto.pretraining.objective = .scarf
            auto.fineTune = configuration.fineTune
            auto.selection = configuration.selection
            auto.trees = configuration.trees
            auto.seed = seed
            var model = AutoModel(config: auto)
            if configuration.recordCandidates { model.inspect = inspect }
            return try model.fit(table, rows: rows, pool: preprocessingRows, encoder: encoder).predictor
        }
        if method == .scratch, let encoder {
            var config = configuration.fineTune
            config.seed = seed
            config.strategy = .full
            return try FineTuner(config: config).fit(encoder: encoder, table: table, rows: rows)
        }
        if let strategy = method.strategy, let encoder {
            var config = configuration.fineTune
            config.seed = seed
            config.strategy = strategy
            // The upstream column is an input downstream: align (fresh weights for it).
            let (aligned, _) = try TableAlignment.align(encoder, to: table, rows: rows, seed: seed)
            return try FineTuner(config: config).fit(encoder: aligned, table: table, rows: rows)
        }
        if method == .xgboost {
            var config = configuration.trees
            config.seed = seed
            return try GradientBoostedTrees(config: config).fit(table, rows: rows, preprocessingRows: preprocessingRows)
        }
        var config = method == .linear ? configuration.linear : configuration.supervised
        config.seed = seed
        return task.isClassification ? try MLPClassifier(config: config).fit(table, rows: rows, preprocessingRows: preprocessingRows)
            : try MLPRegressor(config: config).fit(table, rows: rows, preprocessingRows: preprocessingRows)
    }
}

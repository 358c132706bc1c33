import Foundation
import PretextAuto
import PretextBaselines
import PretextData
import PretextNN
import PretextSSL
import PretextTransfer

/// Pretrains by next-step prediction on the history it is given, then fine-tunes a
/// forecaster on the same history: the pretrained method when no other series are
/// available, still without look-ahead.
struct PretrainThenForecast: Forecaster {
    var nextStep: NextStepConfig
    var forecast: ForecastConfig
    var name: String { "pretrained" }

    func forecast(history: SeriesCollection, horizon: Int) throws -> [SeriesForecast] {
        let encoder = try NextStepPretrainer(config: nextStep).fit(history)
        return try SeriesForecaster(config: forecast, encoder: encoder).forecast(history: history, horizon: horizon)
    }
}

/// Forecasting: does next-step pretraining help, and how does it compare with the
/// baselines, as the history of the target series shrinks?
///
/// For each history length (the last N steps before each origin, or all) and seed, every
/// method runs the same rolling-origin `Backtest`. `pretrained-<strategy>` fine-tunes an
/// encoder pretrained once per seed on `pretrainingSeries` (other series: no target data,
/// so no leak); without them, it pretrains on each fold's own history.
public struct ForecastComparison {
    public struct Configuration {
        public var horizon = 12
        public var folds = 3
        /// Season length for seasonal naive and MASE; nil: the calendar's, or
        /// `Seasonality.seasonLength` on the history before the earliest origin.
        public var season: Int?
        /// History lengths to compare (nil = everything before the origin).
        public var histories: [Int?] = [nil]
        public var seeds = 3
        public var methods = ["naive", "seasonal-naive", "ar", "theta", "xgboost-lags", "scratch", "pretrained-full"]
        public var forecast = ForecastConfig()
        public var nextStep = NextStepConfig()
        public var trees = GradientBoostedTreesConfig()
        public var pretrainingSeries: SeriesCollection?
        /// Where finished cells are kept for resuming; nil keeps nothing.
        public var cacheDirectory: String?
        /// Published results or other reference points to print under "Where this stands"
        /// (the user's text, shown as given). Nothing is ever added for a data set's name.
        public var references: [String] = []
        public init() {}
    }

    public static let allMethods = ["naive", "seasonal-naive", "ar", "theta", "xgboost-lags", "scratch"] + FineTuneConfig.Strategy.allCases.map { "pretrained-\($0.rawValue)" }

    public var configuration: Configuration
    public var log: (String) -> Void

    public init(configuration: Configuration, log: @escaping (String) -> Void = { _ in }) {
        self.configuration = configuration
        self.log = log
    }

    public static func title(_ method: String) -> String {
        switch method {
        case "naive": return "Naive (last value)"
        case "seasonal-naive": return "Seasonal naive"
        case "ar": return "AR (order by AIC)"
        case "theta": return "Theta (SES with drift)"
        case "xgboost-lags": return "XGBoost on lags"
        case "scratch": return "TCN from scratch"
        default: return pretrainedTitle(method)
        }
    }

    public func run(_ collection: SeriesCollection) throws -> SeriesReport {
        let config = configuration
        let season = try Self.season(collection, config: config)
        var cells: [SeriesReport.Cell] = []
        let total = config.seeds * config.histories.count * config.methods.count
        func historyLabel(_ history: Int?) -> String { history.map { "last \($0) steps of history" } ?? "all history" }
        var remaining = RemainingTime()
        var done = 0, computed = 0
        var deterministic: [String: [String: Double]] = [:]
        let cache = try CellCache<SeriesReport.Cell>(directory: config.cacheDirectory,
                                  data: [collection.contentFingerprint, config.pretrainingSeries?.contentFingerprint ?? "-"],
                                  settings: [config.forecast, config.nextStep, config.trees, [config.horizon, config.folds, season]])
        // The cells still to compute, in order, for the ETA (kept cells cost nothing).
        let toCompute = (0..<config.seeds).flatMap { seed in
            config.histories.flatMap { history in
                config.methods.filter { cache.cached(seed: seed, point: historyLabel(history), method: $0) == nil }
                    .map { (method: $0, point: historyLabel(history)) }
            }
        }
        for seed in 0..<config.seeds {
            var pretrained: SeriesEncoder?
            func encoder() throws -> SeriesEncoder? {
                guard let pretraining = config.pretrainingSeries else { return nil }
                if let pretrained { return pretrained }
                var nextStep = config.nextStep
                nextStep.seed = UInt64(seed)
                let fitted = try NextStepPretrainer(config: nextStep).fit(pretraining)
                log("seed \(seed): pretrained on \(pretraining.count) series for \(fitted.history.epochs.count) epochs")
                pretrained = fitted
                return fitted
            }
            for history in config.histories {
                let label = historyLabel(history)
                let backtest = Backtest(horizon: config.horizon, folds: config.folds, season: season, historyLimit: history)
                let size = history ?? (collection.series.map(\.length).max() ?? 0) - config.horizon
                for method in config.methods {
                    if let cell = cache.cached(seed: seed, point: label, method: method) {
                        cells.append(cell)
                        done += 1
                        log("cell \(done)/\(total): seed \(seed), \(label), \(Self.title(method)): MASE \(String(format: "%.3f", cell.metrics["MASE"] ?? .nan)) (kept from an earlier run)")
                        continue
                    }
                    let stopwatch = Stopwatch()
                    var metrics: [String: Double]
                    if let cached = deterministic["\(label)|\(method)"] {
                        metrics = cached
                    } else {
                        let forecaster = try makeForecaster(method, season: season, seed: UInt64(seed),
                                                            encoder: method.hasPrefix("pretrained") ? try encoder() : nil)
                        let scores = ForecastScores.mean(try backtest.run(collection, forecaster: forecaster))
                        metrics = ["MASE": scores.mase, "sMAPE": scores.smape, "MAE": scores.mae, "RMSE": scores.rmse]
                        if ["naive", "seasonal-naive", "ar", "theta"].contains(method) { deterministic["\(label)|\(method)"] = metrics }
                    }
                    let cell = SeriesReport.Cell(method: method, point: label, size: size, seed: seed, metrics: metrics, seconds: stopwatch.seconds)
                    try cache.store(cell, seed: cell.seed, point: cell.point, method: cell.method)
                    cells.append(cell)
                    done += 1
                    computed += 1
                    remaining.record(method: method, point: label, seconds: cell.seconds)
                    log("cell \(done)/\(total): seed \(seed), \(label), \(Self.title(method)): MASE \(String(format: "%.3f", metrics["MASE"] ?? .nan)) (\(remaining.describe(toCompute[computed...])))")
                }
            }
        }
        let windows = "lookback \(config.nextStep.window.lookback), stride \(config.nextStep.window.stride), up to \(config.nextStep.training.maximumEpochs) epochs with early stopping"
        let pretraining = config.pretrainingSeries.map { "next-step pretraining on \($0.count) other series (\($0.source.lastPathComponentForReport); \(windows)), once per seed" }
            ?? "next-step pretraining on each fold's own history (no other series given; \(windows))"
        let setup = [
            "Data: `\(collection.source.lastPathComponentForReport)`, \(collection.count) series, \(collection.channels) channel(s), \(collection.axis); season length \(season).",
            "Rolling-origin backtest: \(config.folds) origins, \(config.horizon) steps each, the last ending at the series' end; every method sees only the past of each origin.",
            "Seeds: \(config.seeds) (naive, seasonal naive, AR and Theta are deterministic). AR: per series and channel, order 0–24 chosen by AIC on the history before each origin, least squares with a constant, recursive forecasts. Theta: simple exponential smoothing with half the linear trend as drift (Hyndman & Billah 2003, as R's thetaf), on the series divided by classical multiplicative seasonal indices when a 90% autocorrelation test at the season length finds seasonality.",
            "Neural models: TCN encoder (width \(config.forecast.encoder.tcn.width), dilations \(config.forecast.encoder.tcn.dilations.map(String.init).joined(separator: ","))), lookback \(config.forecast.lookback), direct \(config.forecast.horizon)-step linear head, Adam lr \(config.forecast.optimizer.learningRate); \(pretraining).",
            "XGBoost on \(config.forecast.lookback) per-window-normalised lags, one booster per future step.",
        ]
        return SeriesReport(title: "Does next-step pretraining help forecast \(collection.source.lastPathComponentForReport)?", dataset: collection.source.lastPathComponentForReport,
                            task: "forecasting", setup: setup, xAxis: "history of the target series", primaryMetric: "MASE", higherIsBetter: false,
                            metricOrder: ["MASE", "sMAPE", "MAE", "RMSE"], cells: cells, points: config.histories.map { $0.map { "last \($0) steps of history" } ?? "all history" },
                            methods: config.methods, titles: Dictionary(uniqueKeysWithValues: config.methods.map { ($0, Self.title($0)) }),
                            scratch: "scratch", baselines: ["naive", "seasonal-naive", "ar", "theta", "xgboost-lags"], references: config.references)
    }

    /// The season length for seasonal naive and MASE: given, the calendar's, or detected
    /// on what the earliest fold may see — every series cut at its first origin — so no
    /// value after an origin decides it.
    static func season(_ collection: SeriesCollection, config: Configuration) throws -> Int {
        if config.season != nil || collection.axis.seasonLength != nil {
            return Seasonality.seasonLength(collection, given: config.season)
        }
        let earliest = try Backtest(horizon: config.horizon, folds: config.folds, season: 1).folds(of: collection)[0].past
        return Seasonality.seasonLength(earliest)
    }

    func makeForecaster(_ method: String, season: Int, seed: UInt64, encoder: SeriesEncoder?) throws -> Forecaster {
        var forecast = configuration.forecast
        forecast.horizon = configuration.horizon
        forecast.seed = seed
        switch method {
        case "naive": return NaiveForecaster()
        case "seasonal-naive": return SeasonalNaiveForecaster(season: season)
        case "ar": return AutoRegressiveForecaster()
        case "theta": return ThetaForecaster(season: season)
        case "xgboost-lags":
            var trees = configuration.trees
            trees.seed = seed
            return LagTreesForecaster(lookback: forecast.lookback, trees: trees)
        case "scratch": return SeriesForecaster(config: forecast)
        default:
            guard method.hasPrefix("pretrained-"), let strategy = FineTuneConfig.Strategy(rawValue: String(method.dropFirst("pretrained-".count))) else {
                throw DataError.invalidOption(name: "--methods", value: method, reason: "unknown forecasting method; use \(Self.allMethods.joined(separator: ", "))")
            }
            forecast.strategy = strategy
            if let encoder { return SeriesForecaster(config: forecast, encoder: encoder) }
            var nextStep = configuration.nextStep
            nextStep.seed = seed
            return PretrainThenForecast(nextStep: nextStep, forecast: forecast)
        }
    }
}

/// Series classification: label-efficiency of next-step and contrastive pretraining
/// against 1-NN, MiniRocket, XGBoost on the raw values and the same TCN from scratch, on
/// a fixed train/test split (the UCR protocol). Per seed: nested, stratified label
/// budgets of the training series; each pretraining once on every training series
/// (labels unused) plus `unlabeled`; `auto` chooses among MiniRocket and the TCNs by
/// cross-validation on the budget series alone; scores on every test series.
public struct SeriesClassificationComparison {
    public struct Configuration {
        public var budgets: [LabelBudget] = [.fraction(0.1), .fraction(1)]
        public var seeds = 5
        /// Default: the baselines, the TCN from scratch, next-step pretraining with full
        /// fine-tuning, contrastive pretraining with a linear probe, with a ridge classifier
        /// on the frozen encoder's pooled features and on its step features, and with full
        /// fine-tuning, and `auto` (the choice among them by cross-validation on the budget).
        public var methods = ["1nn", "minirocket", "xgboost", "scratch", "pretrained-full", "contrastive-linear-probe", "contrastive-ridge",
                              "contrastive-ridge-steps", "contrastive-full", "auto"]
        public var fineTune = FineTuneConfig.seriesClassification
        public var encoder = SeriesEncoderConfig()
        public var nextStep = NextStepConfig()
        /// Contrastive pretraining for the `contrastive-<strategy>` methods.
        public var contrastive = ContrastiveSeriesConfig()
        public var trees = GradientBoostedTreesConfig()
        /// The MiniRocket baseline's transform (10,000 features; its ridge chooses α by
        /// leave-one-out cross-validation on the budget series).
        public var minirocket = MiniRocketConfig()
        public var unlabeled: SeriesCollection?
        /// Where the series are in the train and test tables: wide (default) or long
        /// (multivariate, any lengths; XGBoost on raw values needs wide).
        public var columns = SeriesColumns()
        /// Where finished cells are kept for resuming; nil keeps nothing.
        public var cacheDirectory: String?
        /// Published results or other reference points to print under "Where this stands"
        /// (the user's text, shown as given). Nothing is ever added for a data set's name.
        public var references: [String] = []
        public init() {}
    }

    public static let allMethods = ["1nn", "minirocket", "xgboost", "scratch"] + FineTuneConfig.Strategy.allCases.map { "pretrained-\($0.rawValue)" }
        + FineTuneConfig.Strategy.allCases.map { "contrastive-\($0.rawValue)" } + ["contrastive-ridge", "contrastive-ridge-steps", "contrastive-ridge-max", "auto"]

    public var configuration: Configuration
    public var log: (String) -> Void

    public init(configuration: Configuration, log: @escaping (String) -> Void = { _ in }) {
        self.configuration = configuration
        self.log = log
    }

    public static func title(_ method: String) -> String {
        switch method {
        case "1nn": return "1-NN (Euclidean)"
        case "minirocket": return "MiniRocket + ridge"
        case "xgboost": return "XGBoost on raw values"
        case "scratch": return "TCN from scratch"
        case "auto": return "Auto (chosen by cross-validation)"
        case "contrastive-ridge": return "Contrastive pretrained, frozen + ridge"
        case "contrastive-ridge-steps": return "Contrastive pretrained, frozen steps + ridge"
        case "contrastive-ridge-max": return "Contrastive pretrained, frozen max-pooled + ridge"
        case let method where method.hasPrefix("contrastive-"):
            return "Contrastive pretrained + " + method.dropFirst("contrastive-".count).replacingOccurrences(of: "-", with: " ")
        default: return pretrainedTitle(method)
        }
    }

    public func run(train: Table, test: Table) throws -> SeriesReport {
        let config = configuration
        for method in config.methods where !Self.allMethods.contains(method) {
            throw DataError.invalidOption(name: "--methods", value: method, reason: "unknown classification method; use \(Self.allMethods.joined(separator: ", "))")
        }
        guard let targetColumn = train.target else { throw TrainingError.notEnoughData(reason: "the training table has no target column") }
        if config.columns.isLong && config.methods.contains("xgboost") {
            throw DataError.invalidOption(name: "--methods", value: "xgboost",
                                          reason: "XGBoost on raw values reads wide files (one series per row); leave it out for the long layout")
        }
        let columns = config.columns.resolved(in: train, labelColumn: targetColumn.name)
        let (unlabeledSeries, trainRows) = try columns.read(train, labelColumn: targetColumn.name)
        let (testSeries, testRows) = try columns.read(test, labelColumn: targetColumn.name)
        let task = try TaskType.infer(for: targetColumn, path: train.source)
        guard task.isClassification else {
            throw DataError.invalidTarget(path: train.source, column: targetColumn.name,
                                          reason: "series classification needs class labels, and this column looks continuous")
        }
        let labeledRows = trainRows.labeledRows
        let classes = try TargetEncoder.fit(trainRows, rows: labeledRows, task: task).classIndices(trainRows, rows: labeledRows)
        let testTruth = (0..<testRows.rowCount).map { testRows[targetColumn.name]?.text(at: $0) ?? "" }
        let pool = try config.unlabeled.map { try unlabeledSeries.appending($0) } ?? unlabeledSeries
        let length = unlabeledSeries.series.map(\.length).max() ?? 0
        var nextStep = config.nextStep
        nextStep.window.lookback = min(nextStep.window.lookback, max(2, length * 2 / 3))
        var cells: [SeriesReport.Cell] = []
        let total = config.seeds * config.budgets.count * config.methods.count
        var remaining = RemainingTime(), computed = 0
        var sizes: [String: Int] = [:]
        var contrastive = config.contrastive
        contrastive.encoder = config.encoder
        let cache = try CellCache<SeriesReport.Cell>(directory: config.cacheDirectory,
                                  data: [train.contentFingerprint, test.contentFingerprint, config.unlabeled?.contentFingerprint ?? "-"],
                                  settings: [config.fineTune, config.encoder, nextStep, config.trees, config.minirocket, columns, contrastive])
        func pointLabel(_ budget: LabelBudget, series: Int) -> String { "\(budget) labels (\(series) series)" }
        // The cells still to compute, in order, for the ETA (kept cells cost nothing).
        let toCompute = try (0..<config.seeds).flatMap { seed in
            let sampler = LabelBudgetSampler(rows: labeledRows, classes: classes, seed: UInt64(seed))
            return try config.budgets.flatMap { budget in
                let key = pointLabel(budget, series: try sampler.rows(for: budget).count)
                return config.methods.filter { cache.cached(seed: seed, point: key, method: $0) == nil }
                    .map { (method: $0, point: budget.description) }
            }
        }
        for seed in 0..<config.seeds {
            let sampler = LabelBudgetSampler(rows: labeledRows, classes: classes, seed: UInt64(seed))
            var pretrained: [String: SeriesEncoder] = [:]   // by objective, once per seed
            func encoder(_ objective: String) throws -> SeriesEncoder {
                if let cached = pretrained[objective] { return cached }
                let fitted: SeriesEncoder
                if objective == "contrastive" {
                    contrastive.seed = UInt64(seed)
                    fitted = try ContrastiveSeriesPretrainer(config: contrastive).fit(pool)
                } else {
                    nextStep.seed = UInt64(seed)
                    fitted = try NextStepPretrainer(config: nextStep).fit(pool)
                }
                log("seed \(seed): \(objective) pretraining on \(pool.count) series (windows of \(fitted.lookback) steps) stopped after \(fitted.history.epochs.count) epochs")
                pretrained[objective] = fitted
                return fitted
            }
            for budget in config.budgets {
                let rows = try sampler.rows(for: budget)
                sizes[budget.description] = rows.count
                let point = pointLabel(budget, series: rows.count)
                for method in config.methods {
                    if let cell = cache.cached(seed: seed, point: point, method: method) {
                        cells.append(cell)
                        log("cell \(cells.count)/\(total): seed \(seed), \(budget) labels, \(Self.title(method)): accuracy \(String(format: "%.4f", cell.metrics["accuracy"] ?? .nan)) (kept from an earlier run)")
                        continue
                    }
                    let stopwatch = Stopwatch()
                    let predictor: TabularPredictor
                    switch method {
                    case "1nn": predictor = try NearestNeighbourClassifier().fit(train, columns: columns, rows: rows)
                    case "minirocket":
                        var minirocket = config.minirocket
                        minirocket.seed = UInt64(seed)
                        predictor = try MiniRocketClassifier(config: minirocket).fit(train, columns: columns, rows: rows)
                    case "xgboost":
                        var trees = config.trees
                        trees.seed = UInt64(seed)
                        predictor = try GradientBoostedTrees(config: trees).fit(train, rows: rows)
                    case "auto":
                        var auto = SeriesAutoConfig()
                        (auto.encoder, auto.fineTune, auto.contrastive, auto.nextStep) = (config.encoder, config.fineTune, contrastive, nextStep)
                        (auto.minirocket, auto.seed) = (config.minirocket, UInt64(seed))
                        let choice = try SeriesAutoClassifier(config: auto).fit(train, columns: columns, rows: rows,
                                                                              pretrained: ["contrastive": try encoder("contrastive"), "next-step": try encoder("next-step")])
                        log("seed \(seed), \(budget) labels: auto chose \(choice.chosen.rawValue) (\(choice.validation))")
                        predictor = choice.model
                    case "contrastive-ridge", "contrastive-ridge-steps", "contrastive-ridge-max":
                        let features = EncoderRidgeClassifier.Features(rawValue: String(method.dropFirst("contrastive-ridge-".count))) ?? .pooled
                        predictor = try EncoderRidgeClassifier(features: features)
                            .fit(train, columns: columns, rows: rows, pretrained: try encoder("contrastive"))
                    case let method where method.hasPrefix("contrastive-"):
                        var fineTune = config.fineTune
                        fineTune.seed = UInt64(seed)
                        fineTune.strategy = FineTuneConfig.Strategy(rawValue: String(method.dropFirst("contrastive-".count))) ?? .full
                        predictor = try SeriesClassifier(fineTune: fineTune, encoderConfig: config.encoder, encoder: try encoder("contrastive"))
                            .fit(train, columns: columns, rows: rows)
                    default:
                        var fineTune = config.fineTune
                        fineTune.seed = UInt64(seed)
                        if let strategy = FineTuneConfig.Strategy(rawValue: String(method.dropFirst("pretrained-".count))), method.hasPrefix("pretrained-") {
                            fineTune.strategy = strategy
                            predictor = try SeriesClassifier(fineTune: fineTune, encoderConfig: config.encoder, encoder: try encoder("next-step")).fit(train, columns: columns, rows: rows)
                        } else {
                            predictor = try SeriesClassifier(fineTune: fineTune, encoderConfig: config.encoder).fit(train, columns: columns, rows: rows)
                        }
                    }
                    let scores = Scores.classification(try predictor.predictions(test).predictions, truth: testTruth)
                    var metrics = ["accuracy": scores.accuracy ?? .nan, "macro-F1": scores.macroF1 ?? .nan, "log loss": scores.logLoss ?? .nan]
                    if let auc = scores.rocAUC { metrics["ROC-AUC"] = auc }
                    let cell = SeriesReport.Cell(method: method, point: point, size: rows.count, seed: seed, metrics: metrics, seconds: stopwatch.seconds)
                    try cache.store(cell, seed: cell.seed, point: cell.point, method: cell.method)
                    cells.append(cell)
                    remaining.record(method: method, point: budget.description, seconds: cell.seconds)
                    computed += 1
                    log("cell \(cells.count)/\(total): seed \(seed), \(budget) labels, \(Self.title(method)): accuracy \(String(format: "%.4f", scores.accuracy ?? .nan)) (\(remaining.describe(toCompute[computed...])))")
                }
            }
        }
        let name = train.source.lastPathComponentForReport
        let setup = [
            "Data: `\(name)` (\(unlabeledSeries.count) training series, \(Self.lengths(unlabeledSeries)), \(unlabeledSeries.channels) channel\(unlabeledSeries.channels == 1 ? "" : "s")), tested on `\(test.source.lastPathComponentForReport)` (\(testSeries.count) series, \(Self.lengths(testSeries))); classes \(Set(testTruth).sorted().joined(separator: ", ")).",
            "Seeds: \(config.seeds); each draws its own nested, stratified label budgets: " + config.budgets.map { "\($0) = \(sizes[$0.description] ?? 0) series" }.joined(separator: ", ") + ".",
            "Next-step pretraining once per seed on \(pool.count) series (every training series, labels unused" + (config.unlabeled.map { ", plus \($0.count) from \($0.source.lastPathComponentForReport)" } ?? "") + "), lookback \(nextStep.window.lookback), up to \(nextStep.training.maximumEpochs) epochs with early stopping; test series are never seen before scoring.",
            "TCN encoder width \(config.encoder.tcn.width), dilations \(config.encoder.tcn.dilations.map(String.init).joined(separator: ",")), \(config.encoder.tcn.pooling.rawValue) pooling, reading each series standardised per channel by the training series' mean and standard deviation; head \(config.fineTune.headDepth)×\(config.fineTune.headWidth); Adam lr \(config.fineTune.optimizer.learningRate); early stopping on a hold-out of the budget when it has ≥ \(config.fineTune.minimumValidationRows) series, else " + (config.fineTune.stepsWithoutValidation.map { "\($0) optimizer steps." } ?? "\(config.fineTune.epochsWithoutValidation) epochs."),
        ] + (config.methods.contains { $0.hasPrefix("contrastive-") || $0 == "auto" } ? [
            contrastive.summary(series: pool.count),
        ] : []) + (config.methods.contains("auto") ? [
            "Auto: MiniRocket, the TCN from scratch, contrastive + linear probe, contrastive frozen + ridge on pooled and on step features, contrastive + full and next-step + full, each scored by repeated stratified k-fold cross-validation on the budget series only (k ≤ 5 and ≤ the smallest class's count, 2 repeats; MiniRocket when some class has one series), the best mean accuracy refitted on the whole budget.",
        ] : []) + (config.methods.contains("contrastive-ridge") ? [
            "Contrastive frozen + ridge: the contrastively pretrained TCN is not trained further; its pooled features of every series feed the same leave-one-out ridge classifier as MiniRocket (the frozen-encoder evaluation of TS2Vec and TS-TCC).",
        ] : []) + (config.methods.contains("contrastive-ridge-max") ? [
            "Contrastive frozen max-pooled + ridge: the same ridge on the frozen TCN's step representations max-pooled over the observed steps (TS2Vec's instance representation).",
        ] : []) + (config.methods.contains("contrastive-ridge-steps") ? [
            "Contrastive frozen steps + ridge: the same ridge on the frozen TCN's representation at every step, side by side (steps × width features), so where in the series something happened is kept."
                ] : []) + (config.methods.contains("minirocket") ? [
            "MiniRocket (Dempster et al. 2021): 84 fixed kernels × dilations, \(config.minirocket.features / 84 * 84) PPV features with biases from training-series quantiles, then a ridge classifier with α chosen by leave-one-out cross-validation among 10⁻³ … 10³ (scikit-learn's RidgeClassifierCV, features scaled by their standard deviation).",
        ] : []) + (config.methods.contains("xgboost") ? [
            "XGBoost on the raw values: \(config.trees.trials) random-search trials when the budget allows a hold-out, else XGBoost's defaults — which cannot split fewer than 8 rows (min_child_weight 1 against logistic hessians ≤ 0.25), so at a handful of labels it predicts one class.",
        ] : [])
        return SeriesReport(title: "Does pretraining help classify \(name)?", dataset: name, task: "series classification", setup: setup,
                            xAxis: "label budget (labeled training series)", primaryMetric: "accuracy", higherIsBetter: true,
                            metricOrder: ["accuracy", "macro-F1", "log loss", "ROC-AUC"], cells: cells,
                            points: config.budgets.map { "\($0) labels (\(sizes[$0.description] ?? 0) series)" }, methods: config.methods,
                            titles: Dictionary(uniqueKeysWithValues: config.methods.map { ($0, Self.title($0)) }),
                            scratch: "scratch", baselines: ["1nn", "minirocket", "xgboost"], references: config.references)
    }
}

extension SeriesClassificationComparison {
    /// "length 24" or "lengths 7–26".
    static func lengths(_ collection: SeriesCollection) -> String {
        let lengths = collection.series.map(\.length)
        guard let low = lengths.min(), let high = lengths.max() else { return "no steps" }
        return low == high ? "length \(low)" : "lengths \(low)–\(high)"
    }
}

/// "pretrained-freeze-then-unfreeze" → "Next-step pretrained + freeze then unfreeze".
private func pretrainedTitle(_ method: String) -> String {
    "Next-step pretrained + " + method.replacingOccurrences(of: "pretrained-", with: "").replacingOccurrences(of: "-", with: " ")
}

extension String {
    var lastPathComponentForReport: String { (self as NSString).lastPathComponent }
}

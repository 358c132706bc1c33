import ArgumentParser
import Foundation
import Pretext

struct SeriesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "series",
        abstract: "Time series: next-step pretraining, forecasting, series classification, comparisons.",
        discussion: """
        Layouts: long (--series-id COL --time COL: one row per series and time), single \
        (--time COL, or rows in order: one series), wide (--wide: one series per row, \
        columns in time order, the UCR layout; --target names the class column).

        Examples:
          pretext series pretrain datasets/chicago_ridership.csv --time date \\
              --channels-as-series -o encoder.safetensors
          pretext series forecast datasets/airline.csv --time date --value \\
              passengers --horizon 12 -o forecast.csv
          pretext series classify datasets/italy_power_demand_train.csv --target \\
              target -o model.safetensors
          pretext series compare datasets/airline.csv --time date --value passengers \\
              --horizon 12 --histories 36,60,all \\
              --methods seasonal-naive,ar,theta,scratch
        """,
        subcommands: [SeriesPretrainCommand.self, SeriesForecastCommand.self, SeriesClassifyCommand.self, SeriesCompareCommand.self]
    )
}

enum SeriesObjective: String, ExpressibleByArgument, CaseIterable {
    case nextStep = "next-step", contrastive
}

struct SeriesPretrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pretrain",
        abstract: "Pretrain a series encoder on unlabeled series: next-step prediction or contrastive views.",
        discussion: """
        --objective next-step (default; for forecasting): every window of --lookback steps \
        of every series (DATA and each --unlabeled file) predicts the next value of every \
        channel; MSE on per-window normalised values. Early stopping on held-out series \
        (or the last stretch of each series when there are fewer than 10). \
        --objective contrastive (for classification): two random crops of each series \
        (half the longest series; --views subseries: a crop and a stretch of it), \
        jittered, scaled and partly masked, are pulled together and pushed from the other \
        series by InfoNCE (τ 0.5); early stopping on held-out series from \
        --early-stopping-series (100) series on, else --pretrain-steps optimizer steps. \
        Writes an encoder for series forecast / classify --encoder. Started by \
        Open MPI's mpirun with several ranks, next-step pretraining runs data-parallel as \
        pretext pretrain does, both objectives.

        Examples:
          pretext series pretrain datasets/chicago_ridership.csv --time date \\
              --channels-as-series -o encoder.safetensors
          pretext series pretrain datasets/italy_power_demand_train.csv --wide \\
              --target target --lookback 16 -o italy-encoder.safetensors
          pretext series pretrain datasets/japanese_vowels_train.csv --series-id \\
              series_id --time t --target target --objective contrastive -o \\
              vowels-encoder.safetensors
        """
    )

    @Argument(help: "A CSV of series (- reads standard input).") var data: String
    @Option(help: "Another CSV of series in the same layout (repeatable).") var unlabeled: [String] = []
    @Option(help: "The class column, excluded from the values (labels are not used).") var target: String?
    @Option(help: "next-step (forecasting) or contrastive (classification).") var objective: SeriesObjective = .nextStep
    @Option(name: .shortAndLong, help: "Where to write the encoder (.safetensors).") var output: String
    @OptionGroup var layout: SeriesLayoutOptions
    @OptionGroup var model: SeriesEncoderOptions
    @OptionGroup var pretraining: SeriesPretrainOptions
    @OptionGroup var runOptions: RunOptions
    @OptionGroup var read: ReadOptionsGroup
    @Option(name: .customLong("epochs"), help: .hidden) var deprecatedEpochs: Int?
    @Option(name: .customLong("patience"), help: .hidden) var deprecatedPatience: Int?
    @Option(name: .customLong("stride"), help: .hidden) var deprecatedStride: Int?
    @Option(name: .customLong("learning-rate"), help: .hidden) var deprecatedLearningRate: Float?

    mutating func validate() throws {
        try adoptDeprecated(deprecatedEpochs, "--epochs", into: &pretraining.pretrainEpochs, default: 100, "--pretrain-epochs")
        try adoptDeprecated(deprecatedPatience, "--patience", into: &pretraining.pretrainPatience, "--pretrain-patience")
        try adoptDeprecated(deprecatedStride, "--stride", into: &pretraining.pretrainStride, default: 1, "--pretrain-stride")
        try adoptDeprecated(deprecatedLearningRate, "--learning-rate", into: &pretraining.pretrainLearningRate, default: 1e-3,
                            "--pretrain-learning-rate")
        (deprecatedEpochs, deprecatedPatience, deprecatedStride, deprecatedLearningRate) = (nil, nil, nil, nil)
        try pretraining.validate()
        try pretraining.validate(encoderKind: model.encoderKind)
    }

    var settings: SeriesSettings {
        var settings = SeriesSettings()
        model.apply(to: &settings)
        pretraining.apply(to: &settings)
        settings.seed = runOptions.seed
        return settings
    }

    func run() throws {
        try reportingErrors(distributed: true) { communicator in
            _ = try loadBLAS(threads: read.threads)
            let collection = try SeriesWorkflow.read([data] + unlabeled, source: layout.source(labelColumn: target), options: try read.readOptions())
            if communicator.isRoot { for line in collection.summary { printError("series: \(line)") } }
            if objective == .contrastive && collection.count < 2 && !layout.wide && layout.seriesId == nil {
                throw SeriesError.noSeries(path: data, reason: "contrastive pretraining compares series with one another, and read with one row per time step "
                                           + "this is 1 series (\(collection.series.first?.length ?? 0) steps, \(collection.channels) channels). "
                                           + "If each row is a series (the UCR layout), add --wide; if rows belong to several series, add --series-id COL --time COL")
            }
            let progress = ProgressReporter(label: "pretrain epoch", quiet: runOptions.quiet)
            let encoder = objective == .contrastive
                ? try ContrastiveSeriesPretrainer(config: settings.contrastive, progress: progress, communicator: communicator).fit(collection)
                : try NextStepPretrainer(config: settings.nextStep, progress: progress, communicator: communicator).fit(collection)
            guard communicator.isRoot else { return }
            if communicator.size > 1 { printError(communicator.summary) }
            try encoder.save(to: output)
            let best = encoder.history.epochs.first { $0.epoch == encoder.history.bestEpoch }?.validationLoss
            let measure = objective == .contrastive ? "InfoNCE" : "next-step MSE (normalised)"
            printError("pretrained (\(objective.rawValue)) on \(collection.count) series for \(encoder.history.epochs.count) epochs"
                       + (best.map { "; best held-out \(measure) \(Trainer.format($0)) at epoch \(encoder.history.bestEpoch)" }
                          ?? (objective == .contrastive ? " (\(settings.contrastive.steps) optimizer steps: fewer than \(settings.contrastive.earlyStoppingSeries) series are too few to hold out for early stopping)" : "")))
            print("wrote \(output)")
        }
    }
}

struct SeriesForecastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Fit a forecaster on the series' history and write the next --horizon steps.",
        discussion: """
        Direct multi-step forecasts: the encoder reads the last --lookback steps and one \
        head outputs all --horizon future steps of every channel (no recursion). With \
        --encoder the pretrained encoder is fine-tuned (--strategy); without, the same \
        network trains from scratch. --method seasonal-naive | naive | ar | theta | xgboost-lags gives \
        the baselines instead. Output: series_id, time, step, one column per value.

        Examples:
          pretext series forecast datasets/airline.csv --time date --value \\
              passengers --horizon 12 -o forecast.csv
          pretext series forecast datasets/airline.csv --time date --value \\
              passengers --horizon 12 --encoder encoder.safetensors -o forecast.csv
          pretext series forecast sales.csv --series-id store --time day --value \\
              sales --horizon 28 --fill missing -o -
          pretext series forecast history.csv --time date --value passengers --model \\
              forecaster.safetensors -o next.csv
        """
    )

    enum Method: String, ExpressibleByArgument, CaseIterable { case neural, naive, seasonalNaive = "seasonal-naive", ar, theta, xgboostLags = "xgboost-lags" }

    @Argument(help: "A CSV of series (- reads standard input).") var data: String
    @Option(help: "Future steps to forecast.") var horizon = 12
    @Option(help: "A pretrained encoder (pretext series pretrain).") var encoder: String?
    @Option(help: "A saved forecaster (--save-model): forecast DATA with it, no training.") var model: String?
    @Option(help: "How to adapt the encoder: linear-probe, full or freeze-then-unfreeze.") var strategy: FineTuneConfig.Strategy = .full
    @Option(help: "neural (default), naive, seasonal-naive, ar (autoregressive, order by AIC), theta (SES with drift) or xgboost-lags.")
    var method: Method = .neural
    @Option(help: "Season length for seasonal-naive (default: from the frequency, else detected).") var season: Int?
    @Option(help: "XGBoost random-search trials (--method xgboost-lags; used when there are ≥ 30 hold-out windows).") var baselineTrials = 20
    @Option(help: "Also save the fitted neural model here (.safetensors).") var saveModel: String?
    @Option(name: .shortAndLong, help: "Where to write the forecasts (- for standard output).") var output: String
    @OptionGroup var layout: SeriesLayoutOptions
    @OptionGroup var encoderOptions: SeriesEncoderOptions
    @OptionGroup var fineTune: FineTuneTrainingOptions
    @OptionGroup var runOptions: RunOptions
    @OptionGroup var read: ReadOptionsGroup

    var settings: SeriesSettings {
        var settings = SeriesSettings()
        encoderOptions.apply(to: &settings)
        fineTune.apply(to: &settings)
        settings.strategy = strategy
        settings.baselineTrials = baselineTrials
        settings.threads = read.threads
        settings.seed = runOptions.seed
        return settings
    }

    func validate() throws {
        if model != nil && (encoder != nil || saveModel != nil || method != .neural) {
            throw ValidationError("--model forecasts with a saved forecaster; it cannot be combined with --encoder, --save-model or --method.")
        }
        guard horizon >= 1 else { throw ValidationError("--horizon must be at least 1 (got \(horizon)).") }
        if let season, season < 1 { throw ValidationError("--season must be at least 1 (got \(season)).") }
        if method != .neural && (encoder != nil || saveModel != nil) { throw ValidationError("--encoder and --save-model apply to --method neural only.") }
        guard baselineTrials >= 0 else { throw ValidationError("--baseline-trials must be 0 or more (got \(baselineTrials)).") }
    }

    func run() throws {
        try reportingErrors {
            _ = try loadBLAS(threads: read.threads)
            let collection = try SeriesWorkflow.read(data, source: layout.source(), options: try read.readOptions())
            for line in collection.summary { printError("series: \(line)") }
            let settings = self.settings
            let config = settings.forecast(horizon: horizon)
            let forecasts: [SeriesForecast]
            switch method {
            case .neural where model != nil:
                let saved = try ForecastModel.load(from: model!)
                forecasts = try saved.forecast(collection)
                if saved.horizon != horizon { printError("note: the saved forecaster forecasts \(saved.horizon) steps (its training horizon); --horizon is ignored") }
            case .neural:
                let pretrained = try encoder.map { try SeriesEncoder.load(from: $0) }
                let fitted = try SeriesForecaster(config: config, encoder: pretrained,
                                                  progress: ProgressReporter(label: "epoch", quiet: runOptions.quiet)).fit(collection)
                if let saveModel { try fitted.save(to: saveModel) }
                forecasts = try fitted.forecast(collection)
                printError("trained \(pretrained == nil ? "from scratch" : "from the pretrained encoder (\(strategy.rawValue))") for \(fitted.history.epochs.count) epochs")
            case .naive: forecasts = try NaiveForecaster().forecast(history: collection, horizon: horizon)
            case .ar: forecasts = try AutoRegressiveForecaster().forecast(history: collection, horizon: horizon)
            case .theta:
                forecasts = try ThetaForecaster(season: Seasonality.seasonLength(collection, given: season)).forecast(history: collection, horizon: horizon)
            case .seasonalNaive:
                forecasts = try SeasonalNaiveForecaster(season: Seasonality.seasonLength(collection, given: season)).forecast(history: collection, horizon: horizon)
            case .xgboostLags:
                forecasts = try LagTreesForecaster(lookback: settings.lookback, trees: settings.trees).forecast(history: collection, horizon: horizon)
            }
            try SeriesForecast.csv(forecasts, collection: collection).write(to: output)
            if output != "-" { printError("wrote \(forecasts.count) × \(horizon) forecasts to \(output)") }
        }
    }
}

struct SeriesCompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Does pretraining help? Forecasting (vs history) or classification (vs label budget) reports.",
        discussion: """
        Classification (with --test): on the given train/test split, label budgets of the \
        training series (--labels), methods 1nn, minirocket, xgboost, scratch, \
        pretrained-<strategy> (next-step pretraining), contrastive-<strategy> \
        (contrastive pretraining), contrastive-ridge (the contrastive encoder frozen, a \
        ridge classifier on its pooled features), contrastive-ridge-steps (the same ridge \
        on its features at every step) and auto (chosen by cross-validation on the \
        budget); wide \
        files, or long ones with --series-id and --time (multivariate, any lengths; every \
        method but xgboost); pretraining uses every training series (labels unused) and \
        --unlabeled files. \
        Forecasting (without --test): a rolling-origin backtest (--folds origins of \
        --horizon steps) for each amount of target history (--histories), methods naive, \
        seasonal-naive, ar, theta, xgboost-lags, scratch and pretrained-<strategy>; pretraining uses \
        the --unlabeled files (read with --channels-as-series when given), else each fold's \
        own history. Writes report.md, report.html (with the chart) and report.json, plus \
        one file per finished cell in cells/: running the same command again resumes.

        Examples:
          pretext series compare datasets/airline.csv --time date --value passengers \\
              --horizon 12 --histories 36,60,all
          pretext series compare datasets/airline.csv --time date --value passengers \\
              --unlabeled datasets/chicago_ridership.csv --unlabeled-time date
          pretext series compare datasets/italy_power_demand_train.csv --test \\
              datasets/italy_power_demand_test.csv --target target --labels 10%,100%
          pretext series compare datasets/japanese_vowels_train.csv --test \\
              datasets/japanese_vowels_test.csv --series-id series_id --time t \\
              --target target --methods 1nn,minirocket,scratch
        """
    )

    @Argument(help: "The series CSV (forecasting) or the training CSV (classification); - reads standard input.") var data: String
    @Option(help: "Classification: the test CSV (same layout and columns).") var test: String?
    @Option(help: "Classification: the class column.") var target: String?
    @Option(help: "Classification: comma-separated label budgets.") var labels = "10%,100%"
    @Option(help: "Forecasting: future steps per origin.") var horizon = 12
    @Option(help: "Forecasting: backtest origins.") var folds = 3
    @Option(help: "Forecasting: comma-separated history lengths before each origin (steps, or all).") var histories = "all"
    @Option(help: "Forecasting: season length (default: from the frequency, else detected).") var season: Int?
    @Option(help: "Extra series for pretraining (repeatable). Forecasting: read as univariate series.") var unlabeled: [String] = []
    @Option(help: "The time column of the --unlabeled files (forecasting).") var unlabeledTime: String?
    @Option(help: "Comma-separated methods (default: all baselines, scratch, pretrained-full and, for classification, contrastive-linear-probe, contrastive-ridge, contrastive-ridge-steps, contrastive-full and auto).")
    var methods: String?
    @Option(help: "Repeats: seeds 0..<N, each its own pretraining and label budgets.") var repeats = 3
    @Option(help: "XGBoost random-search trials.") var baselineTrials = 20
    @Option(name: .shortAndLong, help: "Report folder (report.md, report.html, report.json, cells/).") var output = "series-report"
    @Option(help: "A published result or other reference point to print under \"Where this stands\" (repeatable).") var reference: [String] = []
    @Flag(help: "No progress lines on standard error.") var quiet = false
    @OptionGroup var layout: SeriesLayoutOptions
    @OptionGroup var model: SeriesEncoderOptions
    @OptionGroup var pretraining: SeriesPretrainOptions
    @OptionGroup var fineTune: FineTuneTrainingOptions
    @OptionGroup var classifier: SeriesClassifierOptions
    @OptionGroup var read: ReadOptionsGroup
    @Option(name: .customLong("seeds"), help: .hidden) var deprecatedSeeds: Int?

    mutating func validate() throws {
        try adoptDeprecated(deprecatedSeeds, "--seeds", into: &repeats, default: 3, "--repeats")
        deprecatedSeeds = nil
        guard repeats >= 1, folds >= 1, horizon >= 1, baselineTrials >= 0 else {
            throw ValidationError("--repeats, --folds and --horizon must be at least 1; --baseline-trials at least 0.")
        }
        if test != nil && target == nil { throw ValidationError("classification (--test) needs --target.") }
        try pretraining.validate(encoderKind: model.encoderKind)
        _ = try historyList()
        _ = try budgets()
    }

    func historyList() throws -> [Int?] {
        try histories.split(separator: ",").map { text -> Int? in
            if text == "all" { return nil }
            guard let value = Int(text), value >= 2 else { throw ValidationError("--histories takes step counts ≥ 2 or \"all\" (got \"\(text)\").") }
            return value
        }
    }

    func budgets() throws -> [LabelBudget] {
        try labels.split(separator: ",").map { text in
            do { return try LabelBudget(parsing: String(text)) } catch let error as DataError { throw ValidationError(error.description) }
        }
    }

    func run() throws {
        try reportingErrors {
            _ = try loadBLAS(threads: read.threads)
            let options = try read.readOptions()
            let quiet = self.quiet
            let log: (String) -> Void = { if !quiet { printError($0) } }
            var settings = SeriesSettings()
            model.apply(to: &settings)
            pretraining.apply(to: &settings)
            fineTune.apply(to: &settings)
            classifier.apply(to: &settings)
            settings.baselineTrials = baselineTrials
            settings.threads = read.threads
            let methodList = methods.map { $0.split(separator: ",").map(String.init) }
            let report: SeriesReport
            if let test, let target {
                let (train, _) = try Workflow.readTable(data, target: target, idColumns: [], options: options)
                let (testTable, _) = try Workflow.readTable(test, target: target, idColumns: [], options: options)
                let columns = SeriesColumns(seriesID: layout.seriesId, time: layout.time, valueColumns: layout.value)
                var configuration = try SeriesClassificationComparison.Configuration(settings: settings, budgets: try budgets(), repeats: repeats,
                                                                                     methods: methodList, columns: columns)
                configuration.cacheDirectory = output + "/cells"
                configuration.references = reference
                if !unlabeled.isEmpty {
                    configuration.unlabeled = try SeriesWorkflow.read(unlabeled, source: .init(layout: columns.layout, valueColumns: layout.value,
                                                                                               labelColumn: target), options: options)
                }
                report = try SeriesClassificationComparison(configuration: configuration, log: log).run(train: train, test: testTable)
            } else {
                let collection = try SeriesWorkflow.read(data, source: layout.source(), options: options)
                for line in collection.summary { log("series: \(line)") }
                var configuration = try ForecastComparison.Configuration(settings: settings, horizon: horizon, folds: folds, season: season,
                                                                         histories: try historyList(), repeats: repeats, methods: methodList)
                configuration.cacheDirectory = output + "/cells"
                configuration.references = reference
                if !unlabeled.isEmpty {
                    let source = SeriesWorkflow.Source(layout: .single(time: unlabeledTime), fill: layout.fill, channelsAsSeries: true)
                    configuration.pretrainingSeries = try SeriesWorkflow.read(unlabeled, source: source, options: options)
                }
                report = try ForecastComparison(configuration: configuration, log: log).run(collection)
            }
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            try AtomicFile.write(Array(report.markdown().utf8), to: output + "/report.md")
            try AtomicFile.write(Array(report.html().utf8), to: output + "/report.html")
            try AtomicFile.write(try report.json(), to: output + "/report.json")
            print(report.markdown())
            printError("wrote \(output)/report.md, report.html and report.json")
        }
    }
}

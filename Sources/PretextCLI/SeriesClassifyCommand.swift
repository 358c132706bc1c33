import ArgumentParser
import Foundation
import Pretext

struct SeriesClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Train a series classifier (wide or long layout) and save it; pretext predict serves it.",
        discussion: """
        Wide layout (default): each row is a series (columns in time order) with its class \
        in --target. Long layout (--series-id COL --time COL): one row per series and time \
        step, the value columns are channels (multivariate), series may differ in length, \
        and every row of a series carries its class; predict then writes one row per \
        series. With \
        --encoder, a next-step-pretrained encoder is fine-tuned (--strategy); without, the \
        TCN trains from scratch; --method encoder-ridge keeps the --encoder frozen and fits \
        a ridge classifier (leave-one-out regularisation) on its features, the \
        frozen-encoder protocol of TS2Vec and TS-TCC; --method minirocket fits MiniRocket \
        (Dempster et al. 2021: \
        10,000 random-free convolution features and a ridge classifier with leave-one-out \
        regularisation), --method xgboost fits XGBoost on the raw values, --method auto \
        chooses among MiniRocket, the TCN from scratch and the TCN pretrained (contrastive: \
        linear probe, frozen + ridge on pooled or step features, or full; next-step: full) \
        on every series by repeated \
        stratified k-fold \
        cross-validation on the labeled series, then refits the winner on all of them. \
        (1-NN is a baseline of series compare only: it has no model file to save.) \
        --labels takes a label budget as for tables.

        Examples:
          pretext series classify datasets/italy_power_demand_train.csv --target \\
              target -o model.safetensors
          pretext series classify datasets/italy_power_demand_train.csv --target \\
              target --encoder italy-encoder.safetensors --labels 10% -o \\
              model.safetensors
          pretext series classify datasets/coffee_train.csv --target target --method \\
              minirocket -o coffee.safetensors
          pretext series pretrain datasets/coffee_train.csv --wide --target target \\
              --objective contrastive -o coffee-encoder.safetensors
          pretext series classify datasets/coffee_train.csv --target target --method \\
              encoder-ridge --encoder coffee-encoder.safetensors -o \\
              coffee-ridge.safetensors
          pretext series classify datasets/basic_motions_train.csv --series-id \\
              series_id --time t --target target --method minirocket -o \\
              motions.safetensors
          pretext series classify datasets/japanese_vowels_train.csv --series-id \\
              series_id --time t --target target --labels 10% --method auto -o \\
              vowels.safetensors
          pretext predict model.safetensors datasets/italy_power_demand_test.csv -o \\
              predictions.csv
        """
    )

    enum Method: String, ExpressibleByArgument, CaseIterable {
        case neural, minirocket, xgboost, auto
        case encoderRidge = "encoder-ridge"
    }

    @Argument(help: "The training CSV (- reads standard input).") var data: String
    @Option(help: "The class column.") var target: String
    @Option(help: "Long layout: the column naming each series (needs --time).") var seriesId: String?
    @Option(help: "Long layout: the time column (ISO 8601 dates/timestamps or integers).") var time: String?
    @Option(help: "A pretrained encoder (pretext series pretrain).") var encoder: String?
    @Option(help: "neural (default), encoder-ridge (the --encoder frozen + ridge classifier), minirocket (MiniRocket features + ridge classifier), xgboost (on the raw values) or auto (chosen by cross-validation).")
    var method: Method = .neural
    @Option(help: "How to adapt the encoder: linear-probe, full or freeze-then-unfreeze.") var strategy: FineTuneConfig.Strategy = .full
    @Option(help: "--method encoder-ridge: the encoder's pooled representation (pooled, default), its steps side by side (steps: positions kept) or each feature's maximum over the observed steps (max, TS2Vec's).")
    var ridgeFeatures: EncoderRidgeClassifier.Features?
    @Option(help: "Label budget: a share of the labeled series (\"10%\") or a count (\"20\"). Default: all.") var labels: String?
    @Option(help: "A value column (repeatable): wide, a time step; long, a channel. Default: every numeric column but the target, id and time.") var value: [String] = []
    @Option(name: .shortAndLong, help: "Where to write the model (.safetensors).") var output: String
    @OptionGroup var model: SeriesEncoderOptions
    @OptionGroup(title: "Pretraining (--method auto)") var pretraining: SeriesPretrainOptions
    @OptionGroup var fineTune: FineTuneTrainingOptions
    @OptionGroup var classifier: SeriesClassifierOptions
    @OptionGroup var runOptions: RunOptions
    @OptionGroup var read: ReadOptionsGroup

    func validate() throws {
        if let labels { _ = try budget(labels) }
        try pretraining.validate()
        try pretraining.validate(encoderKind: model.encoderKind)
        if (seriesId == nil) != (time == nil) { throw ValidationError("the long layout needs both --series-id and --time.") }
        if seriesId != nil && method == .xgboost {
            throw ValidationError("--method xgboost reads wide files (one series per row); with --series-id use minirocket or neural.")
        }
        if method == .encoderRidge && encoder == nil {
            throw ValidationError("--method encoder-ridge needs --encoder (a pretext series pretrain file): it classifies that encoder's frozen features.")
        }
        if ridgeFeatures != nil && method != .encoderRidge {
            throw ValidationError("--ridge-features is read by --method encoder-ridge; --method \(method.rawValue) does not use it.")
        }
        if encoder != nil && ![.neural, .encoderRidge].contains(method) {
            throw ValidationError("--encoder is read by --method neural (fine-tuning) or encoder-ridge; --method \(method.rawValue) does not use it.")
        }
    }

    var columns: SeriesColumns { SeriesColumns(seriesID: seriesId, time: time, valueColumns: value) }

    var settings: SeriesSettings {
        var settings = SeriesSettings()
        model.apply(to: &settings)
        pretraining.apply(to: &settings)
        fineTune.apply(to: &settings)
        classifier.apply(to: &settings)
        settings.strategy = strategy
        settings.threads = read.threads
        settings.seed = runOptions.seed
        return settings
    }

    func budget(_ text: String) throws -> LabelBudget {
        do { return try LabelBudget(parsing: text) } catch let error as DataError { throw ValidationError(error.description) }
    }

    func run() throws {
        try reportingErrors {
            _ = try loadBLAS(threads: read.threads)
            let (table, _) = try Workflow.readTable(data, target: target, idColumns: [], options: try read.readOptions())
            let seriesRows = try columns.read(table, labelColumn: target).rows
            let rows = try Workflow.budgetRows(seriesRows, budget: try labels.map(budget), seed: runOptions.seed)
            switch method {
            case .xgboost:
                var trees = GradientBoostedTreesConfig()
                trees.seed = runOptions.seed
                trees.threads = read.threads
                try GradientBoostedTrees(config: trees).fit(table, rows: rows).save(to: output)
            case .minirocket:
                var config = MiniRocketConfig()
                config.seed = runOptions.seed
                try MiniRocketClassifier(config: config).fit(table, columns: columns, rows: rows).save(to: output)
            case .auto:
                let settings = self.settings
                var config = SeriesAutoConfig()
                (config.encoder, config.fineTune, config.contrastive, config.nextStep) = (settings.encoder, settings.fineTune, settings.contrastive, settings.nextStep)
                config.seed = runOptions.seed
                let quiet = runOptions.quiet
                let choice = try SeriesAutoClassifier(config: config, log: { if !quiet { printError($0) } }).fit(table, columns: columns, rows: rows)
                try choice.save(to: output)
                printError("auto chose \(choice.chosen.rawValue) (\(choice.validation))")
            case .encoderRidge:
                try EncoderRidgeClassifier(features: ridgeFeatures ?? .pooled).fit(table, columns: columns, rows: rows, pretrained: try SeriesEncoder.load(from: encoder!))
                    .save(to: output)
            case .neural:
                let settings = self.settings
                let pretrained = try encoder.map { try SeriesEncoder.load(from: $0) }
                let fitted = try SeriesClassifier(fineTune: settings.fineTune, encoderConfig: settings.encoder, encoder: pretrained,
                                                  progress: ProgressReporter(label: "epoch", quiet: runOptions.quiet)).fit(table, columns: columns, rows: rows)
                try fitted.save(to: output)
            }
            let what: String
            switch method {
            case .xgboost: what = "XGBoost"
            case .minirocket: what = "MiniRocket + ridge"
            case .encoderRidge: what = "a ridge classifier on the frozen pretrained encoder's \(ridgeFeatures == .steps ? "step " : ridgeFeatures == .max ? "max-pooled " : "")features"
            case .auto: what = "the chosen model"
            case .neural: what = encoder == nil ? "a TCN from scratch" : "from the pretrained encoder (\(strategy.rawValue))"
            }
            printError("trained \(what) on \(rows.count) labeled series")
            print("wrote \(output)")
        }
    }
}

extension EncoderRidgeClassifier.Features: ExpressibleByArgument {}

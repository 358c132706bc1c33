import ArgumentParser
import Pretext

extension GapFill: ExpressibleByArgument {}
extension SeriesEncoderConfig.Kind: ExpressibleByArgument {}
extension ContrastiveSeriesConfig.Views: ExpressibleByArgument {}
extension ContrastiveSeriesConfig.Loss: ExpressibleByArgument {}

/// Where the series are in a CSV.
struct SeriesLayoutOptions: ParsableArguments {
    @Option(help: "Long layout: the column naming each series.") var seriesId: String?
    @Option(help: "The time column (ISO 8601 dates/timestamps or integers). Without it rows are in time order.") var time: String?
    @Option(help: "A value column (repeatable; default: every numeric column that is not time, id or target).") var value: [String] = []
    @Flag(help: "Wide layout: one series per row, columns in time order (UCR/UEA).") var wide = false
    @Option(help: "Fill gaps in time: forward, linear, zero, or missing (kept as missing, masked). Default: a gap is an error.") var fill: GapFill?
    @Flag(help: "Treat each value column as its own univariate series (e.g. pretrain one encoder on all signals).") var channelsAsSeries = false

    func validate() throws {
        if wide && (seriesId != nil || time != nil) { throw ValidationError("--wide cannot be combined with --series-id or --time.") }
        if seriesId != nil && time == nil { throw ValidationError("--series-id needs --time (the long layout has one row per series and time).") }
    }

    func source(labelColumn: String? = nil) -> SeriesWorkflow.Source {
        let layout: SeriesLayout = wide ? .wide : (seriesId.map { .long(seriesID: $0, time: time!) } ?? .single(time: time))
        return SeriesWorkflow.Source(layout: layout, valueColumns: value, labelColumn: labelColumn, fill: fill, channelsAsSeries: channelsAsSeries)
    }
}

/// The series encoder and its window.
struct SeriesEncoderOptions: ParsableArguments {
    @Option(help: "Past steps a model sees (L).") var lookback = 24
    @Option(help: "Encoder: tcn (causal dilated convolutions, any length) or mlp (flattened window).") var encoderKind: SeriesEncoderConfig.Kind = .tcn
    @Option(help: "Encoder width (TCN channels / MLP units).") var encoderWidth = 64
    @Option(name: .customLong("width"), help: .hidden) var deprecatedWidth: Int?

    mutating func validate() throws {
        try adoptDeprecated(deprecatedWidth, "--width", into: &encoderWidth, default: 64, "--encoder-width")
        deprecatedWidth = nil
        for (name, value) in [("--lookback", lookback), ("--encoder-width", encoderWidth)] where value < 1 {
            throw ValidationError("\(name) must be at least 1 (got \(value)).")
        }
    }

    func apply(to settings: inout SeriesSettings) {
        settings.lookback = lookback
        settings.encoderKind = encoderKind
        settings.encoderWidth = encoderWidth
    }
}

/// Pretraining settings (defaults: `NextStepConfig`, `ContrastiveSeriesConfig`).
struct SeriesPretrainOptions: ParsableArguments {
    @Option(help: "Maximum pretraining epochs (early stopping decides; contrastive on fewer than --early-stopping-series series trains --pretrain-steps instead).")
    var pretrainEpochs = 100
    @Option(help: "Pretraining stops after this many epochs without a held-out improvement (default: 5 next-step, 10 contrastive).")
    var pretrainPatience: Int?
    @Option(help: "Pretraining learning rate (Adam).") var pretrainLearningRate: Float = 1e-3
    @Option(help: "Next-step: steps between pretraining window starts (e.g. 7 for daily series: one window a week).") var pretrainStride = 1
    @Option(help: "Pretraining batch size (default: 256 windows next-step, 128 series contrastive).") var pretrainBatchSize: Int?
    @Option(help: "Contrastive on fewer than --early-stopping-series series (too few to hold out for early stopping): optimizer steps to train.")
    var pretrainSteps = 200
    @Option(help: "Contrastive: weight of TS2Vec's temporal term (overlapping crops, each step told apart from the other steps; 0 = instance contrast only).")
    var temporalWeight: Float = 0
    @Option(help: "Contrastive: crop length as a share of the longest series (each view is one crop).") var cropFraction = 0.5
    @Option(help: "Contrastive: how the two views are cut: crops (two independent crops), subseries (a crop and a random stretch of it, as T-Loss) or permuted (a crop and the same crop cut into up to 4 segments in a random order, TS-TCC's strong view).")
    var views: ContrastiveSeriesConfig.Views = .crops
    @Option(help: "Contrastive: infonce (each series' two views pulled together) or mixup (MCL: a mixture of two series must recognise both; one process).")
    var contrastiveLoss: ContrastiveSeriesConfig.Loss = .infoNCE
    @Option(help: "Contrastive: InfoNCE temperature (> 0).") var temperature = SeriesSettings().temperature
    @Option(help: "Contrastive: σ of the Gaussian noise added to each view's standardised values.") var jitter = SeriesSettings().jitter
    @Option(help: "Contrastive: σ of the per-view, per-channel factor N(1, σ²) values are multiplied by.") var scaling = SeriesSettings().scaling
    @Option(help: "Contrastive: share of time steps hidden in each view (0 ≤ rate < 1).") var maskRate = SeriesSettings().maskRate
    @Option(help: "Contrastive: early stopping on held-out series from this many series on; fewer train --pretrain-steps.")
    var earlyStoppingSeries = SeriesSettings().earlyStoppingSeries
    @Option(help: "Contrastive: weight of TS-TCC's temporal prediction (each view's step representation predicts the other's --prediction-horizon steps ahead among the other series'; one process; 0 = off).")
    var predictionWeight: Float = 0
    @Option(help: "Contrastive: steps ahead the temporal prediction predicts.") var predictionHorizon = SeriesSettings().predictionHorizon
    @Flag(help: "Contrastive: the --temporal-weight term is TS2Vec's hierarchical contrast (instance and temporal contrast at every time scale, max-pooled by 2 between scales; one process).")
    var hierarchical = false

    func validate() throws {
        for (name, value) in [("--pretrain-epochs", pretrainEpochs), ("--pretrain-patience", pretrainPatience ?? 1),
                              ("--pretrain-stride", pretrainStride), ("--pretrain-batch-size", pretrainBatchSize ?? 1),
                              ("--pretrain-steps", pretrainSteps)] where value < 1 {
            throw ValidationError("\(name) must be at least 1 (got \(value)).")
        }
        guard pretrainLearningRate.isFinite, pretrainLearningRate > 0 else {
            throw ValidationError("--pretrain-learning-rate must be a positive number (got \(pretrainLearningRate)).")
        }
        guard cropFraction > 0, cropFraction <= 1 else {
            throw ValidationError("--crop-fraction must be above 0 and at most 1 (got \(cropFraction)).")
        }
        guard temperature.isFinite, temperature > 0 else {
            throw ValidationError("--temperature must be a positive number (got \(temperature)).")
        }
        for (name, value) in [("--jitter", jitter), ("--scaling", scaling)] where !(value.isFinite && value >= 0) {
            throw ValidationError("\(name) must be 0 or more (got \(value)).")
        }
        guard maskRate >= 0, maskRate < 1 else {
            throw ValidationError("--mask-rate must be at least 0 and below 1 (got \(maskRate)).")
        }
        guard earlyStoppingSeries >= 2 else {
            throw ValidationError("--early-stopping-series must be at least 2 (got \(earlyStoppingSeries)).")
        }
        guard temporalWeight.isFinite, temporalWeight >= 0 else {
            throw ValidationError("--temporal-weight must be 0 or more (got \(temporalWeight)).")
        }
        guard predictionWeight.isFinite, predictionWeight >= 0 else {
            throw ValidationError("--prediction-weight must be 0 or more (got \(predictionWeight)).")
        }
        guard predictionHorizon >= 1 else { throw ValidationError("--prediction-horizon must be at least 1 (got \(predictionHorizon)).") }
    }

    /// The options that cannot run together (`SeriesSettings.contrastiveConflict`, the
    /// rules the library's settings check too), with the encoder's options.
    func validate(encoderKind: SeriesEncoderConfig.Kind) throws {
        var settings = SeriesSettings()
        apply(to: &settings)
        settings.encoderKind = encoderKind
        if let conflict = settings.contrastiveConflict { throw ValidationError(conflict.sentence) }
    }

    func apply(to settings: inout SeriesSettings) {
        settings.pretrainEpochs = pretrainEpochs
        settings.pretrainPatience = pretrainPatience
        settings.pretrainLearningRate = pretrainLearningRate
        settings.pretrainStride = pretrainStride
        settings.pretrainBatchSize = pretrainBatchSize
        settings.pretrainSteps = pretrainSteps
        settings.temporalWeight = temporalWeight
        settings.cropFraction = cropFraction
        settings.views = views
        settings.contrastiveLoss = contrastiveLoss
        settings.temperature = temperature
        (settings.jitter, settings.scaling, settings.maskRate) = (jitter, scaling, maskRate)
        settings.earlyStoppingSeries = earlyStoppingSeries
        settings.hierarchical = hierarchical
        (settings.predictionWeight, settings.predictionHorizon) = (predictionWeight, predictionHorizon)
    }
}

extension FineTuneTrainingOptions {
    func apply(to settings: inout SeriesSettings) {
        settings.fineTuneEpochs = fineTuneEpochs
        settings.fineTunePatience = fineTunePatience
        settings.fineTuneLearningRate = fineTuneLearningRate
    }
}

/// Options of the commands that train series classifiers (`series classify`, `series compare`).
struct SeriesClassifierOptions: ParsableArguments {
    @Option(help: "With fewer labeled series than a validation hold-out needs (30): optimizer steps to fine-tune or train a classifier from scratch.")
    var fineTuneSteps = SeriesSettings().fineTuneSteps

    func apply(to settings: inout SeriesSettings) {
        settings.fineTuneSteps = fineTuneSteps
    }
}

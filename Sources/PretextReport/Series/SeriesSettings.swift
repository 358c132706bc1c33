import PretextBaselines
import PretextData
import PretextNN
import PretextSSL
import PretextTransfer

/// The settings every series command shares, one name per concept: the `pretext series`
/// options map onto these fields one to one (`--encoder-width` → `encoderWidth`,
/// `--pretrain-epochs` → `pretrainEpochs`, `--fine-tune-learning-rate` →
/// `fineTuneLearningRate`, …), and the library's configurations are assembled from them
/// here, so a library user and the CLI get the same models from the same settings.
///
/// Defaults are the component configurations' own: `NextStepConfig` for pretraining
/// (up to 100 epochs, patience 5, Adam 1e-3, stride 1), `ForecastConfig`/`FineTuneConfig`
/// for fine-tuning and training from scratch (up to 200 epochs, patience 16, Adam 1e-3),
/// `SeriesEncoderConfig` for the encoder (TCN, width 64) and a lookback of 24 steps.
public struct SeriesSettings: Codable, Sendable, Equatable {
    /// Past steps a model sees (L). Default 24.
    public var lookback = 24
    public var encoderKind: SeriesEncoderConfig.Kind = .tcn
    /// TCN channels or MLP units. Default 64.
    public var encoderWidth = 64
    /// Pretraining: maximum epochs, patience (nil: the objective's own, 5 for next-step
    /// and 10 for contrastive), Adam learning rate, and (next-step) the steps between
    /// window starts.
    public var pretrainEpochs = 100
    public var pretrainPatience: Int?
    public var pretrainLearningRate: Float = 1e-3
    public var pretrainStride = 1
    /// Pretraining batch size; nil = the objective's own (256 windows next-step, 128
    /// series contrastive).
    public var pretrainBatchSize: Int?
    /// Contrastive pretraining on fewer series than early stopping needs: the optimizer
    /// steps (`ContrastiveSeriesConfig.steps`). Default 200.
    public var pretrainSteps = 200
    /// Contrastive pretraining: the InfoNCE temperature τ
    /// (`ContrastiveSeriesConfig.temperature`). Default 0.5.
    public var temperature = ContrastiveSeriesConfig().temperature
    /// Contrastive pretraining's augmentations (`ContrastiveSeriesConfig.jitter`,
    /// `.scaling`, `.maskRate`): noise σ, per-channel scaling σ and share of masked steps.
    /// Defaults 0.1, 0.3, 0.1.
    public var jitter = ContrastiveSeriesConfig().jitter
    public var scaling = ContrastiveSeriesConfig().scaling
    public var maskRate = ContrastiveSeriesConfig().maskRate
    /// Contrastive pretraining: early stopping on held-out series from this many series
    /// on; fewer train `pretrainSteps` steps (`ContrastiveSeriesConfig.earlyStoppingSeries`).
    /// Default 100.
    public var earlyStoppingSeries = ContrastiveSeriesConfig().earlyStoppingSeries
    /// Contrastive pretraining: crop length as a share of the longest series
    /// (`ContrastiveSeriesConfig.cropFraction`). Default 0.5.
    public var cropFraction = 0.5
    /// Contrastive pretraining: how the two views are cut — two crops, a crop and a
    /// stretch of it, or a crop and its segments permuted (`ContrastiveSeriesConfig.views`).
    /// Default `.crops`.
    public var views: ContrastiveSeriesConfig.Views = .crops
    /// Contrastive pretraining: InfoNCE between two views or MCL's mixtures
    /// (`ContrastiveSeriesConfig.loss`). Default `.infoNCE`.
    public var contrastiveLoss: ContrastiveSeriesConfig.Loss = .infoNCE
    /// Contrastive pretraining: the weight of TS2Vec's temporal term
    /// (`ContrastiveSeriesConfig.temporalWeight`). Default 0: instance contrast only.
    public var temporalWeight: Float = 0
    /// Contrastive pretraining: the λ term is TS2Vec's hierarchical contrast
    /// (`ContrastiveSeriesConfig.hierarchical`). Default false.
    public var hierarchical = false
    /// Contrastive pretraining: the weight of TS-TCC's temporal prediction and its steps
    /// ahead (`ContrastiveSeriesConfig.predictionWeight`, `.predictionHorizon`). Defaults
    /// 0 (off) and 4.
    public var predictionWeight: Float = 0
    public var predictionHorizon = ContrastiveSeriesConfig().predictionHorizon
    /// Fine-tuning (and training from scratch): maximum epochs (nil: the model's own —
    /// 200 for forecasters, 1,000 for classifiers, whose fits without validation train
    /// `fineTuneSteps` steps), patience and learning rate.
    public var fineTuneEpochs: Int?
    public var fineTunePatience = 16
    public var fineTuneLearningRate: Float = 1e-3
    /// Series classification with too few labeled series to validate (under
    /// `FineTuneConfig.minimumValidationRows`): optimizer steps to train
    /// (`FineTuneConfig.stepsWithoutValidation`). Default 500, chosen on development
    /// halves (`results/series-steps-study`).
    public var fineTuneSteps = FineTuneConfig.seriesClassification.stepsWithoutValidation!
    /// How a pretrained encoder is adapted.
    public var strategy: FineTuneConfig.Strategy = .full
    /// XGBoost's random-search trials besides its defaults.
    public var baselineTrials = 20
    /// XGBoost threads; nil = every core.
    public var threads: Int?
    public var seed: UInt64 = 0

    public init() {}

    /// Checks every field's range; the errors name the CLI option.
    public func validate() throws {
        for (name, value) in [("--lookback", lookback), ("--encoder-width", encoderWidth), ("--pretrain-epochs", pretrainEpochs),
                              ("--pretrain-patience", pretrainPatience ?? 1), ("--pretrain-stride", pretrainStride),
                              ("--pretrain-batch-size", pretrainBatchSize ?? 1), ("--pretrain-steps", pretrainSteps),
                              ("--fine-tune-epochs", fineTuneEpochs ?? 1), ("--fine-tune-patience", fineTunePatience),
                              ("--fine-tune-steps", fineTuneSteps)] where value < 1 {
            throw DataError.invalidOption(name: name, value: "\(value)", reason: "must be at least 1")
        }
        guard earlyStoppingSeries >= 2 else {
            throw DataError.invalidOption(name: "--early-stopping-series", value: "\(earlyStoppingSeries)", reason: "must be at least 2 (a hold-out needs a series and training another)")
        }
        for (name, value) in [("--jitter", jitter), ("--scaling", scaling)] where !(value.isFinite && value >= 0) {
            throw DataError.invalidOption(name: name, value: "\(value)", reason: "must be 0 or more")
        }
        guard maskRate >= 0 && maskRate < 1 else {
            throw DataError.invalidOption(name: "--mask-rate", value: "\(maskRate)", reason: "must be at least 0 and below 1")
        }
        guard temperature.isFinite && temperature > 0 else {
            throw DataError.invalidOption(name: "--temperature", value: "\(temperature)", reason: "must be a positive number")
        }
        for (name, value) in [("--pretrain-learning-rate", pretrainLearningRate), ("--fine-tune-learning-rate", fineTuneLearningRate)]
        where !(value.isFinite && value > 0) {
            throw DataError.invalidOption(name: name, value: "\(value)", reason: "must be a positive number")
        }
        guard cropFraction > 0 && cropFraction <= 1 else {
            throw DataError.invalidOption(name: "--crop-fraction", value: "\(cropFraction)", reason: "must be above 0 and at most 1")
        }
        guard temporalWeight.isFinite && temporalWeight >= 0 else {
            throw DataError.invalidOption(name: "--temporal-weight", value: "\(temporalWeight)", reason: "must be 0 or more")
        }
        guard predictionWeight.isFinite && predictionWeight >= 0 else {
            throw DataError.invalidOption(name: "--prediction-weight", value: "\(predictionWeight)", reason: "must be 0 or more")
        }
        guard predictionHorizon >= 1 else {
            throw DataError.invalidOption(name: "--prediction-horizon", value: "\(predictionHorizon)", reason: "must be at least 1")
        }
        if let conflict = contrastiveConflict {
            throw DataError.invalidOption(name: conflict.option, value: conflict.value ?? "given", reason: conflict.reason)
        }
        guard baselineTrials >= 0 else {
            throw DataError.invalidOption(name: "--baseline-trials", value: "\(baselineTrials)", reason: "must be 0 or more")
        }
    }

    public var encoder: SeriesEncoderConfig {
        var config = SeriesEncoderConfig()
        config.kind = encoderKind
        config.tcn.width = encoderWidth
        config.mlp.hiddenWidth = encoderWidth
        return config
    }

    /// Next-step pretraining on windows of `lookback` steps.
    public var nextStep: NextStepConfig {
        var config = NextStepConfig()
        config.encoder = encoder
        config.window = WindowConfig(lookback: lookback, horizon: 1, stride: pretrainStride)
        applyPretraining(to: &config.training, &config.optimizer)
        config.seed = seed
        return config
    }

    /// Contrastive pretraining (augmented crops + InfoNCE) with the same encoder.
    public var contrastive: ContrastiveSeriesConfig {
        var config = ContrastiveSeriesConfig()
        config.encoder = encoder
        config.temporalWeight = temporalWeight
        config.hierarchical = hierarchical
        (config.predictionWeight, config.predictionHorizon) = (predictionWeight, predictionHorizon)
        config.steps = pretrainSteps
        config.cropFraction = cropFraction
        config.views = views
        config.loss = contrastiveLoss
        config.temperature = temperature
        (config.jitter, config.scaling, config.maskRate) = (jitter, scaling, maskRate)
        config.earlyStoppingSeries = earlyStoppingSeries
        applyPretraining(to: &config.training, &config.optimizer)
        config.seed = seed
        return config
    }

    /// The pretraining epochs, patience and batch size (when given) and learning rate,
    /// shared by both objectives.
    private func applyPretraining(to training: inout TrainingConfig, _ optimizer: inout OptimizerConfig) {
        training.maximumEpochs = pretrainEpochs
        training.patience = pretrainPatience ?? training.patience
        training.batchSize = pretrainBatchSize ?? training.batchSize
        optimizer.learningRate = pretrainLearningRate
    }

    /// Fine-tuning a classifier (or training one from scratch) on whole series.
    public var fineTune: FineTuneConfig {
        var config = FineTuneConfig.seriesClassification
        config.strategy = strategy
        config.stepsWithoutValidation = fineTuneSteps
        applyFineTuning(to: &config.training, &config.optimizer)
        config.seed = seed
        return config
    }

    /// A direct multi-step forecaster of `horizon` steps.
    public func forecast(horizon: Int) -> ForecastConfig {
        var config = ForecastConfig()
        config.horizon = horizon
        config.lookback = lookback
        config.strategy = strategy
        config.encoder = encoder
        applyFineTuning(to: &config.training, &config.optimizer)
        config.seed = seed
        return config
    }

    /// The fine-tuning epochs, patience and learning rate, shared by classifiers and forecasters.
    private func applyFineTuning(to training: inout TrainingConfig, _ optimizer: inout OptimizerConfig) {
        training.maximumEpochs = fineTuneEpochs ?? training.maximumEpochs
        training.patience = fineTunePatience
        optimizer.learningRate = fineTuneLearningRate
    }

    /// XGBoost with `baselineTrials` random-search trials on `threads` threads.
    public var trees: GradientBoostedTreesConfig {
        var config = GradientBoostedTreesConfig()
        config.trials = baselineTrials
        config.threads = threads
        config.seed = seed
        return config
    }
}

extension ForecastComparison.Configuration {
    /// A forecasting comparison with the shared series settings: `repeats` seeds, the
    /// given methods (nil: the defaults), `folds` backtest origins of `horizon` steps for
    /// each history length.
    public init(settings: SeriesSettings, horizon: Int, folds: Int, season: Int?, histories: [Int?], repeats: Int,
                methods: [String]? = nil) throws {
        try settings.validate()
        self.init()
        self.horizon = horizon
        self.folds = folds
        self.season = season
        self.histories = histories
        self.seeds = repeats
        if let methods {
            for method in methods where !ForecastComparison.allMethods.contains(method) {
                throw DataError.invalidOption(name: "--methods", value: method,
                                              reason: "unknown forecasting method; use \(ForecastComparison.allMethods.joined(separator: ", "))")
            }
            self.methods = methods
        }
        forecast = settings.forecast(horizon: horizon)
        nextStep = settings.nextStep
        trees = settings.trees
    }
}

extension SeriesClassificationComparison.Configuration {
    /// A classification comparison with the shared series settings: `repeats` seeds, the
    /// label budgets, where the series are, and the given methods (nil: the defaults —
    /// without XGBoost on raw values for the long layout, which it cannot read).
    public init(settings: SeriesSettings, budgets: [LabelBudget], repeats: Int, methods: [String]? = nil,
                columns: SeriesColumns = SeriesColumns()) throws {
        try settings.validate()
        self.init()
        self.budgets = budgets
        self.seeds = repeats
        self.columns = columns
        if columns.isLong {
            self.methods.removeAll { $0 == "xgboost" }
            if methods?.contains("xgboost") == true {
                throw DataError.invalidOption(name: "--methods", value: "xgboost",
                                              reason: "XGBoost on raw values reads wide files (one series per row); leave it out for the long layout")
            }
        }
        if let methods {
            for method in methods where !SeriesClassificationComparison.allMethods.contains(method) {
                throw DataError.invalidOption(name: "--methods", value: method,
                                              reason: "unknown classification method; use \(SeriesClassificationComparison.allMethods.joined(separator: ", "))")
            }
            self.methods = methods
        }
        encoder = settings.encoder
        fineTune = settings.fineTune
        nextStep = settings.nextStep
        contrastive = settings.contrastive
        trees = settings.trees
    }
}

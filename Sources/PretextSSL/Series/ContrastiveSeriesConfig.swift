import PretextData
import PretextNN

/// Contrastive series pretraining settings (`ContrastiveSeriesPretrainer`). The
/// augmentations are TS-TCC's "weak" pair (Eldele et al. 2021: jitter and scaling) plus
/// random crops (TS2Vec, Yue et al. 2022) and masked time steps; the loss is the InfoNCE
/// SCARF uses, on a projection head as in SimCLR (Chen et al. 2020). Defaults are those
/// papers', round values or chosen on development data; none was tuned on a test split.
public struct ContrastiveSeriesConfig: Codable, Sendable, Equatable {
    /// How a series' two views are cut from it.
    public enum Views: String, Codable, Sendable, CaseIterable {
        /// Two crops of `crop(longest:)` steps each, drawn independently (overlapping by
        /// at least half a crop with the temporal term). Default.
        case crops
        /// T-Loss's subseries pairs (Franceschi, Dieuleveut, Jaggi 2019): view 1 a crop as
        /// above, view 2 a random stretch *of view 1* — length ℓ uniform in [2, view 1's
        /// length], then its start uniform — padded at the start with masked steps, as a
        /// short series is. A part of a series must map close to the whole it came from,
        /// so the representation keeps what holds throughout a series.
        case subseries
        /// TS-TCC's weak and strong views (Eldele et al. 2021): view 2 is view 1's crop
        /// cut into m segments, m uniform in 1…`permutationSegments` − 1 (cut points
        /// uniform, as TS-TCC's `permutation`), in a random order; then both are
        /// augmented as usual. In a series padded at the start only its observed steps
        /// are cut. Row positions stay the time stamps of view 1's crop.
        case permuted
    }

    /// What the views are contrasted by.
    public enum Loss: String, Codable, Sendable, CaseIterable {
        /// InfoNCE between the two views of each series (SimCLR, SCARF). Default.
        case infoNCE = "infonce"
        /// MCL (Wickstrøm et al. 2022, `MixupContrast`): view 1 of each series mixed with
        /// view 2 of the next series of the batch, xᵐ = λ x¹ + (1 − λ) x² with
        /// λ ~ Beta(α, α) per mixture; the mixture must pick out both components among
        /// every view in the batch, in proportion λ : 1 − λ.
        case mixup
    }

    public var encoder = SeriesEncoderConfig()
    /// The contrastive loss (`Loss`). Default `.infoNCE`.
    public var loss: Loss = .infoNCE
    /// MCL's α: mixing weights λ ~ Beta(α, α). Default 0.2, the paper's.
    public var mixupAlpha = 0.2
    /// How the two views are cut (`Views`). Default `.crops`.
    public var views: Views = .crops
    /// With `.permuted` views: segments are drawn from 1 up to this − 1. Default 5,
    /// TS-TCC's `max_seg` for its HAR data.
    public var permutationSegments = 5
    /// How crops are scaled: `.global` (default; the pool's per-channel statistics, as the
    /// classifiers that fine-tune the encoder read series) or `.perSeries`.
    public var normalization: SeriesNormalization = .global
    /// Steps per crop; nil = `cropFraction` of the longest series, at least 8 (and at
    /// most the longest series). Series shorter than a crop are taken whole, padded with
    /// masked missing steps at the start.
    public var cropLength: Int?
    /// Crop length as a share of the longest series when `cropLength` is nil. Range
    /// (0, 1]; default 0.5.
    public var cropFraction: Double = 0.5
    /// σ of the Gaussian noise added to every observed normalised value. Default 0.1.
    public var jitter: Float = 0.1
    /// σ of the per-view, per-channel factor N(1, σ²) values are multiplied by. Default
    /// 0.3: chosen on development halves of the bundled training files, where it led 0.1
    /// at 10% labels on three splits and was level at 100%, while 0.5 was not ahead
    /// (results/augmentation-study).
    public var scaling: Float = 0.3
    /// Share of time steps hidden in each view (value 0, observed flag 0). Default 0.1.
    public var maskRate: Double = 0.1
    /// Projection head: one hidden ReLU layer of this width, then this width (SimCLR's
    /// 2-layer head). Default 128.
    public var projectionWidth = 128
    /// InfoNCE temperature τ. Default 0.5 (SimCLR's for its batch sizes).
    public var temperature: Float = 0.5
    /// Weight λ of the temporal term (TS2Vec's temporal contrast, Yue et al. 2022): the
    /// two crops of a series then overlap (the second starts within half a crop of the
    /// first), and at each shared time step the encoder's step representation in one
    /// view must pick out the same step in the other view among the other shared steps
    /// (InfoNCE over time, cosine similarity, temperature τ). Loss = instance InfoNCE +
    /// λ · temporal InfoNCE. Default 0: instance contrast only, crops drawn independently
    /// — chosen on development halves of the bundled training files, where λ = 0.1 was
    /// level with 0 and λ = 1 worse (`scripts/temporal-study.sh`, results/temporal-study).
    public var temporalWeight: Float = 0
    /// With λ > 0, make the λ term TS2Vec's whole hierarchical contrast
    /// (`HierarchicalContrast`: instance and temporal contrast on the overlapping crops'
    /// step representations, then again on them max-pooled by 2, and so on to one step)
    /// instead of temporal contrast at the finest scale alone. One process only (its
    /// instance term compares every series of a batch at each step). Default false.
    public var hierarchical = false
    /// Weight λ of TS-TCC's temporal contrasting (`TemporalPrediction`, Eldele et al.
    /// 2021): from each view's step representation at a time stamp both views cover, a
    /// linear predictor per step ahead must pick out the other view's representation
    /// 1…`predictionHorizon` stamps later among the other series'. The two crops of a
    /// series then overlap as with the temporal term. Loss = instance InfoNCE + λ ·
    /// temporal prediction. One process only. Default 0 (off).
    public var predictionWeight: Float = 0
    /// Steps ahead K of the temporal prediction. Default 4.
    public var predictionHorizon = 4
    /// Adam, learning rate 1e-3.
    public var optimizer = OptimizerConfig()
    /// Batch 128 series (fewer when there are fewer); with `earlyStoppingSeries` or more,
    /// up to 100 epochs with early stopping on held-out series (patience 10).
    public var training: TrainingConfig = {
        var config = TrainingConfig()
        config.batchSize = 128
        config.maximumEpochs = 100
        config.patience = 10
        return config
    }()
    /// Share of the series held out for early stopping. Range (0, 1); default 0.1.
    public var validationFraction: Double = 0.1
    /// Early stopping needs a hold-out whose InfoNCE can tell epochs apart: it is used
    /// only with at least this many series (default 100, a hold-out of 10 or more).
    /// With fewer — a 10% hold-out of 28 series is 3, whose InfoNCE against 2 negatives
    /// stopped Coffee's pretraining after one or two optimizer steps — the encoder trains
    /// a fixed `steps` on every series instead, as TS2Vec does (Yue et al. 2022: a fixed
    /// number of iterations, no early stopping).
    public var earlyStoppingSeries = 100
    /// Optimizer steps without early stopping, rounded up to whole epochs
    /// (`training.maximumEpochs` caps only early stopping's epochs). Default 200, TS2Vec's iterations for data sets of at most
    /// 100,000 values; with batch 128, chosen on development halves of the bundled
    /// training files against batch 8 and the former early stopping on 3 held-out series
    /// (`scripts/series-study.sh`, results/schedule-study).
    public var steps = 200
    public var seed: UInt64 = 0

    public init() {}

    public func validate() throws {
        try optimizer.validate()
        try training.validate()
        if let cropLength, cropLength < 2 {
            throw TrainingError.invalidHyperparameter(name: "cropLength", value: "\(cropLength)", expected: "≥ 2")
        }
        guard cropFraction > 0 && cropFraction <= 1 else {
            throw TrainingError.invalidHyperparameter(name: "cropFraction", value: "\(cropFraction)", expected: "0 < f ≤ 1")
        }
        for (name, value) in [("jitter", jitter), ("scaling", scaling)] where !(value.isFinite && value >= 0) {
            throw TrainingError.invalidHyperparameter(name: name, value: "\(value)", expected: "a finite value ≥ 0")
        }
        guard maskRate >= 0 && maskRate < 1 else {
            throw TrainingError.invalidHyperparameter(name: "maskRate", value: "\(maskRate)", expected: "0 ≤ rate < 1")
        }
        guard projectionWidth >= 1 else {
            throw TrainingError.invalidHyperparameter(name: "projectionWidth", value: "\(projectionWidth)", expected: "≥ 1")
        }
        guard temporalWeight.isFinite && temporalWeight >= 0 else {
            throw TrainingError.invalidHyperparameter(name: "temporalWeight", value: "\(temporalWeight)", expected: "a finite value ≥ 0")
        }
        if hierarchical && temporalWeight == 0 {
            throw TrainingError.invalidHyperparameter(name: "hierarchical", value: "true", expected: "a temporal weight λ > 0 (the hierarchical term is weighted by λ)")
        }
        guard mixupAlpha.isFinite && mixupAlpha > 0 else {
            throw TrainingError.invalidHyperparameter(name: "mixupAlpha", value: "\(mixupAlpha)", expected: "> 0")
        }
        if loss == .mixup && temporalWeight > 0 {
            throw TrainingError.invalidHyperparameter(name: "loss", value: "mixup with temporal weight \(temporalWeight)",
                                                      expected: "infonce (the temporal term contrasts a series' two views) or a temporal weight of 0")
        }
        if views == .subseries && temporalWeight > 0 {
            throw TrainingError.invalidHyperparameter(name: "views", value: "subseries with temporal weight \(temporalWeight)",
                                                      expected: "crops (the temporal term contrasts two equal, overlapping crops) or a temporal weight of 0")
        }
        guard permutationSegments >= 2 else {
            throw TrainingError.invalidHyperparameter(name: "permutationSegments", value: "\(permutationSegments)", expected: "≥ 2")
        }
        if views == .permuted && temporalWeight > 0 {
            throw TrainingError.invalidHyperparameter(name: "views", value: "permuted with temporal weight \(temporalWeight)",
                                                      expected: "crops (the temporal term matches time stamps, which a permuted view no longer keeps) or a temporal weight of 0")
        }
        guard predictionWeight.isFinite && predictionWeight >= 0 else {
            throw TrainingError.invalidHyperparameter(name: "predictionWeight", value: "\(predictionWeight)", expected: "a finite value ≥ 0")
        }
        guard predictionHorizon >= 1 else {
            throw TrainingError.invalidHyperparameter(name: "predictionHorizon", value: "\(predictionHorizon)", expected: "≥ 1")
        }
        if predictionWeight > 0 && (loss == .mixup || views == .subseries) {
            throw TrainingError.invalidHyperparameter(name: "predictionWeight", value: "\(predictionWeight) with \(loss == .mixup ? "the mixup loss" : "subseries views")",
                                                      expected: "infonce on crops or permuted views (the prediction reads a series' two views at the same time stamps), or a prediction weight of 0")
        }
        if encoder.kind != .tcn && (temporalWeight > 0 || predictionWeight > 0) {
            throw TrainingError.invalidHyperparameter(name: "encoder", value: "\(encoder.kind.rawValue) with a \(temporalWeight > 0 ? "temporal" : "prediction") weight",
                                                      expected: "tcn (only it has a representation per time step) or weights of 0")
        }
        guard temperature.isFinite && temperature > 0 else {
            throw TrainingError.invalidHyperparameter(name: "temperature", value: "\(temperature)", expected: "> 0")
        }
        guard earlyStoppingSeries >= 2 else {
            throw TrainingError.invalidHyperparameter(name: "earlyStoppingSeries", value: "\(earlyStoppingSeries)", expected: "≥ 2")
        }
        guard steps >= 1 else {
            throw TrainingError.invalidHyperparameter(name: "steps", value: "\(steps)", expected: "≥ 1")
        }
        guard validationFraction > 0 && validationFraction < 1 else {
            throw TrainingError.invalidHyperparameter(name: "validationFraction", value: "\(validationFraction)", expected: "0 < f < 1")
        }
    }

    /// The crop length for series whose longest has `longest` steps.
    public func crop(longest: Int) -> Int {
        min(longest, cropLength ?? max(8, Int((Double(longest) * cropFraction).rounded())))
    }

    private enum CodingKeys: String, CodingKey {
        case encoder, loss, views, normalization, jitter, scaling, optimizer, training, seed, temperature
        case mixupAlpha = "mixup_alpha"
        case cropLength = "crop_length"
        case cropFraction = "crop_fraction"
        case maskRate = "mask_rate"
        case projectionWidth = "projection_width"
        case validationFraction = "validation_fraction"
        case temporalWeight = "temporal_weight"
        case hierarchical
        case permutationSegments = "permutation_segments"
        case predictionWeight = "prediction_weight"
        case predictionHorizon = "prediction_horizon"
        case earlyStoppingSeries = "early_stopping_series"
        case steps
    }

    /// Decodes every setting; `loss`, `mixup_alpha` and `views` are absent from files
    /// written before MCL and subseries views (InfoNCE on two crops then), the
    /// `permutation_segments` and `prediction_*` settings from files written before
    /// TS-TCC's (no prediction then); `temporal_weight` and `hierarchical` are absent from files
    /// written before those terms existed (0 and false then, which is what those encoders
    /// were trained with),
    /// `crop_fraction` (0.5 then), `early_stopping_series` and `steps` from files written
    /// before the fixed schedule (10, and one step per epoch of the cap, then).
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        encoder = try container.decode(SeriesEncoderConfig.self, forKey: .encoder)
        loss = try container.decodeIfPresent(Loss.self, forKey: .loss) ?? .infoNCE
        mixupAlpha = try container.decodeIfPresent(Double.self, forKey: .mixupAlpha) ?? 0.2
        views = try container.decodeIfPresent(Views.self, forKey: .views) ?? .crops
        normalization = try container.decode(SeriesNormalization.self, forKey: .normalization)
        cropLength = try container.decodeIfPresent(Int.self, forKey: .cropLength)
        cropFraction = try container.decodeIfPresent(Double.self, forKey: .cropFraction) ?? 0.5
        jitter = try container.decode(Float.self, forKey: .jitter)
        scaling = try container.decode(Float.self, forKey: .scaling)
        maskRate = try container.decode(Double.self, forKey: .maskRate)
        projectionWidth = try container.decode(Int.self, forKey: .projectionWidth)
        temperature = try container.decode(Float.self, forKey: .temperature)
        temporalWeight = try container.decodeIfPresent(Float.self, forKey: .temporalWeight) ?? 0
        hierarchical = try container.decodeIfPresent(Bool.self, forKey: .hierarchical) ?? false
        permutationSegments = try container.decodeIfPresent(Int.self, forKey: .permutationSegments) ?? 5
        predictionWeight = try container.decodeIfPresent(Float.self, forKey: .predictionWeight) ?? 0
        predictionHorizon = try container.decodeIfPresent(Int.self, forKey: .predictionHorizon) ?? 4
        optimizer = try container.decode(OptimizerConfig.self, forKey: .optimizer)
        training = try container.decode(TrainingConfig.self, forKey: .training)
        validationFraction = try container.decode(Double.self, forKey: .validationFraction)
        earlyStoppingSeries = try container.decodeIfPresent(Int.self, forKey: .earlyStoppingSeries) ?? 10
        steps = try container.decodeIfPresent(Int.self, forKey: .steps) ?? training.maximumEpochs
        seed = try container.decode(UInt64.self, forKey: .seed)
    }
}

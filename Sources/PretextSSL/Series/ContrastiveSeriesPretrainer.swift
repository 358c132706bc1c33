import PretextData
import PretextNN

/// Pretrains a series encoder contrastively, for classification: two augmented views of
/// each series should map close together and away from the other series of the batch.
///
/// Per series and view: a random crop of `c` steps (`ContrastiveSeriesConfig.crop`),
/// standardised per channel (by the pool's statistics, or each crop by its own), then x̃ = x·s_ch + ε with
/// s_ch ~ N(1, σₛ²) per channel and ε ~ N(0, σⱼ²) per observed value, and a share of
/// the steps masked (value 0, observed flag 0). The encoder f (B, c·2C) → (B, D) and a
/// projection head g (D → P → P) give z = g(f(x̃)); the loss is InfoNCE with cosine
/// similarity and temperature τ between the two views' z (`InfoNCE`: view 2 of series i
/// is the positive of view 1; the other series' view 2 are the negatives). Only f is
/// kept. Early stopping on the loss of held-out series (a seeded 10% when there are at
/// least `earlyStoppingSeries`, default 100) over views drawn once; with fewer, a fixed
/// number of optimizer steps (`steps`, default 200, as TS2Vec).
///
/// With `loss = .mixup` the loss is MCL's instead (`MixupContrast`: view 1 of each series
/// mixed with view 2 of another must recognise both; one process). With
/// `views = .subseries` view 2 is instead a random stretch of view 1 (T-Loss's
/// subseries pairs, Franceschi et al. 2019), with `views = .permuted` view 1's crop with
/// its segments shuffled (TS-TCC's strong view, Eldele et al. 2021;
/// `ContrastiveSeriesConfig.Views`).
///
/// That is instance-level contrast (SimCLR / TS-TCC's contextual term). With
/// `temporalWeight` λ > 0 TS2Vec's temporal term is added: the two crops of a series
/// overlap (the second starts within half a crop of the first), and for each series the
/// encoder's step representations h (before pooling) at the T time stamps both views
/// share are contrasted over time — view 1's step t against view 2's steps, positive the
/// same time stamp, symmetrically (InfoNCE, cosine, τ) — averaged over the series; loss =
/// instance + λ · temporal. With `hierarchical` the λ term is TS2Vec's whole
/// hierarchical contrast instead (`HierarchicalContrast`: instance and temporal contrast
/// at every time scale, max-pooling by 2 between scales). With `predictionWeight` λₚ > 0
/// TS-TCC's temporal contrasting is added (`TemporalPrediction`: each view's step
/// representation at a shared stamp predicts, through a linear predictor trained with the
/// encoder and dropped after, the other view's next K steps among the other series');
/// loss = instance + λ · temporal + λₚ · prediction.
///
/// ```swift
/// let encoder = try ContrastiveSeriesPretrainer(config: ContrastiveSeriesConfig()).fit(collection)
/// ```
public struct ContrastiveSeriesPretrainer {
    public var config: ContrastiveSeriesConfig
    public var progress: ProgressReporter?
    /// The ranks that share each batch (data parallelism, as in `Pretrainer`): every rank
    /// draws the whole batch's views and encodes its part; InfoNCE still sees the whole
    /// batch (`Communicator.infoNCE`).
    public var communicator: Communicator

    public init(config: ContrastiveSeriesConfig = ContrastiveSeriesConfig(), progress: ProgressReporter? = nil,
                communicator: Communicator = .single) {
        self.config = config
        self.progress = progress
        self.communicator = communicator
    }

    public func fit(_ collection: SeriesCollection) throws -> SeriesEncoder {
        try config.validate()
        if config.hierarchical && communicator.size > 1 {
            throw TrainingError.invalidHyperparameter(name: "hierarchical", value: "true on \(communicator.size) ranks",
                                                      expected: "one process (its instance term compares every series of a batch at each time step)")
        }
        if config.predictionWeight > 0 && communicator.size > 1 {
            throw TrainingError.invalidHyperparameter(name: "predictionWeight", value: "\(config.predictionWeight) on \(communicator.size) ranks",
                                                      expected: "one process (each prediction's negatives are every series of the batch)")
        }
        if config.loss == .mixup && communicator.size > 1 {
            throw TrainingError.invalidHyperparameter(name: "loss", value: "mixup on \(communicator.size) ranks",
                                                      expected: "one process (each mixture's candidates are every view of the batch)")
        }
        let usable = collection.series.indices.filter { collection.series[$0].length >= 2 }
        guard usable.count >= 2 else {
            throw SeriesError.noSeries(path: collection.source, reason: "contrastive pretraining needs at least 2 series of 2 or more steps")
        }
        let crop = config.crop(longest: collection.series.map(\.length).max() ?? 0)
        let standardizer = config.normalization == .global ? SeriesStandardizer(fitting: collection) : nil
        var order = usable
        var split = SeededGenerator(seed: config.seed, stream: "contrastive-hold-out")
        var validation: [Int] = []
        if usable.count >= config.earlyStoppingSeries {
            split.shuffle(&order)
            validation = Array(order.prefix(max(2, Int((Double(usable.count) * config.validationFraction).rounded())))).sorted()
        }
        let held = Set(validation)
        let train = usable.filter { !held.contains($0) }

        var seeds = SeededGenerator(seed: config.seed, stream: "contrastive-series")
        let inputWidth = crop * 2 * collection.channels
        let encoder = try Network(architecture: config.encoder.architecture(channels: collection.channels), inputDimensions: inputWidth,
                                  outputDimensions: nil, seed: seeds.next())
        let head = try Network(architecture: .mlp(MLPConfig(depth: 1, hiddenWidth: config.projectionWidth)), inputDimensions: encoder.outputDimensions,
                               outputDimensions: config.projectionWidth, seed: seeds.next())
        // TS-TCC's predictor W → K·W (`TemporalPrediction`), from its own seed stream so the
        // other draws are those of a run without it.
        var predictionDraws = SeededGenerator(seed: config.seed, stream: "contrastive-prediction")
        let predictor = config.predictionWeight > 0
            ? try Network(architecture: .linear, inputDimensions: config.encoder.tcn.width,
                          outputDimensions: config.predictionHorizon * config.encoder.tcn.width, seed: predictionDraws.next())
            : nil
        var training = config.training
        training.seed = seeds.next()
        training.batchSize = min(training.batchSize, train.count)
        var augmentations = SeededGenerator(seed: seeds.next(), stream: "contrastive-views")
        var fixed = SeededGenerator(seed: seeds.next(), stream: "contrastive-validation-views")
        let validationViews = validation.isEmpty ? nil : drawViews(collection, validation, crop: crop, standardizer: standardizer, generator: &fixed)
        let mixup = config.loss == .mixup, channels = collection.channels
        let validationWeights = mixup && !validation.isEmpty ? mixingWeights(count: validation.count, generator: &fixed) : []
        if validation.isEmpty {
            let stepsPerEpoch = (train.count + training.batchSize - 1) / training.batchSize
            training.maximumEpochs = (config.steps + stepsPerEpoch - 1) / stepsPerEpoch   // not capped: steps decide here
        }
        let steps = (train.count + training.batchSize - 1) / training.batchSize * training.maximumEpochs
        let stores = [encoder.store, head.store] + (predictor.map { [$0.store] } ?? [])
        let optimizers = try stores.map { _ in try Optimizer(config: config.optimizer, totalSteps: steps) }
        let temperature = config.temperature, temporalWeight = config.temporalWeight, predictionWeight = config.predictionWeight
        let validationAnchors = validationViews.flatMap { held in
            predictor.map { _ in self.anchors(held.starts, validation.map { collection.series[$0].length }, crop: crop, generator: &predictionDraws) }
        }
        let communicator = self.communicator
        let history = try Trainer(config: training, progress: progress, communicator: communicator).run(
            rowCount: train.count, stores: stores, optimizers: optimizers,
            step: { batch in
                var members = batch.map { train[$0] }
                if members.count == 1 { members.append(train[(batch[0] + 1) % train.count]) }   // a lone series has no negative
                let (x, starts) = drawViews(collection, members, crop: crop, standardizer: standardizer, generator: &augmentations)   // (2B, c·2C)
                if mixup {   // one process
                    let weights = mixingWeights(count: members.count, generator: &augmentations)
                    let z = head.forward(encoder.forward(Self.mixtures(x, weights: weights, channels: channels), mode: .training), mode: .training)   // (3B, P)
                    let loss = MixupContrast.compute(stacked: z, weights: weights, temperature: temperature)
                    encoder.accumulateGradients(head.backward(loss.gradient))
                    return loss.value
                }
                // This rank's part of both views (all of them on one rank).
                let local = communicator.localStackedRows(x, total: members.count)                          // (2b, c·2C)
                guard temporalWeight > 0 || predictor != nil else {
                    let localZ = local.rows > 0 ? head.forward(encoder.forward(local, mode: .training), mode: .training)
                        : Matrix(rows: 0, columns: config.projectionWidth)                                   // (2b, P)
                    let loss = communicator.infoNCE(localZ, total: members.count, temperature: temperature)    // gradient (2b, P)
                    if local.rows > 0 { encoder.accumulateGradients(head.backward(loss.gradient)) }
                    return loss.value
                }
                let part = communicator.localRange(of: members.count)
                let steps = local.rows > 0 ? encoder.forwardSteps(local, mode: .training)! : Matrix(rows: 0, columns: 0)   // (2b, c·W)
                let localZ = local.rows > 0 ? head.forward(encoder.forwardPooled(steps, mode: .training), mode: .training)
                    : Matrix(rows: 0, columns: config.projectionWidth)                                       // (2b, P)
                let loss = communicator.infoNCE(localZ, total: members.count, temperature: temperature)        // gradient (2b, P)
                guard local.rows > 0 else { return loss.value + Double(temporalWeight) * communicator.allreduceSum(0) / Double(members.count) }
                var stepGradient = encoder.backwardPooled(head.backward(loss.gradient))                       // (2b, c·W)
                var value = loss.value
                if temporalWeight > 0 {
                    value += Double(temporalWeight) * stepTerm(steps: steps, gradient: &stepGradient, pairs: part.map { (starts[$0], starts[members.count + $0]) },
                                                               lengths: part.map { collection.series[members[$0]].length }, crop: crop, batch: members.count)
                }
                if let predictor {   // one process: the whole batch is this rank's
                    let lengths = members.map { collection.series[$0].length }
                    let anchors = self.anchors(starts, lengths, crop: crop, generator: &predictionDraws)
                    value += Double(predictionWeight) * TemporalPrediction.accumulate(
                        steps: steps, gradient: &stepGradient, predictor: predictor, anchors: anchors, starts: starts, lengths: lengths,
                        crop: crop, temperature: temperature, scale: predictionWeight, training: true)
                }
                encoder.accumulateStepGradients(stepGradient)
                return value
            },
            validate: validationViews.map { held in {
                if mixup {
                    let z = head.predict(encoder.predict(Self.mixtures(held.views, weights: validationWeights, channels: channels)))
                    return MixupContrast.compute(stacked: z, weights: validationWeights, temperature: temperature).value
                }
                let instance = InfoNCE.compute(stacked: head.predict(encoder.predict(held.views)), temperature: temperature).value
                guard temporalWeight > 0 || predictor != nil, let steps = encoder.stepRepresentations(held.views) else { return instance }
                var unused = Matrix(rows: steps.rows, columns: steps.columns)
                let lengths = validation.map { collection.series[$0].length }
                var value = instance
                if temporalWeight > 0 {
                    value += Double(temporalWeight) * stepTerm(steps: steps, gradient: &unused, pairs: validation.indices.map { (held.starts[$0], held.starts[validation.count + $0]) },
                                                               lengths: lengths, crop: crop, batch: validation.count, local: true)
                }
                if let predictor, let validationAnchors {
                    value += Double(predictionWeight) * TemporalPrediction.accumulate(
                        steps: steps, gradient: &unused, predictor: predictor, anchors: validationAnchors, starts: held.starts, lengths: lengths,
                        crop: crop, temperature: temperature, scale: predictionWeight, training: false)
                }
                return value
            } })
        var nextStep = NextStepConfig()
        nextStep.encoder = config.encoder
        nextStep.window.lookback = crop
        nextStep.seed = config.seed
        return SeriesEncoder(network: encoder, channelNames: collection.channelNames, lookback: crop, config: nextStep, history: history,
                             objective: .contrastive(config))
    }

    /// The λ term for a batch of `batch` series of which these `pairs` are this rank's
    /// (all of them on one rank, or `local`): TS2Vec's temporal contrast averaged over the
    /// batch's series (each rank adds its own; the sum is all-reduced), or the hierarchical
    /// contrast (one process). Adds λ · its gradient into `gradient`.
    func stepTerm(steps: Matrix, gradient: inout Matrix, pairs: [(Int, Int)], lengths: [Int], crop: Int, batch: Int,
                  local: Bool = false) -> Double {
        if config.hierarchical {
            return HierarchicalContrast.accumulate(steps: steps, gradient: &gradient, pairs: pairs, lengths: lengths, crop: crop,
                                                   temperature: config.temperature, scale: config.temporalWeight)
        }
        let sum = TemporalContrast.accumulate(steps: steps, gradient: &gradient, pairs: pairs, lengths: lengths, crop: crop,
                                              temperature: config.temperature, scale: config.temporalWeight / Float(batch))
        return (local ? sum : communicator.allreduceSum(sum)) / Double(batch)
    }

    /// Per series of a batch, the time stamp its temporal prediction starts from
    /// (`TemporalPrediction.anchors`, K = `predictionHorizon`).
    func anchors(_ starts: [Int], _ lengths: [Int], crop: Int, generator: inout SeededGenerator) -> [Int?] {
        TemporalPrediction.anchors(starts: starts, lengths: lengths, crop: crop, horizon: config.predictionHorizon, generator: &generator)
    }

    /// Two augmented views of each series at `indices`: rows 0..<B view 1, B..<2B view 2
    /// (the layout `InfoNCE.compute(stacked:)` reads). (2B, c·2C)
    func views(_ collection: SeriesCollection, _ indices: [Int], crop: Int, standardizer: SeriesStandardizer?,
               generator: inout SeededGenerator) -> Matrix {
        drawViews(collection, indices, crop: crop, standardizer: standardizer, generator: &generator).views
    }

    /// The views and, per view row, the time stamp (step index in its series) of the
    /// crop's first step — negative when a series shorter than the crop is padded at the
    /// start. With the temporal term the second crop starts within c/2 steps of the
    /// first (clamped to the series), so the two share at least half a crop. With
    /// `.subseries` views the second view is a stretch of ℓ ≥ 2 steps of the first, padded
    /// at the start (its start stamp is then that of the padding, stretch end − c).
    func drawViews(_ collection: SeriesCollection, _ indices: [Int], crop: Int, standardizer: SeriesStandardizer?,
                   generator: inout SeededGenerator) -> (views: Matrix, starts: [Int]) {
        var crops: [TimeSeries] = [], starts: [Int] = []
        for view in 0..<2 {
            for (position, index) in indices.enumerated() {
                let series = collection.series[index]
                if view == 1 && config.views == .subseries {
                    // A stretch of view 1: ℓ ∈ [2, its length], then where it starts.
                    let low = max(starts[position], 0), covered = min(starts[position] + crop, series.length) - low
                    let length = 2 + generator.nextInt(below: covered - 1)
                    let first = low + generator.nextInt(below: covered - length + 1)
                    starts.append(first + length - crop)   // the stamp of the row's first (padded) step
                    crops.append(series.prefix(first + length).suffix(length))
                    continue
                }
                var start = series.length - crop   // shorter series: whole, padded at the start
                if series.length > crop {
                    if view == 1 && config.views == .permuted {
                        start = starts[position]
                    } else if view == 1 && (config.temporalWeight > 0 || config.predictionWeight > 0) {
                        let shift = generator.nextInt(below: crop / 2 * 2 + 1) - crop / 2
                        start = min(max(0, starts[position] + shift), series.length - crop)
                    } else {
                        start = generator.nextInt(below: series.length - crop + 1)
                    }
                }
                starts.append(start)
                crops.append(series.prefix(max(start, 0) + crop).suffix(crop))
            }
        }
        var copy = collection
        copy.series = crops
        let windows = standardizer.map { WindowSet.whole(copy, length: crop, standardizer: $0) } ?? WindowSet.whole(copy, length: crop)
        var x = windows.inputs
        let channels = collection.channels, stepWidth = 2 * channels
        if config.views == .permuted {
            for position in indices.indices {
                permuteSegments(&x, row: indices.count + position, observedFrom: max(0, -starts[position]), crop: crop, stepWidth: stepWidth,
                                generator: &generator)
            }
        }
        for view in 0..<crops.count {
            let row = view * crop * stepWidth
            let factors = (0..<channels).map { _ in 1 + config.scaling * Float(generator.nextNormal()) }
            for t in 0..<crop {
                let step = row + t * stepWidth
                let masked = config.maskRate > 0 && generator.nextUniform() < config.maskRate
                for channel in 0..<channels where x[step + channels + channel] == 1 {
                    if masked {
                        x[step + channel] = 0
                        x[step + channels + channel] = 0
                    } else {
                        x[step + channel] = x[step + channel] * factors[channel] + config.jitter * Float(generator.nextNormal())
                    }
                }
            }
        }
        return (Matrix(rows: crops.count, columns: windows.inputWidth, values: x), starts)
    }

    /// TS-TCC's `permutation` on one view row of `x` (c steps of `stepWidth` values): its
    /// observed steps from `observedFrom` on are cut into m segments, m uniform in
    /// 1…`permutationSegments` − 1, at m − 1 distinct cut points, and put back in a
    /// random order.
    func permuteSegments(_ x: inout [Float], row: Int, observedFrom first: Int, crop: Int, stepWidth: Int, generator: inout SeededGenerator) {
        let count = crop - first
        let segments = min(1 + generator.nextInt(below: config.permutationSegments - 1), count)
        guard segments > 1 else { return }
        var cuts = Array(1..<count)
        generator.shuffle(&cuts)
        let bounds = [0] + cuts.prefix(segments - 1).sorted() + [count]
        var order = Array(0..<segments)
        generator.shuffle(&order)
        let base = (row * crop + first) * stepWidth
        let original = Array(x[base..<(base + count * stepWidth)])
        var at = base
        for segment in order {
            let piece = original[(bounds[segment] * stepWidth)..<(bounds[segment + 1] * stepWidth)]
            x.replaceSubrange(at..<(at + piece.count), with: piece)
            at += piece.count
        }
    }
}

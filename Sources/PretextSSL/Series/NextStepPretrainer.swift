import PretextData
import PretextNN

/// Pretrains a series encoder by next-step prediction.
///
/// Windows of L steps (`WindowSet.training`, horizon 1) from every series; the encoder
/// f (B, L·2C) → (B, D) and a linear head g (D → C) predict the next normalised value of
/// every channel; the loss is MSE over the observed targets (`MaskedMeanSquaredError`).
/// Early stopping on held-out windows: whole series when there are at least 10 (seeded
/// choice), else the last windows in time of each series — never windows overlapping the
/// training ones at random, which would leak.
///
/// ```swift
/// let encoder = try NextStepPretrainer(config: NextStepConfig()).fit(collection)
/// try encoder.save(to: "encoder.safetensors")
/// ```
public struct NextStepPretrainer {
    public var config: NextStepConfig
    public var progress: ProgressReporter?
    /// The ranks that share each batch (data parallelism, as in `Pretrainer`): each takes
    /// its part of the batch's windows, weighted by its share of their observed targets.
    public var communicator: Communicator

    public init(config: NextStepConfig = NextStepConfig(), progress: ProgressReporter? = nil,
                communicator: Communicator = .single) {
        self.config = config
        self.progress = progress
        self.communicator = communicator
    }

    /// The held-out next-step MSE of the returned encoder and head, per epoch, is in
    /// `history`; `fitWithHead` also returns the head g.
    public func fit(_ collection: SeriesCollection) throws -> SeriesEncoder {
        try fitWithHead(collection).encoder
    }

    public func fitWithHead(_ collection: SeriesCollection) throws -> (encoder: SeriesEncoder, head: Network, validation: WindowSet) {
        try config.validate()
        let windows = WindowSet.training(collection, config: config.window)
        guard windows.count >= 2 else {
            let longest = collection.series.map(\.length).max() ?? 0
            throw SeriesError.tooShort(path: collection.source, series: collection.series.first?.id ?? "-", length: longest,
                                       needed: config.window.lookback + 2, purpose: "next-step pretraining with lookback \(config.window.lookback)")
        }
        let (trainIndices, validationIndices) = Self.holdOut(windows, seriesCount: collection.count, fraction: config.validationFraction, seed: config.seed)
        let train = windows.selecting(trainIndices), validation = windows.selecting(validationIndices)
        let x = Matrix(rows: train.count, columns: train.inputWidth, values: train.inputs)
        let y = Matrix(rows: train.count, columns: train.targetWidth, values: train.targets)
        let xValidation = Matrix(rows: validation.count, columns: validation.inputWidth, values: validation.inputs)
        let yValidation = Matrix(rows: validation.count, columns: validation.targetWidth, values: validation.targets)

        var seeds = SeededGenerator(seed: config.seed, stream: "next-step")
        let encoder = try Network(architecture: config.encoder.architecture(channels: collection.channels),
                                  inputDimensions: windows.inputWidth, outputDimensions: nil, seed: seeds.next())
        let head = try Network(architecture: .linear, inputDimensions: encoder.outputDimensions, outputDimensions: collection.channels, seed: seeds.next())
        var training = config.training
        training.seed = seeds.next()
        let steps = (train.count + training.batchSize - 1) / training.batchSize * training.maximumEpochs
        let optimizers = [try Optimizer(config: config.optimizer, totalSteps: steps), try Optimizer(config: config.optimizer, totalSteps: steps)]
        let communicator = self.communicator
        // A part's share of a batch's loss: its observed (non-missing) targets over the batch's.
        let observed = { (rows: [Int]) in rows.reduce(0) { sum, row in
            sum + (0..<y.columns).reduce(0) { $0 + (y[row, $1].isNaN ? 0 : 1) } } }
        let history = try Trainer(config: training, progress: progress, communicator: communicator).run(
            rowCount: train.count, stores: [encoder.store, head.store], optimizers: optimizers,
            step: { batch in
                communicator.step(batch, share: { local, whole in Float(observed(local)) / Float(max(1, observed(whole))) }) { rows in
                    let output = head.forward(encoder.forward(x.gatheringRows(rows), mode: .training), mode: .training)
                    let loss = MaskedMeanSquaredError.compute(predictions: output, targets: y.gatheringRows(rows))
                    return (loss, { encoder.accumulateGradients(head.backward($0)) })
                }
            },
            validate: validation.count == 0 ? nil : {
                MaskedMeanSquaredError.compute(predictions: head.predict(encoder.predict(xValidation)), targets: yValidation).value
            })
        let result = SeriesEncoder(network: encoder, channelNames: collection.channelNames, lookback: config.window.lookback,
                                   config: config, history: history)
        return (result, head, validation)
    }

    /// Validation windows: the windows of a seeded `fraction` of the series when there
    /// are at least 10 series, else each series' last `fraction` of windows in time.
    static func holdOut(_ windows: WindowSet, seriesCount: Int, fraction: Double, seed: UInt64) -> (train: [Int], validation: [Int]) {
        var validation: [Int] = []
        if seriesCount >= 10 {
            var order = Array(0..<seriesCount)
            var generator = SeededGenerator(seed: seed, stream: "series-hold-out")
            generator.shuffle(&order)
            let held = Set(order.prefix(max(1, Int((Double(seriesCount) * fraction).rounded()))))
            validation = windows.origins.indices.filter { held.contains(windows.origins[$0].series) }
        } else {
            var bySeries: [Int: [Int]] = [:]
            for (index, origin) in windows.origins.enumerated() { bySeries[origin.series, default: []].append(index) }
            for (_, indices) in bySeries where indices.count >= 2 {
                let count = max(1, Int((Double(indices.count) * fraction).rounded()))
                validation += indices.suffix(count)
            }
        }
        let held = Set(validation)
        let train = windows.origins.indices.filter { !held.contains($0) }
        return train.isEmpty ? (Array(windows.origins.indices), []) : (train, validation.sorted())
    }
}

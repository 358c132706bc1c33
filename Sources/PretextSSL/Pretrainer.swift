import PretextData
import PretextNN

/// Pretrains an encoder with a self-supervised objective on a pool of rows, labeled or
/// not (`PretrainingObjective`: SCARF, VICReg, reconstruction, or a combination).
///
/// Each step takes a batch of pool rows x and draws a corrupted view x̃ with
/// `MarginalCorruptor`. Contrastive objectives pass both through the encoder f and head
/// g as one stacked batch and compare g(f(x)) with g(f(x̃)): SCARF by InfoNCE (the other
/// rows' views are the negatives), VICReg by its invariance, variance and covariance
/// terms. Reconstruction decodes f(x̃) with a linear decoder into every original column
/// and the corruption mask. Losses are summed with their weights; the networks are
/// updated by Adam. After each epoch the same loss on a fixed set of corrupted pairs,
/// drawn once from a held-out part of the pool, decides early stopping.
///
/// ```swift
/// let encoder = try Pretrainer(config: PretrainingConfig()).fit(table, rows: split.pretraining)
/// let embeddings = try encoder.transform(table)
/// ```
public struct Pretrainer {
    public var config: PretrainingConfig
    public var progress: ProgressReporter?
    /// The ranks that share each batch (data parallelism; see `Communicator`). With the
    /// same seed and batch size, 1, 2 or 4 ranks train the same encoder up to the order of
    /// floating-point sums.
    public var communicator: Communicator
    /// Pretraining from a cache holds the training rows' features when they fit in this
    /// many bytes (then it trains exactly what the table in memory trains); above it, it
    /// visits them a window of this size at a time (`WindowedFeatureRows`; two windows are
    /// held at most). Default 64 MB: 800,000 rows of 20 features, 20,000 of 784.
    public var streamingWindowBytes = 64_000_000
    /// Rows per block of a window (consecutive rows read together). Default 1,024: one
    /// 4 KB page of each 32-bit column.
    public var streamingBlockRows = 1_024

    public init(config: PretrainingConfig = PretrainingConfig(), progress: ProgressReporter? = nil,
                communicator: Communicator = .single) {
        self.config = config
        self.progress = progress
        self.communicator = communicator
    }

    /// Pretrains on `rows` of `table` (default: every row). The target column, if any,
    /// is never an input. `preprocessor`: preprocessing already fitted (default: fitted
    /// on `rows`).
    public func fit(_ table: Table, rows: [Int]? = nil, preprocessor given: FittedPreprocessor? = nil) throws -> PretrainedEncoder {
        try config.validate()
        let pool = rows ?? Array(0..<table.rowCount)
        guard pool.count >= 4 else { throw TrainingError.notEnoughData(reason: "SCARF needs at least 4 pool rows, got \(pool.count)") }
        let (trainRows, validationRows) = split(pool)
        var seeds = SeededGenerator(seed: config.seed, stream: "scarf")
        let (preprocessor, features, encoder) = try start(table, pool: pool, preprocessor: given, seeds: &seeds)
        let x = features.gatheringRows(trainRows)
        let corruptor = MarginalCorruptor(blocks: preprocessor.blocks, corruptionRate: config.corruptionRate, pool: x)
        return try train(preprocessor: preprocessor, encoder: encoder, featureCount: features.columns, trainCount: trainRows.count,
                         batch: { (x.gatheringRows($0), corruptor) }, validationCorruptor: corruptor,
                         validationAnchors: features.gatheringRows(validationRows), seeds: &seeds)
    }

    /// At most this many rows are held out for early stopping; the rest of
    /// `validationFraction` trains. A stable estimate of the loss needs thousands of rows,
    /// not 10% of millions — which a streamed table would have to hold in memory (with
    /// their corrupted views and masks) for the whole run.
    public static let maximumValidationRows = 20_000

    /// The positions (in 0..<total, sorted) held out for early stopping: a seeded uniform
    /// sample of `validationFraction` of them (at least 1 and at most total − 1, as
    /// `DatasetSplit.holdOut` rounds), capped at `maximumValidationRows` — drawn without
    /// an array of all positions (`DatasetSplit.sample`), so a cache of millions of rows
    /// costs the hold-out's memory only.
    func heldOutPositions(of total: Int) -> [Int] {
        let count = min(DatasetSplit.holdOutCount(of: total, fraction: config.validationFraction), Self.maximumValidationRows)
        var generator = SeededGenerator(seed: config.seed, stream: "hold-out")
        return DatasetSplit.sample(count: count, of: total, generator: &generator)
    }

    /// `pool` divided into training and held-out rows (`heldOutPositions`), both in pool order.
    func split(_ pool: [Int]) -> (train: [Int], validation: [Int]) {
        let held = heldOutPositions(of: pool.count)
        return (RowsExcept(total: pool.count, excluding: held).map { pool[$0] }, held.map { pool[$0] })
    }

    /// The training loop shared by every source: `batch` gives the features of training
    /// rows by their position among the training rows and the corruption that draws their
    /// views; `validationAnchors` are the held-out rows' features, their fixed views drawn
    /// once by `validationCorruptor`; `epochOrder`, if given, orders each epoch's rows.
    ///
    /// With `localBatches` (several ranks, each reading its own shard) `batch` gives only
    /// this rank's part of each batch — its own rows, corrupted with its own draws — and
    /// the step combines the parts (`ObjectiveStep.runLocal`).
    func train(preprocessor: FittedPreprocessor, encoder: Network, featureCount: Int, trainCount: Int,
               batch gather: @escaping ([Int]) -> (Matrix, MarginalCorruptor), validationCorruptor: MarginalCorruptor,
               validationAnchors: Matrix, seeds: inout SeededGenerator,
               epochOrder: ((Int, inout SeededGenerator) -> [Int])? = nil, localBatches: Bool = false) throws -> PretrainedEncoder {
        let head = try Network(architecture: config.headArchitecture, inputDimensions: config.encoderWidth,
                               outputDimensions: config.encoderWidth, seed: seeds.next())
        let decoder = try Network(architecture: .linear, inputDimensions: config.encoderWidth,
                                  outputDimensions: featureCount + preprocessor.blocks.count, seed: seeds.next())
        var training = config.training
        training.seed = seeds.next()
        let objective = config.objective
        var stores: [ParameterStore] = [encoder.store]
        if objective.isContrastive { stores.append(head.store) }
        if objective.contains(.reconstruct) { stores.append(decoder.store) }
        let batchesPerEpoch = (trainCount + training.batchSize - 1) / training.batchSize
        let optimizers = try stores.map { _ in try Optimizer(config: config.optimizer, totalSteps: batchesPerEpoch * training.maximumEpochs) }

        // Fixed validation pairs: each held-out row with one corrupted view, drawn once.
        var validationGenerator = SeededGenerator(seed: config.seed, stream: "scarf-validation")
        let (validationViews, validationMask) = validationCorruptor.corruptWithMask(validationAnchors, generator: &validationGenerator)
        var corruption = SeededGenerator(seed: seeds.next(), stream: localBatches ? "corruption-rank-\(communicator.rank)" : "corruption")
        let step = ObjectiveStep(config: config, blocks: preprocessor.blocks, encoder: encoder, head: head, decoder: decoder,
                                 communicator: communicator)

        // On several ranks every rank draws the whole batch's corruption (the same draws as
        // one process) and `step` computes its own part of the batch.
        var trainer = Trainer(config: training, progress: progress, communicator: communicator)
        if objective.isContrastive { trainer.minimumBatchSize = 2 }
        trainer.epochOrder = epochOrder
        let history = try trainer.run(
            rowCount: trainCount, stores: stores, optimizers: optimizers,
            step: { batch in
                let (anchors, corruptor) = gather(batch)
                let (views, mask) = corruptor.corruptWithMask(anchors, generator: &corruption)
                if localBatches {
                    return step.runLocal(anchors: anchors, views: views, mask: mask, total: batch.count, mode: .training, backward: true)
                }
                return step.run(anchors: anchors, views: views, mask: mask, mode: .training, backward: true)
            },
            validate: validationAnchors.rows < 2 ? nil : {
                step.validationLoss(anchors: validationAnchors, views: validationViews, mask: validationMask, batchSize: training.batchSize)
            })
        return PretrainedEncoder(preprocessor: preprocessor, network: encoder, config: config, history: history)
    }

    /// The encoder pretraining on `rows` would start from: the preprocessing fitted on
    /// those rows' features and the network at its seeded initialisation, untrained (the
    /// same weights `fit` starts from). Fine-tuning it in full is training the same
    /// network from scratch — the control that isolates what pretraining adds.
    public func untrained(_ table: Table, rows: [Int]? = nil) throws -> PretrainedEncoder {
        try config.validate()
        var seeds = SeededGenerator(seed: config.seed, stream: "scarf")
        let (preprocessor, _, encoder) = try start(table, pool: rows ?? Array(0..<table.rowCount), preprocessor: nil, seeds: &seeds)
        return PretrainedEncoder(preprocessor: preprocessor, network: encoder, config: config, history: TrainingHistory())
    }

    /// Preprocessing fitted on `pool`, every row's features (rows, F), and the encoder
    /// initialised from the first seed of `seeds`.
    private func start(_ table: Table, pool: [Int], preprocessor given: FittedPreprocessor?,
                       seeds: inout SeededGenerator) throws -> (FittedPreprocessor, Matrix, Network) {
        let preprocessor = try given ?? Preprocessor(config: config.preprocessing).fit(table, rows: pool)
        guard !preprocessor.features.isEmpty else {
            throw TrainingError.notEnoughData(reason: "no usable feature columns (all constant or non-features)")
        }
        let (allFeatures, _) = try preprocessor.transform(table)
        let features = Matrix(rows: allFeatures.rows, columns: allFeatures.columns, values: allFeatures.values)
        let encoder = try Network(architecture: config.encoderArchitecture, inputDimensions: features.columns,
                                  outputDimensions: config.encoderWidth, seed: seeds.next())
        return (preprocessor, features, encoder)
    }
}

/// One pretraining step for the configured objective(s): forward, weighted losses and
/// (when training) backward into the encoder, head and decoder.
struct ObjectiveStep {
    let config: PretrainingConfig
    let blocks: [FeatureBlock]
    let encoder: Network, head: Network, decoder: Network
    var communicator: Communicator = .single

    /// The weighted loss of one batch (B rows); with `backward`, gradients are accumulated.
    ///
    /// On several ranks each computes its part `localRange(of: B)` of the batch. InfoNCE
    /// and VICReg compare every row with every other, so they see the same B pairs as one
    /// process: for SCARF alone each rank scores its own anchors against the gathered
    /// positives and the positives' gradients are summed (`Communicator.infoNCE`); with
    /// VICReg the projections of the whole batch are gathered and each rank
    /// backpropagates its own rows' share of the gradient. Reconstruction, a
    /// mean over rows, is computed on the local rows and weighted by b/B. The returned
    /// loss is the whole batch's, the same on every rank.
    func run(anchors: Matrix, views: Matrix, mask: Matrix, mode: Mode, backward: Bool) -> Double {
        let total = anchors.rows
        let part = communicator.localRange(of: total)
        guard communicator.size > 1 else { return runLocal(anchors: anchors, views: views, mask: mask, total: total, mode: mode, backward: backward) }
        return runLocal(anchors: anchors.gatheringRows(Array(part)), views: views.gatheringRows(Array(part)),
                        mask: mask.gatheringRows(Array(part)), total: total, mode: mode, backward: backward)
    }

    /// `run` with this rank's part of a batch of `total` rows given directly (b =
    /// `localRange(of: total).count` rows): what ranks that each read their own shard do.
    func runLocal(anchors localAnchors: Matrix, views localViews: Matrix, mask localMask: Matrix, total: Int, mode: Mode,
                  backward: Bool) -> Double {
        let batch = localAnchors.rows
        precondition(batch == communicator.localRange(of: total).count, "a rank's part of the batch")
        let share = Float(batch) / Float(total)   // of a mean over the whole batch's rows
        let objective = config.objective
        var sharedLoss = 0.0   // computed from the gathered batch: the same on every rank
        var ownLoss = 0.0      // this rank's share, summed over the ranks
        if objective.isContrastive {
            // Rows 0..<b originals, b..<2b their corrupted views, through f and g at once.
            let stacked = Matrix(rows: 2 * batch, columns: localAnchors.columns, values: localAnchors.values + localViews.values)
            let representation = batch > 0 ? encoder.forward(stacked, mode: mode) : Matrix(rows: 0, columns: config.encoderWidth)  // (2b, W)
            let localZ = batch > 0 ? head.forward(representation, mode: mode) : Matrix(rows: 0, columns: config.encoderWidth)       // (2b, D)
            let width = localZ.columns
            let localGradient: Matrix                                                                                                // (2b, D)
            if communicator.size > 1 && !objective.contains(.vicreg) {
                // SCARF alone on several ranks: each scores its own anchors against every
                // positive (b·B similarities, not B²), the positives' gradients summed.
                let result = communicator.infoNCE(localZ, total: total, temperature: config.temperature)
                sharedLoss += Double(config.scarfWeight) * result.value
                localGradient = Matrix(rows: 2 * batch, columns: width, values: result.gradient.values.map { config.scarfWeight * $0 })
            } else {
                let z = communicator.allgatherStacked(localZ, total: total)                                                         // (2B, D)
                var zGradient = [Float](repeating: 0, count: z.values.count)
                if objective.contains(.scarf) {
                    let result = InfoNCE.compute(stacked: z, temperature: config.temperature)
                    sharedLoss += Double(config.scarfWeight) * result.value
                    Self.add(result.gradient.values, times: config.scarfWeight, into: &zGradient)
                }
                if objective.contains(.vicreg) {
                    let z1 = Matrix(rows: total, columns: width, values: Array(z.values[0..<(total * width)]))
                    let z2 = Matrix(rows: total, columns: width, values: Array(z.values[(total * width)...]))
                    let result = VICReg.compute(z1, z2, weights: config.vicregWeights)
                    sharedLoss += Double(config.vicregWeight) * result.value
                    Self.add(result.firstGradient.values + result.secondGradient.values, times: config.vicregWeight, into: &zGradient)
                }
                localGradient = communicator.localStackedRows(Matrix(rows: 2 * total, columns: width, values: zGradient), total: total)
            }
            var representationGradient = backward && batch > 0 ? head.backward(localGradient) : Matrix(rows: 0, columns: 0)
            if objective.contains(.reconstruct) && batch > 0 {
                let viewRows = Matrix(rows: batch, columns: representation.columns,
                                      values: Array(representation.values[(batch * representation.columns)...]))
                let (value, gradient) = reconstruction(viewRows, original: localAnchors, mask: localMask, share: share,
                                                       mode: mode, backward: backward)
                ownLoss += value
                if backward {
                    let offset = batch * representation.columns
                    for index in gradient.values.indices { representationGradient.values[offset + index] += gradient.values[index] }
                }
            }
            if backward && batch > 0 { encoder.accumulateGradients(representationGradient) }
        } else if batch > 0 {
            let representation = encoder.forward(localViews, mode: mode)
            let (value, gradient) = reconstruction(representation, original: localAnchors, mask: localMask, share: share,
                                                   mode: mode, backward: backward)
            ownLoss += value
            if backward { encoder.accumulateGradients(gradient) }
        }
        guard communicator.size > 1 else { return sharedLoss + ownLoss }
        return communicator.allreduceSum((communicator.isRoot ? sharedLoss : 0) + ownLoss)
    }

    /// Weighted reconstruction loss of the views' representation, times `share` (this
    /// rank's rows over the batch's); returns the gradient with respect to that
    /// representation (empty without backward).
    private func reconstruction(_ representation: Matrix, original: Matrix, mask: Matrix, share: Float, mode: Mode,
                                backward: Bool) -> (Double, Matrix) {
        let output = decoder.forward(representation, mode: mode)
        var result = ReconstructionLoss.compute(output: output, original: original, mask: mask, blocks: blocks,
                                                featureWeight: config.reconstructionFeatureWeight)
        let weight = config.reconstructionWeight * share
        guard backward else { return (Double(weight) * result.value, Matrix(rows: 0, columns: 0)) }
        for index in result.gradient.values.indices { result.gradient.values[index] *= weight }
        return (Double(weight) * result.value, decoder.backward(result.gradient))
    }

    /// Mean loss over fixed consecutive batches of the validation pairs (no updates).
    func validationLoss(anchors: Matrix, views: Matrix, mask: Matrix, batchSize: Int) -> Double {
        var total = 0.0, weight = 0.0
        var start = 0
        while start < anchors.rows {
            let end = min(anchors.rows, start + batchSize)
            if end - start >= 2 {
                let rows = Array(start..<end)
                let value = run(anchors: anchors.gatheringRows(rows), views: views.gatheringRows(rows), mask: mask.gatheringRows(rows),
                                mode: .evaluation, backward: false)
                total += value * Double(rows.count)
                weight += Double(rows.count)
            }
            start = end
        }
        return weight > 0 ? total / weight : 0
    }

    private static func add(_ values: [Float], times weight: Float, into target: inout [Float]) {
        for index in target.indices { target[index] += weight * values[index] }
    }
}

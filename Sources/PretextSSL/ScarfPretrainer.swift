import PretextData
import PretextNN

/// Pretrains an encoder with SCARF on a pool of rows, labeled or not.
///
/// Each step takes a batch of pool rows x, draws a corrupted view x̃ with
/// `MarginalCorruptor`, passes both through the encoder f and head g as one stacked
/// batch, and minimises InfoNCE between g(f(x)) (anchors) and g(f(x̃)) (positives), the
/// other rows' corrupted views being the negatives. The encoder and head are updated by
/// Adam. After each epoch the InfoNCE loss of a fixed set of corrupted pairs, drawn
/// once from a held-out part of the pool, decides early stopping.
///
/// ```swift
/// let encoder = try ScarfPretrainer(config: ScarfConfig()).fit(table, rows: split.pretraining)
/// let embeddings = try encoder.transform(table)
/// ```
public struct ScarfPretrainer {
    public var config: ScarfConfig
    public var progress: ProgressReporter?

    public init(config: ScarfConfig = ScarfConfig(), progress: ProgressReporter? = nil) {
        self.config = config
        self.progress = progress
    }

    /// Pretrains on `rows` of `table` (default: every row). The target column, if any,
    /// is never an input.
    public func fit(_ table: Table, rows: [Int]? = nil) throws -> PretrainedEncoder {
        try config.validate()
        let pool = rows ?? Array(0..<table.rowCount)
        guard pool.count >= 4 else { throw TrainingError.notEnoughData(reason: "SCARF needs at least 4 pool rows, got \(pool.count)") }
        let (trainRows, validationRows) = DatasetSplit.holdOut(pool, classes: nil, fraction: config.validationFraction,
                                                                seed: config.seed)
        let preprocessor = try Preprocessor(config: config.preprocessing).fit(table, rows: pool)
        guard !preprocessor.features.isEmpty else {
            throw TrainingError.notEnoughData(reason: "no usable feature columns (all constant or non-features)")
        }
        let (allFeatures, _) = try preprocessor.transform(table)
        let features = Matrix(rows: allFeatures.rows, columns: allFeatures.columns, values: allFeatures.values)
        let x = features.gatheringRows(trainRows)
        let corruptor = MarginalCorruptor(blocks: preprocessor.blocks, corruptionRate: config.corruptionRate, pool: x)

        var seeds = SeededGenerator(seed: config.seed, stream: "scarf")
        let encoder = try Network(architecture: config.encoderArchitecture, inputDimensions: features.columns,
                                  outputDimensions: config.encoderWidth, seed: seeds.next())
        let head = try Network(architecture: config.headArchitecture, inputDimensions: config.encoderWidth,
                               outputDimensions: config.encoderWidth, seed: seeds.next())
        var training = config.training
        training.seed = seeds.next()
        let batchesPerEpoch = (trainRows.count + training.batchSize - 1) / training.batchSize
        let optimizers = [try Optimizer(config: config.optimizer, totalSteps: batchesPerEpoch * training.maximumEpochs),
                          try Optimizer(config: config.optimizer, totalSteps: batchesPerEpoch * training.maximumEpochs)]

        // Fixed validation pairs: each held-out row with one corrupted view, drawn once.
        var validationGenerator = SeededGenerator(seed: config.seed, stream: "scarf-validation")
        let validationAnchors = features.gatheringRows(validationRows)
        let validationViews = corruptor.corrupt(validationAnchors, generator: &validationGenerator)
        var corruption = SeededGenerator(seed: seeds.next(), stream: "corruption")
        let temperature = config.temperature

        let history = try Trainer(config: training, progress: progress).run(
            rowCount: trainRows.count, stores: [encoder.store, head.store], optimizers: optimizers,
            step: { batch in
                let anchors = x.gatheringRows(batch)
                let views = corruptor.corrupt(anchors, generator: &corruption)
                let result = Self.contrastiveStep(anchors: anchors, views: views, encoder: encoder, head: head,
                                                  temperature: temperature, mode: .training)
                let gradient = Matrix(rows: 2 * batch.count, columns: head.outputDimensions,
                                      values: result.anchorGradient.values + result.positiveGradient.values)
                encoder.backward(head.backward(gradient))
                return result.value
            },
            validate: validationRows.count < 2 ? nil : {
                Self.validationLoss(anchors: validationAnchors, views: validationViews, encoder: encoder, head: head,
                                    temperature: temperature, batchSize: training.batchSize)
            })
        return PretrainedEncoder(preprocessor: preprocessor, network: encoder, config: config, history: history)
    }

    /// Both views as one stacked batch (rows 0..<B anchors, B..<2B views) through f and g,
    /// then InfoNCE.
    static func contrastiveStep(anchors: Matrix, views: Matrix, encoder: Network, head: Network,
                                temperature: Float, mode: Mode) -> InfoNCE.Result {
        let batch = anchors.rows
        let stacked = Matrix(rows: 2 * batch, columns: anchors.columns, values: anchors.values + views.values)
        let z = head.forward(encoder.forward(stacked, mode: mode), mode: mode)       // (2B, D)
        let width = z.columns
        let anchorEmbeddings = Matrix(rows: batch, columns: width, values: Array(z.values[0..<(batch * width)]))
        let viewEmbeddings = Matrix(rows: batch, columns: width, values: Array(z.values[(batch * width)...]))
        return InfoNCE.compute(anchors: anchorEmbeddings, positives: viewEmbeddings, temperature: temperature)
    }

    /// Mean InfoNCE over fixed consecutive batches of the validation pairs.
    static func validationLoss(anchors: Matrix, views: Matrix, encoder: Network, head: Network,
                               temperature: Float, batchSize: Int) -> Double {
        var total = 0.0, weight = 0.0
        var start = 0
        while start < anchors.rows {
            let end = min(anchors.rows, start + batchSize)
            if end - start >= 2 {
                let rows = Array(start..<end)
                let result = contrastiveStep(anchors: anchors.gatheringRows(rows), views: views.gatheringRows(rows),
                                             encoder: encoder, head: head, temperature: temperature, mode: .evaluation)
                total += result.value * Double(rows.count)
                weight += Double(rows.count)
            }
            start = end
        }
        return weight > 0 ? total / weight : 0
    }
}

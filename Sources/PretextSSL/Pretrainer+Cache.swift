import Foundation
import PretextData
import PretextNN

extension Pretrainer {
    /// Pretrains on every row of a columnar cache without holding the table: the
    /// preprocessing is fitted in one streamed pass (`Preprocessor.fit(_:excluding:)`,
    /// unless given). When the training rows' features fit in `streamingWindowBytes` they
    /// are read once and held, and with the same preprocessing and seed this trains
    /// exactly the model `fit(_:rows:preprocessor:)` trains on the same table: the same
    /// split, batches and corruption draws. Above that, each epoch visits the rows a
    /// window at a time (`WindowedFeatureRows`: shuffled blocks of consecutive rows, read
    /// in file order, rows shuffled within the window, corruption donors from the
    /// window), so the file is read in order once per epoch; memory is the model, two
    /// windows and the validation rows (at most `maximumValidationRows`, their donors
    /// drawn among themselves).
    ///
    /// On several ranks (`communicator`) each rank fits the preprocessing statistics on
    /// its own part of the rows (merged), then reads only its own shard of the
    /// training rows — a contiguous part, the same way held or windowed — and draws
    /// SCARF's donors from it; every global batch of B rows is the ranks' parts together
    /// (`fitSharded`). The model then differs from one process's (other rows meet in a
    /// batch, other donors) and matches it in quality, not in bits.
    ///
    /// - Parameter excluding: columns that are not inputs (the target, id columns).
    public func fit(_ cache: CachedTable, excluding: Set<String> = [], preprocessor given: FittedPreprocessor? = nil) throws -> PretrainedEncoder {
        try config.validate()
        guard cache.rowCount >= 4 else { throw TrainingError.notEnoughData(reason: "SCARF needs at least 4 pool rows, got \(cache.rowCount)") }
        let validationRows = heldOutPositions(of: cache.rowCount)   // the rows are the positions: the pool is every row
        let trainRows = RowsExcept(total: cache.rowCount, excluding: validationRows)
        var seeds = SeededGenerator(seed: config.seed, stream: "scarf")
        let preprocessor = try given ?? fitPreprocessing(cache, excluding: excluding)
        guard !preprocessor.features.isEmpty else {
            throw TrainingError.notEnoughData(reason: "no usable feature columns (all constant or non-features)")
        }
        let source = try CachedFeatureRows(cache: cache, preprocessor: preprocessor)
        let encoder = try Network(architecture: config.encoderArchitecture, inputDimensions: source.columns,
                                  outputDimensions: config.encoderWidth, seed: seeds.next())
        let validationAnchors = source.rows(validationRows)
        let blocks = preprocessor.blocks, rate = config.corruptionRate
        if communicator.size > 1 {
            return try fitSharded(source: source, trainRows: trainRows, validationAnchors: validationAnchors, encoder: encoder, seeds: &seeds)
        }
        guard let windows = windows(source, rows: trainRows) else {
            let x = source.rows(Array(trainRows))
            let corruptor = MarginalCorruptor(blocks: blocks, corruptionRate: rate, pool: x)
            return try train(preprocessor: preprocessor, encoder: encoder, featureCount: source.columns, trainCount: trainRows.count,
                             batch: { (x.gatheringRows($0), corruptor) }, validationCorruptor: corruptor,
                             validationAnchors: validationAnchors, seeds: &seeds)
        }
        return try train(preprocessor: preprocessor, encoder: encoder, featureCount: source.columns, trainCount: trainRows.count,
                         batch: { positions in
                             let (anchors, pool) = windows.gather(positions)
                             return (anchors, MarginalCorruptor(blocks: blocks, corruptionRate: rate, pool: pool))
                         },
                         validationCorruptor: MarginalCorruptor(blocks: blocks, corruptionRate: rate, pool: validationAnchors),
                         validationAnchors: validationAnchors, seeds: &seeds,
                         epochOrder: { _, generator in
                             windows.startEpoch(generator: &generator)
                             return []   // the windows' own order, walked through virtual positions
                         })
    }

    /// The preprocessing fitted in a streamed pass over the cache — on several ranks, each
    /// rank's pass over its own part of the rows, the parts' statistics gathered and
    /// merged in rank order (`CacheStatistics`), the same on every rank.
    func fitPreprocessing(_ cache: CachedTable, excluding: Set<String>) throws -> FittedPreprocessor {
        let preprocessor = Preprocessor(config: config.preprocessing)
        guard communicator.size > 1 else { return try preprocessor.fit(cache, excluding: excluding) }
        let own = try preprocessor.statistics(cache, excluding: excluding, rows: communicator.localRange(of: cache.rowCount))
        let encoder = JSONEncoder(), decoder = JSONDecoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        var merged: CacheStatistics?
        for part in communicator.allgather(Array(try encoder.encode(own))) {
            let statistics = try decoder.decode(CacheStatistics.self, from: Data(part))
            if merged == nil { merged = statistics } else { merged!.merge(statistics) }
        }
        return try preprocessor.fit(merged!, schema: cache.schema)
    }

    /// `rows` visited window by window, or nil when their features fit in one window of
    /// `streamingWindowBytes` (at least a block) and are held instead.
    func windows(_ source: CachedFeatureRows, rows: RowsExcept) -> WindowedFeatureRows? {
        let windowRows = max(streamingBlockRows, streamingWindowBytes / (4 * max(1, source.columns)))
        guard rows.count > windowRows else { return nil }
        return WindowedFeatureRows(source: source, rows: rows, blockRows: streamingBlockRows, windowBlocks: max(1, windowRows / streamingBlockRows))
    }

    /// Data-parallel pretraining where each rank reads only its shard: rank r holds the
    /// training rows `localRange(of: n)` (held, or windowed when larger than a window),
    /// shuffles them each epoch with its own stream, and contributes `localRange(of: B)`
    /// rows to each global batch of B, corrupted with donors from its shard and its own
    /// draws. An epoch is ⌈n/B⌉ global batches; a rank whose shard runs out first wraps
    /// to the start of its order (as PyTorch's `DistributedSampler` pads). The held-out
    /// rows (at most `maximumValidationRows`) are read by every rank, so the
    /// early-stopping loss is the one-process loss on the same pairs.
    private func fitSharded(source: CachedFeatureRows, trainRows: RowsExcept, validationAnchors: Matrix, encoder: Network,
                            seeds: inout SeededGenerator) throws -> PretrainedEncoder {
        let globalBatch = config.training.batchSize
        let localBatch = communicator.localRange(of: globalBatch).count
        guard localBatch >= 1 else {
            throw TrainingError.invalidHyperparameter(name: "batchSize", value: "\(globalBatch)",
                                                      expected: "at least one row per rank (\(communicator.size) ranks) when each reads its own shard")
        }
        let shard = trainRows.part(communicator.localRange(of: trainRows.count))
        guard !shard.isEmpty else {
            throw TrainingError.notEnoughData(reason: "\(trainRows.count) training rows cannot be shared by \(communicator.size) ranks")
        }
        let steps = (trainRows.count + globalBatch - 1) / globalBatch
        let blocks = source.preprocessor.blocks, rate = config.corruptionRate
        let windows = windows(source, rows: shard)
        let held = windows == nil ? source.rows(Array(shard)) : nil
        let rank = communicator.rank
        let order = EpochOrder()
        return try train(preprocessor: source.preprocessor, encoder: encoder, featureCount: source.columns, trainCount: steps * globalBatch,
                         batch: { batch in
                             let step = batch[0] / globalBatch
                             // This rank's part of the step: the next positions of its own order, wrapping.
                             let virtual = (0..<localBatch).map { (step * localBatch + $0) % shard.count }
                             if let held {
                                 let positions = virtual.map { order.positions[$0] }
                                 return (held.gatheringRows(positions), MarginalCorruptor(blocks: blocks, corruptionRate: rate, pool: held))
                             }
                             let (anchors, pool) = windows!.gather(virtual)
                             return (anchors, MarginalCorruptor(blocks: blocks, corruptionRate: rate, pool: pool))
                         },
                         validationCorruptor: MarginalCorruptor(blocks: blocks, corruptionRate: rate, pool: validationAnchors),
                         validationAnchors: validationAnchors, seeds: &seeds,
                         epochOrder: { _, generator in
                             // Global batches in order; this rank's own order of its shard.
                             var local = SeededGenerator(seed: generator.next(), stream: "shard-\(rank)")
                             if let windows {
                                 windows.startEpoch(generator: &local)
                             } else {
                                 order.positions = Array(0..<shard.count)
                                 local.shuffle(&order.positions)
                             }
                             return []   // global batches in order
                         },
                         localBatches: true)
    }
}

/// This rank's order of its held shard in the current epoch (set by the trainer's epoch
/// hook, read by each step).
private final class EpochOrder: @unchecked Sendable {
    var positions: [Int] = []
}

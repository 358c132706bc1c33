import PretextData

/// The training loop every Pretext trainer uses.
///
/// Each epoch: shuffle the training rows with a seeded generator, run mini-batches
/// through `step` (which does forward and backward and returns the batch loss),
/// update with the optimizer, then score `validate` (lower is better). Keeps a copy of
/// the best weights; stops after `patience` epochs without improvement and restores
/// them. A NaN or infinite loss stops training with `TrainingError.diverged`.
///
/// On several ranks (`communicator`), every rank walks the same batches; `step` does its
/// rank's part of each and returns the whole batch's loss (the same on every rank), and
/// the gradients of every store are summed over the ranks in one flat buffer before the
/// update. The root's validation loss is broadcast, so the early-stopping decision is
/// made once; only the root reports progress.
public struct Trainer {
    public var config: TrainingConfig
    public var progress: ProgressReporter?
    public var communicator: Communicator
    /// A last batch of an epoch with fewer rows is skipped (contrastive losses need 2: one
    /// row has no negatives, and VICReg's variance none). Default 1: every row is used.
    public var minimumBatchSize = 1
    /// Each epoch's order of the rows 0..<rowCount, drawn from the trainer's generator;
    /// an empty array means 0..<rowCount as they are (the source orders them itself, and
    /// no per-row array is made). nil (default): a uniform shuffle. A source that cannot
    /// read rows at random (a table larger than memory) visits them window by window
    /// instead (`WindowedFeatureRows`).
    public var epochOrder: ((_ rowCount: Int, _ generator: inout SeededGenerator) -> [Int])?

    public init(config: TrainingConfig, progress: ProgressReporter? = nil, communicator: Communicator = .single) {
        self.config = config
        self.progress = communicator.isRoot ? progress : nil
        self.communicator = communicator
    }

    /// - Parameters:
    ///   - rowCount: training rows; batches are index lists into 0..<rowCount.
    ///   - stores: every parameter store the step updates (for zeroing, snapshots).
    ///   - step: forward + backward on a batch; returns its loss.
    ///   - validate: the validation loss after an epoch, or nil to train all epochs.
    public func run(rowCount: Int, stores: [ParameterStore], optimizers: [Optimizer],
                    step: ([Int]) throws -> Double, validate: (() -> Double)?) throws -> TrainingHistory {
        try config.validate()
        guard rowCount > 0 else { throw TrainingError.notEnoughData(reason: "there are no training rows") }
        var generator = SeededGenerator(seed: config.seed, stream: "batches")
        var history = TrainingHistory()
        var best = Double.infinity
        var bestSnapshot: [([Float], [Float])]? = nil
        var epochsWithoutImprovement = 0
        var rowsSeen = 0
        var order = epochOrder == nil ? Array(0..<rowCount) : []
        for epoch in 1...config.maximumEpochs {
            if let epochOrder {
                order = epochOrder(rowCount, &generator)
                precondition(order.isEmpty || order.count == rowCount, "an epoch's order must hold every row once")
            } else {
                generator.shuffle(&order)
            }
            var lossSum = 0.0, batches = 0
            var start = 0
            while start < rowCount {
                let end = min(rowCount, start + config.batchSize)
                let batch = order.isEmpty ? Array(start..<end) : Array(order[start..<end])
                start += config.batchSize
                if batch.count < minimumBatchSize && batches > 0 { break }
                for store in stores { store.zeroGradients() }
                let loss = try step(batch)
                sumGradients(stores)
                guard loss.isFinite else {
                    throw TrainingError.diverged(epoch: epoch, step: batches + 1, loss: loss,
                                                 learningRate: optimizers.first?.currentLearningRate ?? 0)
                }
                for (store, optimizer) in zip(stores, optimizers) { optimizer.update(store) }
                lossSum += loss
                batches += 1
                rowsSeen += batch.count
            }
            let trainingLoss = lossSum / Double(batches)
            let validationLoss = validate.map { communicator.broadcast($0()) }
            history.epochs.append(.init(epoch: epoch, trainingLoss: trainingLoss, validationLoss: validationLoss))
            var message = "loss \(Self.format(trainingLoss))"
            if let validationLoss {
                guard validationLoss.isFinite else {
                    throw TrainingError.diverged(epoch: epoch, step: batches, loss: validationLoss,
                                                 learningRate: optimizers.first?.currentLearningRate ?? 0)
                }
                message += "  validation \(Self.format(validationLoss))"
                if validationLoss < best - config.minimumImprovement {
                    best = validationLoss
                    history.bestEpoch = epoch
                    epochsWithoutImprovement = 0
                    if config.restoreBestWeights { bestSnapshot = stores.map { ($0.values, $0.buffers) } }
                } else {
                    epochsWithoutImprovement += 1
                }
            } else {
                history.bestEpoch = epoch
            }
            let stopping = validationLoss != nil && epochsWithoutImprovement >= config.patience
            progress?.report(done: epoch, total: config.maximumEpochs, rows: rowsSeen, message: message, force: stopping)
            if stopping {
                history.stoppedEarly = true
                break
            }
        }
        if let bestSnapshot {
            for (store, snapshot) in zip(stores, bestSnapshot) {
                store.values = snapshot.0
                store.buffers = snapshot.1
            }
        }
        return history
    }

    /// Sums the gradients of `stores` over the ranks: one allreduce of one flat buffer.
    private func sumGradients(_ stores: [ParameterStore]) {
        guard communicator.size > 1 else { return }
        var flat = stores.flatMap(\.gradients)
        communicator.sumGradients(&flat)
        var offset = 0
        for store in stores {
            store.gradients.withUnsafeMutableBufferPointer { target in
                flat.withUnsafeBufferPointer { source in
                    target.baseAddress!.update(from: source.baseAddress! + offset, count: target.count)
                }
            }
            offset += store.gradients.count
        }
    }

    public static func format(_ value: Double) -> String {
        let scaled = (value * 10_000).rounded() / 10_000
        return "\(scaled)"
    }
}

import PretextData

/// `pretext bench train`: rows per second and achieved GFLOP/s of (a) a SCARF-shaped
/// pretraining step — corrupt a batch, both views through a 4×256 ReLU encoder and a
/// 2-layer 256 head, InfoNCE, backward, Adam — and (b) supervised MLP epochs.
public enum TrainBenchmark {
    public struct Measurement: Sendable {
        public var label: String
        public var rowsPerSecond: Double
        public var gigaflops: Double
        /// Batch rows / the median step's time (SCARF steps): steadier than the overall
        /// rate when other work on the machine slows some steps, so better for A/B runs.
        public var medianStepRowsPerSecond: Double? = nil
    }

    /// Multiply-add FLOPs of one forward pass of a batch through `widths` (in → … → out).
    static func forwardFlops(batch: Int, widths: [Int]) -> Double {
        zip(widths, widths.dropFirst()).reduce(0.0) { $0 + 2.0 * Double(batch * $1.0 * $1.1) }
    }

    /// FLOPs of one SCARF step's matrix products, counted as 2·m·n·k each: the forward of
    /// the 2B stacked rows through the encoder and head and its backward (counted as two
    /// forwards: input and weight gradients), plus InfoNCE's similarity S = â p̂ᵀ (B, B, 256)
    /// and its two gradient products G p̂ and Gᵀ â. scripts/pytorch_scarf_step.py counts the same.
    static func scarfStepFlops(features: Int, batch: Int) -> Double {
        let network = 3 * forwardFlops(batch: 2 * batch, widths: [features, 256, 256, 256, 256, 256, 256])
        let similarity = 3 * 2.0 * Double(batch * batch * 256)
        return network + similarity
    }

    public static func scarfStep(features: Int, batch: Int, seconds: Double = 2, seed: UInt64 = 0) throws -> Measurement {
        let encoder = try Network(architecture: .mlp(MLPConfig(depth: 4, hiddenWidth: 256)), inputDimensions: features,
                                  outputDimensions: nil, seed: seed)
        let head = try Network(architecture: .mlp(MLPConfig(depth: 1, hiddenWidth: 256)), inputDimensions: 256,
                               outputDimensions: 256, seed: seed &+ 1)
        let optimizers = [try Optimizer(config: OptimizerConfig(), totalSteps: 1_000_000),
                          try Optimizer(config: OptimizerConfig(), totalSteps: 1_000_000)]
        var generator = SeededGenerator(seed: seed)
        let poolRows = 4096
        let pool = Matrix(rows: poolRows, columns: features, values: (0..<(poolRows * features)).map { _ in Float(generator.nextNormal()) })
        let corrupted = max(1, Int(0.6 * Double(features)))
        var picks = [(column: Int, donor: Int)](repeating: (0, 0), count: batch * corrupted)   // per corrupted entry
        func step() {
            // Both views in one (2B, d) batch: rows 0..<B originals, B..<2B corrupted.
            let rows = (0..<batch).map { _ in generator.nextInt(below: poolRows) }
            var stacked = pool.gatheringRows(rows + rows)
            // As `MarginalCorruptor` does: the draws in order on this thread, the copies from
            // random pool rows (cache misses) by row blocks on the lanes.
            var draws = generator   // a local copy: no access checks on a captured variable per draw
            for index in picks.indices { picks[index] = (draws.nextInt(below: features), draws.nextInt(below: poolRows)) }
            generator = draws
            stacked.values.withUnsafeMutableBufferPointer { target in
                pool.values.withUnsafeBufferPointer { source in
                    picks.withUnsafeBufferPointer { picks in
                        Lanes.forEachBlock(of: batch, work: 16 * picks.count) { rows in
                            for row in rows {
                                for pick in picks[(row * corrupted)..<((row + 1) * corrupted)] {
                                    target[(batch + row) * features + pick.column] = source[pick.donor * features + pick.column]
                                }
                            }
                        }
                    }
                }
            }
            encoder.store.zeroGradients()
            head.store.zeroGradients()
            let z = head.forward(encoder.forward(stacked, mode: .training), mode: .training)   // (2B, 256)
            let result = InfoNCE.compute(stacked: z, temperature: 1)
            encoder.accumulateGradients(head.backward(result.gradient))
            optimizers[0].update(encoder.store)
            optimizers[1].update(head.store)
        }
        step()
        var stepSeconds: [Double] = []
        let stopwatch = Stopwatch()
        repeat {
            let started = stopwatch.seconds
            step()
            stepSeconds.append(stopwatch.seconds - started)
        } while stopwatch.seconds < seconds
        let elapsed = stopwatch.seconds
        let steps = stepSeconds.count
        return Measurement(label: "SCARF step d=\(features) B=\(batch)", rowsPerSecond: Double(steps * batch) / elapsed,
                           gigaflops: scarfStepFlops(features: features, batch: batch) * Double(steps) / elapsed / 1e9,
                           medianStepRowsPerSecond: Double(batch) / stepSeconds.sorted()[steps / 2])
    }
}

public extension TrainBenchmark {
    /// Supervised MLP training (3 × 256 ReLU, softmax cross-entropy, AdamW) on seeded
    /// synthetic rows: rows per second over whole epochs.
    static func supervisedEpochs(features: Int, rows: Int = 20_000, batch: Int = 256, seconds: Double = 2, seed: UInt64 = 0) throws -> Measurement {
        let network = try Network(architecture: .mlp(MLPConfig(depth: 3, hiddenWidth: 256)), inputDimensions: features,
                                  outputDimensions: 2, seed: seed)
        var config = OptimizerConfig()
        config.method = .adamW
        let optimizer = try Optimizer(config: config, totalSteps: 1_000_000)
        var generator = SeededGenerator(seed: seed)
        let x = Matrix(rows: rows, columns: features, values: (0..<(rows * features)).map { _ in Float(generator.nextNormal()) })
        let labels = (0..<rows).map { row in Int32(x[row, 0] + x[row, 1 % features] > 0 ? 1 : 0) }
        var training = TrainingConfig()
        training.batchSize = batch
        training.maximumEpochs = 1
        var processed = 0
        let stopwatch = Stopwatch()
        repeat {
            _ = try Trainer(config: training).run(rowCount: rows, stores: [network.store], optimizers: [optimizer], step: { indices in
                let output = network.forward(x.gatheringRows(indices), mode: .training)
                let loss = SoftmaxCrossEntropy.compute(logits: output, labels: indices.map { labels[$0] })
                network.accumulateGradients(loss.gradient)
                return loss.value
            }, validate: nil)
            processed += rows
        } while stopwatch.seconds < seconds
        let elapsed = stopwatch.seconds
        let flops = 3 * forwardFlops(batch: processed, widths: [features, 256, 256, 256, 2])
        return Measurement(label: "MLP epoch d=\(features) B=\(batch)", rowsPerSecond: Double(processed) / elapsed,
                           gigaflops: flops / elapsed / 1e9)
    }

    static func render(_ measurements: [Measurement], status: BLAS.Status, peakGigaflops: Double) -> String {
        var lines = ["\(status); sgemm peak (1024³, best of three reads) \(Int(peakGigaflops.rounded())) GFLOP/s", "",
                     "| workload | rows/s | GFLOP/s | % of sgemm peak | rows/s at the median step |", "|---|---:|---:|---:|---:|"]
        for m in measurements {
            let median = m.medianStepRowsPerSecond.map { "\(Int($0.rounded()))" } ?? "–"
            lines.append("| \(m.label) | \(Int(m.rowsPerSecond.rounded())) | \(Int(m.gigaflops.rounded())) | \(Int((100 * m.gigaflops / peakGigaflops).rounded()))% | \(median) |")
        }
        return lines.joined(separator: "\n")
    }
}

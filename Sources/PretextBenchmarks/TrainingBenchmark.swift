import PretextData
import PretextNN
import PretextSSL
import PretextTransfer

/// `pretext bench train`: the product's own training paths, timed end to end on a seeded
/// synthetic table — `Pretrainer.fit` (SCARF with the configuration `pretext pretrain`
/// uses: its preprocessing, marginal corruption, encoder and head, InfoNCE, Adam and the
/// validation pass after every epoch), `FineTuner.fit` (full fine-tuning for a fixed
/// number of epochs) and `MLPClassifier.fit`. No replica of a step: what is timed is what
/// the commands run, so a change to the product shows here.
///
/// Rows/s counts the training rows of every epoch (the pool minus its validation part for
/// pretraining) over the whole call's wall time, preprocessing and validation included.
public enum TrainingBenchmark {
    public struct Measurement: Sendable {
        public var label: String
        public var trainingRows: Int
        public var epochs: Int
        public var seconds: Double
        /// The timed fit's training loss per epoch: what the library's own fit of the
        /// same configuration gives (tests compare them), so what is timed is the product.
        public var trainingLosses: [Double] = []
        public var rowsPerSecond: Double { Double(trainingRows * epochs) / seconds }
    }

    /// The configuration `pretraining` times: `PretrainingConfig()` with the batch, the
    /// epochs (early stopping off) and the seed.
    public static func pretrainingConfig(batch: Int, epochs: Int, seed: UInt64 = 0) -> PretrainingConfig {
        var config = PretrainingConfig()
        config.training.batchSize = batch
        config.training.maximumEpochs = epochs
        config.training.patience = epochs + 1
        config.seed = seed
        return config
    }

    /// `rows` × `features` numeric columns (correlated Gaussian factors) and a binary
    /// target that depends on them.
    public static func syntheticTable(rows: Int, features: Int, seed: UInt64 = 0) -> Table {
        var generator = SeededGenerator(seed: seed, stream: "training-benchmark")
        let factors = 4
        let loadings = (0..<(features * factors)).map { _ in Float(generator.nextNormal()) }
        var columns = [[Float]](repeating: [Float](repeating: 0, count: rows), count: features)
        var target = [Float](repeating: 0, count: rows)
        for row in 0..<rows {
            let z = (0..<factors).map { _ in Float(generator.nextNormal()) }
            for j in 0..<features {
                var value = Float(generator.nextNormal()) * 0.5
                for f in 0..<factors { value += loadings[j * factors + f] * z[f] }
                columns[j][row] = value
            }
            target[row] = z[0] + 0.5 * z[1] > 0 ? 1 : 0
        }
        var table = Table(columns: columns.enumerated().map { Column(name: "x\($0.offset)", type: .numeric, storage: .numeric($0.element)) }
                          + [Column(name: "y", type: .boolean, storage: .numeric(target))], source: "synthetic")
        try? table.setRole(.target, for: "y")
        return table
    }

    /// `Pretrainer.fit` for exactly `epochs` epochs (early stopping off).
    public static func pretraining(rows: Int, features: Int, batch: Int, epochs: Int, seed: UInt64 = 0) throws -> Measurement {
        let table = syntheticTable(rows: rows, features: features, seed: seed)
        let config = pretrainingConfig(batch: batch, epochs: epochs, seed: seed)
        let stopwatch = Stopwatch()
        let encoder = try Pretrainer(config: config).fit(table)
        let seconds = stopwatch.seconds
        guard encoder.history.epochs.count == epochs else {
            throw TrainingError.notEnoughData(reason: "pretraining ran \(encoder.history.epochs.count) epochs, not \(epochs)")
        }
        let training = DatasetSplit.holdOut(Array(0..<rows), classes: nil, fraction: config.validationFraction, seed: seed).train.count
        return Measurement(label: "Pretrainer.fit (SCARF) d=\(features) B=\(batch)", trainingRows: training, epochs: epochs, seconds: seconds,
                           trainingLosses: encoder.history.epochs.map(\.trainingLoss))
    }

    /// `FineTuner.fit`, full fine-tuning of the (untrained) SCARF encoder and head for
    /// exactly `epochs` epochs on every row.
    public static func fineTuning(rows: Int, features: Int, batch: Int, epochs: Int, seed: UInt64 = 0) throws -> Measurement {
        let table = syntheticTable(rows: rows, features: features, seed: seed)
        var pretraining = PretrainingConfig()
        pretraining.seed = seed
        let encoder = try Pretrainer(config: pretraining).untrained(table)
        var config = FineTuneConfig()
        config.strategy = .full
        config.training.batchSize = batch
        config.fixedEpochs = epochs
        config.seed = seed
        let stopwatch = Stopwatch()
        let model = try FineTuner(config: config).fit(encoder: encoder, table: table)
        let seconds = stopwatch.seconds
        guard model.history.epochs.count == epochs else {
            throw TrainingError.notEnoughData(reason: "fine-tuning ran \(model.history.epochs.count) epochs, not \(epochs)")
        }
        return Measurement(label: "FineTuner.fit (full) d=\(features) B=\(batch)", trainingRows: rows, epochs: epochs, seconds: seconds,
                           trainingLosses: model.history.epochs.map(\.trainingLoss))
    }

    /// `MLPClassifier.fit` (the `mlp` baseline's network) for exactly `epochs` epochs.
    public static func supervised(rows: Int, features: Int, batch: Int, epochs: Int, seed: UInt64 = 0) throws -> Measurement {
        let table = syntheticTable(rows: rows, features: features, seed: seed)
        var config = SupervisedConfig()
        config.training.batchSize = batch
        config.validationFraction = 0
        config.epochsWithoutValidation = epochs
        config.training.maximumEpochs = epochs
        config.seed = seed
        let stopwatch = Stopwatch()
        let model = try MLPClassifier(config: config).fit(table)
        let seconds = stopwatch.seconds
        guard model.fitted?.history.epochs.count == epochs else {
            throw TrainingError.notEnoughData(reason: "the MLP ran \(model.fitted?.history.epochs.count ?? 0) epochs, not \(epochs)")
        }
        return Measurement(label: "MLPClassifier.fit d=\(features) B=\(batch)", trainingRows: rows, epochs: epochs, seconds: seconds)
    }

    public static func render(_ measurements: [Measurement], status: BLAS.Status) -> String {
        var lines = ["\(status)", "", "| workload (the library's own code path) | rows/s | seconds | training rows × epochs |", "|---|---:|---:|---:|"]
        for m in measurements {
            lines.append("| \(m.label) | \(Int(m.rowsPerSecond.rounded())) | \(String(format: "%.2f", m.seconds)) | \(m.trainingRows) × \(m.epochs) |")
        }
        return lines.joined(separator: "\n")
    }
}

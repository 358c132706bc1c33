import ArgumentParser
import Pretext
import PretextBenchmarks

struct BenchGemmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gemm",
        abstract: "Achieved sgemm GFLOP/s on the matrix shapes Pretext's models use.",
        discussion: """
        Shows which library runs the products (oneDNN on CPUs with AVX2, else \
        OpenBLAS; PRETEXT_GEMM=openblas|onednn chooses) and which OpenBLAS kernels \
        are loaded (Pretext picks them from the CPU's vector features unless \
        OPENBLAS_CORETYPE is set), and times forward, weight-gradient and \
        input-gradient products of 256-wide layers. Use a release build.

        Examples:
          swift build -c release && .build/release/pretext bench gemm
          PRETEXT_GEMM=openblas OPENBLAS_CORETYPE=Haswell pretext bench gemm --threads 1
        """
    )

    @Option(help: "Compute threads for products and element-wise passes (default: all cores).") var threads: Int?
    @Option(help: "Seconds per shape.") var seconds: Double = 0.3

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
        guard seconds > 0, seconds.isFinite else { throw ValidationError("--seconds must be positive.") }
    }

    func run() throws {
        try reportingErrors {
            let status = try loadBLAS(threads: threads)
            print(GemmBenchmark.render(GemmBenchmark.run(seconds: seconds), status: status))
        }
    }
}

struct BenchTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Rows/s of the library's own training paths: Pretrainer.fit, FineTuner.fit and MLPClassifier.fit.",
        discussion: """
        Times what pretext pretrain, finetune and fit run — SCARF pretraining with its \
        preprocessing, marginal corruption, 4×256 encoder and 2-layer head, InfoNCE, Adam \
        and the validation pass after each epoch; full fine-tuning; the MLP baseline — end \
        to end on a seeded synthetic table, for a fixed number of epochs (early stopping \
        off). Rows/s counts every epoch's training rows over the whole call, \
        preprocessing and validation included. Use a release build.

        Examples:
          swift build -c release && .build/release/pretext bench train
          pretext bench train --rows 100000 --features 20 --batch 256 --timed-epochs 3
          pretext bench train --features 784 --batch 256 --no-supervised --threads 1
        """
    )

    @Option(help: "Compute threads for products and element-wise passes (default: all cores).") var threads: Int?
    @Option(help: "Rows of the synthetic table.") var rows = 20_000
    @Option(help: "Epochs each workload runs.") var timedEpochs = 3
    @Option(name: .customLong("batch"), help: "Batch sizes to run (repeatable; default: 128 and 256).")
    var batches: [Int] = [128, 256]
    @Option(name: .customLong("features"), help: "Input widths to run (repeatable; default: 20, 64 and 784).")
    var featureCounts: [Int] = [20, 64, 784]
    @Flag(name: .customLong("no-supervised"), help: "Skip fine-tuning and the supervised MLP.") var skipSupervised = false

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
        if let bad = batches.first(where: { $0 < 2 }) { throw ValidationError("--batch must be at least 2 (InfoNCE needs negatives), got \(bad).") }
        if let bad = featureCounts.first(where: { $0 < 1 }) { throw ValidationError("--features must be at least 1, got \(bad).") }
        guard rows >= 40 else { throw ValidationError("--rows must be at least 40 (got \(rows)).") }
        guard timedEpochs >= 1 else { throw ValidationError("--timed-epochs must be at least 1 (got \(timedEpochs)).") }
    }

    func run() throws {
        try reportingErrors {
            let status = try loadBLAS(threads: threads)
            var measurements: [TrainingBenchmark.Measurement] = []
            func record(_ measurement: TrainingBenchmark.Measurement) {
                printError("\(measurement.label): \(Int(measurement.rowsPerSecond)) rows/s")
                measurements.append(measurement)
            }
            for batch in batches {
                for features in featureCounts {
                    record(try TrainingBenchmark.pretraining(rows: rows, features: features, batch: batch, epochs: timedEpochs))
                    if !skipSupervised {
                        record(try TrainingBenchmark.fineTuning(rows: rows, features: features, batch: batch, epochs: timedEpochs))
                        record(try TrainingBenchmark.supervised(rows: rows, features: features, batch: batch, epochs: timedEpochs))
                    }
                }
            }
            print(TrainingBenchmark.render(measurements, status: status))
        }
    }
}

/// Loads OpenBLAS (with CPU-chosen kernels) and sets its threads.
func loadBLAS(threads: Int?) throws -> BLAS.Status {
    do {
        _ = try BLAS.load()
        if let threads { BLAS.setThreads(threads) }
        return try BLAS.load()
    } catch let error as BLAS.Failure {
        printError("error: \(error.description)")
        throw ExitCode(1)
    }
}

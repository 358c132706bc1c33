import ArgumentParser
import Pretext

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
        abstract: "Rows/s and GFLOP/s of SCARF-shaped pretraining steps and supervised MLP epochs.",
        discussion: """
        (a) SCARF step: corrupt a batch, both views through a 4×256 ReLU \
        encoder and a 2-layer 256 head, InfoNCE, backward, Adam — at batch 128, \
        256 and 512 for 20, 64 and 784 input features; (b) supervised MLP \
        (3×256) epochs. Use a release build.

        Rows/s is over the whole run; for SCARF steps the last column is batch \
        rows / the median step's time, which moves less when other work on the \
        machine slows some steps (compare builds on it with \
        scripts/bench-alternate.py --column 3).

        Examples:
          swift build -c release && .build/release/pretext bench train
          pretext bench train --seconds 1 --threads 1
          pretext bench train --batch 512 --features 64 --no-supervised   # one workload
        """
    )

    @Option(help: "Compute threads for products and element-wise passes (default: all cores).") var threads: Int?
    @Option(help: "Seconds per workload.") var seconds: Double = 2
    @Option(name: .customLong("batch"), help: "SCARF-step batch sizes to run (repeatable; default: 128, 256 and 512).")
    var batches: [Int] = [128, 256, 512]
    @Option(name: .customLong("features"), help: "SCARF-step input widths to run (repeatable; default: 20, 64 and 784).")
    var featureCounts: [Int] = [20, 64, 784]
    @Flag(name: .customLong("no-supervised"), help: "Skip the supervised MLP epochs.") var skipSupervised = false

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1.") }
        if let bad = batches.first(where: { $0 < 2 }) { throw ValidationError("--batch must be at least 2 (InfoNCE needs negatives), got \(bad).") }
        if let bad = featureCounts.first(where: { $0 < 1 }) { throw ValidationError("--features must be at least 1, got \(bad).") }
        guard seconds > 0, seconds.isFinite else { throw ValidationError("--seconds must be positive.") }
    }

    func run() throws {
        try reportingErrors {
            let status = try loadBLAS(threads: threads)
            // The machine's speed drifts: the best of three short reads is the steadier peak.
            let peak = (0..<3).map { _ in GemmBenchmark.run(shapes: [GemmBenchmark.modelShapes[0]], seconds: 0.2)[0].gigaflops }.max()!
            var measurements: [TrainBenchmark.Measurement] = []
            for batch in batches {
                for features in featureCounts {
                    let measurement = try TrainBenchmark.scarfStep(features: features, batch: batch, seconds: seconds)
                    printError("\(measurement.label): \(Int(measurement.rowsPerSecond)) rows/s")
                    measurements.append(measurement)
                }
            }
            for features in skipSupervised ? [] : [20, 64] {
                measurements.append(try TrainBenchmark.supervisedEpochs(features: features, seconds: seconds))
            }
            print(TrainBenchmark.render(measurements, status: status, peakGigaflops: peak))
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

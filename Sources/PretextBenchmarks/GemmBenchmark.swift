import PretextData
import PretextNN

/// `pretext bench gemm`: achieved GFLOP/s of `sgemm` on the shapes Pretext's models
/// use, next to a large square multiply that shows the machine's peak.
public enum GemmBenchmark {
    public struct Shape: Sendable {
        public var label: String
        public var m: Int, n: Int, k: Int
        public var transposeA = false, transposeB = false
    }

    public struct Measurement: Sendable {
        public var shape: Shape
        public var gigaflops: Double
    }

    /// Forward (X·Wᵀ), weight-gradient (dYᵀ·X) and input-gradient (dY·W) products of a
    /// 256-wide layer at batch 128 and 512, for 20, 64, 256 and 784 inputs.
    public static var modelShapes: [Shape] {
        var shapes = [Shape(label: "square 1024", m: 1024, n: 1024, k: 1024)]
        for batch in [128, 512] {
            for input in [20, 64, 256, 784] {
                shapes.append(Shape(label: "forward  B=\(batch) \(input)→256", m: batch, n: 256, k: input, transposeB: true))
                shapes.append(Shape(label: "dW       B=\(batch) \(input)→256", m: 256, n: input, k: batch, transposeA: true))
                shapes.append(Shape(label: "dX       B=\(batch) \(input)→256", m: batch, n: input, k: 256))
            }
        }
        return shapes
    }

    /// Times each shape for about `seconds` and returns GFLOP/s (2·m·n·k per multiply).
    public static func run(shapes: [Shape] = modelShapes, seconds: Double = 0.3) -> [Measurement] {
        shapes.map { shape in
            let a = [Float](repeating: 0.5, count: shape.m * shape.k)
            let b = [Float](repeating: 0.25, count: shape.k * shape.n)
            var c = [Float](repeating: 0, count: shape.m * shape.n)
            func once() {
                a.withUnsafeBufferPointer { pa in
                    b.withUnsafeBufferPointer { pb in
                        c.withUnsafeMutableBufferPointer { pc in
                            BLAS.sgemm(transposeA: shape.transposeA, transposeB: shape.transposeB, m: shape.m, n: shape.n, k: shape.k,
                                       alpha: 1, a: pa.baseAddress!, lda: shape.transposeA ? shape.m : shape.k,
                                       b: pb.baseAddress!, ldb: shape.transposeB ? shape.k : shape.n,
                                       beta: 0, c: pc.baseAddress!, ldc: shape.n)
                        }
                    }
                }
            }
            once()
            var repetitions = 0
            let stopwatch = Stopwatch()
            repeat {
                once()
                repetitions += 1
            } while stopwatch.seconds < seconds
            let flops = 2.0 * Double(shape.m * shape.n * shape.k) * Double(repetitions)
            return Measurement(shape: shape, gigaflops: flops / stopwatch.seconds / 1e9)
        }
    }

    public static func render(_ measurements: [Measurement], status: BLAS.Status) -> String {
        var lines = ["\(status)", "", "| product | m × n × k | GFLOP/s |", "|---|---|---:|"]
        for measurement in measurements {
            let shape = measurement.shape
            lines.append("| \(shape.label) | \(shape.m) × \(shape.n) × \(shape.k) | \(Int(measurement.gigaflops.rounded())) |")
        }
        return lines.joined(separator: "\n")
    }
}

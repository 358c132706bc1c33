import CPretextKernels
import Foundation

/// y = max(0, x); dy/dx = 1 where x > 0, else 0 — read from the output (y > 0 exactly
/// where x > 0), so a `Linear` can apply the ReLU inside its own pass (see `Linear`).
public final class ReLU: Layer {
    private var output = Matrix(rows: 0, columns: 0)   // (B, F), kept for backward

    public init() {}

    public func forward(_ input: Matrix, mode: Mode, store: ParameterStore) -> Matrix {
        let columns = input.columns
        let output = Matrix(rows: input.rows, columns: columns) { y in              // (B, F)
            input.values.withUnsafeBufferPointer { x in
                Lanes.forEachBlock(of: input.rows, work: x.count) { rows in
                    let offset = rows.lowerBound * columns
                    pretext_relu(x.baseAddress! + offset, y.baseAddress! + offset, rows.count * columns)
                }
            }
        }
        remember(output: output)
        return output
    }

    /// Keeps y = ReLU(x) for `backward`, when another layer computed it.
    func remember(output: Matrix) { self.output = output }

    public func backward(_ outputGradient: Matrix, store: ParameterStore) -> Matrix {
        let columns = outputGradient.columns
        return Matrix(rows: outputGradient.rows, columns: columns) { dx in           // (B, F)
            outputGradient.values.withUnsafeBufferPointer { dy in
                Lanes.forEachBlock(of: outputGradient.rows, work: dy.count) { rows in
                    mask(dy.baseAddress!, into: dx.baseAddress!, rows: rows, columns: columns)
                }
            }
        }
    }

    /// out[rows] = y[rows] > 0 ? gradient[rows] : 0 on (B, F) buffers; `out` may be `gradient`.
    func mask(_ gradient: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, rows: Range<Int>, columns: Int) {
        precondition(output.columns == columns && rows.upperBound <= output.rows, "ReLU backward before its forward, or shapes differ")
        let offset = rows.lowerBound * columns
        output.values.withUnsafeBufferPointer { y in
            pretext_relu_mask(y.baseAddress! + offset, gradient + offset, out + offset, rows.count * columns)
        }
    }
}

/// GELU, exact form (PyTorch's default): y = x·Φ(x) = ½x(1 + erf(x/√2));
/// dy/dx = Φ(x) + x·φ(x), with φ the standard normal density.
public final class GELU: Layer {
    private var input = Matrix(rows: 0, columns: 0)   // (B, F)

    public init() {}

    public func forward(_ input: Matrix, mode: Mode, store: ParameterStore) -> Matrix {
        self.input = input
        return Elementwise.map(input) { x in 0.5 * x * (1 + erff(x * 0.707_106_781)) }
    }

    public func backward(_ outputGradient: Matrix, store: ParameterStore) -> Matrix {
        var gradient = outputGradient
        for index in gradient.values.indices {
            let x = input.values[index]
            let cdf = 0.5 * (1 + erff(x * 0.707_106_781))
            let density = expf(-0.5 * x * x) * 0.398_942_280
            gradient.values[index] *= cdf + x * density
        }
        return gradient
    }
}

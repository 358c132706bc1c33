import CPretextKernels
import Foundation

/// y = max(0, x); dy/dx = 1 where x > 0, else 0 — read from the output (y > 0 exactly
/// where x > 0), so a `Linear` can apply the ReLU inside its own pass (see `Linear`).
public final class ReLU: Layer {
    private var output = Matrix(rows: 0, columns: 0)   // (B, F), kept for backward

    public init() {}

    public func forward(_ input: Matrix, mode: Mode, store: ParameterStore) -> Matrix {
        var output = input                                                          // (B, F)
        let columns = input.columns
        output.values.withUnsafeMutableBufferPointer { y in
            Lanes.forEachBlock(of: input.rows, work: y.count) { rows in
                pretext_relu_rows(y.baseAddress! + rows.lowerBound * columns, rows.count * columns)
            }
        }
        remember(output: output)
        return output
    }

    /// Keeps y = ReLU(x) for `backward`, when another layer computed it.
    func remember(output: Matrix) { self.output = output }

    public func backward(_ outputGradient: Matrix, store: ParameterStore) -> Matrix {
        var gradient = outputGradient                                               // (B, F)
        let columns = gradient.columns
        gradient.values.withUnsafeMutableBufferPointer { dx in
            Lanes.forEachBlock(of: gradient.rows, work: dx.count) { rows in mask(dx.baseAddress!, rows: rows, columns: columns) }
        }
        return gradient
    }

    /// gradient[rows] = y[rows] > 0 ? gradient[rows] : 0, on a (B, F) gradient.
    func mask(_ gradient: UnsafeMutablePointer<Float>, rows: Range<Int>, columns: Int) {
        precondition(output.columns == columns && rows.upperBound <= output.rows, "ReLU backward before its forward, or shapes differ")
        output.values.withUnsafeBufferPointer { y in
            pretext_relu_mask(y.baseAddress! + rows.lowerBound * columns, gradient + rows.lowerBound * columns, rows.count * columns)
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

import Foundation

/// y = max(0, x); dy/dx = 1 where x > 0, else 0.
public final class ReLU: Layer {
    private var input = Matrix(rows: 0, columns: 0)   // (B, F)

    public init() {}

    public func forward(_ input: Matrix, mode: Mode, store: ParameterStore) -> Matrix {
        self.input = input
        var output = input
        output.values.withUnsafeMutableBufferPointer { y in
            for index in y.indices { y[index] = max(y[index], 0) }
        }
        return output
    }

    public func backward(_ outputGradient: Matrix, store: ParameterStore) -> Matrix {
        let count = outputGradient.values.count
        let values = input.values.withUnsafeBufferPointer { x in
            outputGradient.values.withUnsafeBufferPointer { dy in
                [Float](unsafeUninitializedCapacity: count) { dx, initialized in
                    for index in 0..<count {
                        let g = dy[index]   // loaded unconditionally, so the loop vectorises
                        dx[index] = x[index] > 0 ? g : 0
                    }
                    initialized = count
                }
            }
        }
        return Matrix(rows: outputGradient.rows, columns: outputGradient.columns, values: values)
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

import Foundation

/// y = max(0, x); dy/dx = 1 where x > 0, else 0.
public final class ReLU: Layer {
    private var input = Matrix(rows: 0, columns: 0)   // (B, F)

    public init() {}

    public func forward(_ input: Matrix, mode: Mode, store: ParameterStore) -> Matrix {
        self.input = input
        let columns = input.columns
        return Matrix(rows: input.rows, columns: columns) { y in                   // (B, F)
            input.values.withUnsafeBufferPointer { x in
                Lanes.forEachBlock(of: input.rows, work: x.count) { rows in
                    for index in (rows.lowerBound * columns)..<(rows.upperBound * columns) { y[index] = max(x[index], 0) }
                }
            }
        }
    }

    public func backward(_ outputGradient: Matrix, store: ParameterStore) -> Matrix {
        let columns = outputGradient.columns
        return Matrix(rows: outputGradient.rows, columns: columns) { dx in         // (B, F)
            input.values.withUnsafeBufferPointer { x in
                outputGradient.values.withUnsafeBufferPointer { dy in
                    Lanes.forEachBlock(of: outputGradient.rows, work: dy.count) { rows in
                        for index in (rows.lowerBound * columns)..<(rows.upperBound * columns) {
                            let g = dy[index]   // loaded unconditionally, so the loop vectorises
                            dx[index] = x[index] > 0 ? g : 0
                        }
                    }
                }
            }
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

import PretextData

/// Layer normalisation over each row's F features (Ba et al. 2016):
/// x̂ = (x − μ) / √(σ² + ε), y = γ ⊙ x̂ + β, with μ, σ² the row's mean and biased
/// variance. γ starts at 1, β at 0; ε = 1e-5 as in PyTorch.
///
/// Backward, with σ̃ = √(σ² + ε) and g = dy ⊙ γ:
/// dx = (g − mean(g) − x̂ · mean(g ⊙ x̂)) / σ̃;  dγ = Σ_rows dy ⊙ x̂;  dβ = Σ_rows dy.
public final class LayerNorm: Layer {
    public let features: Int
    public let epsilon: Float
    private var gamma: ParameterStore.View!
    private var beta: ParameterStore.View!
    private var normalized = Matrix(rows: 0, columns: 0)   // (B, F) x̂
    private var inverseDeviation: [Float] = []            // (B,) 1/σ̃

    public init(_ features: Int, epsilon: Float = 1e-5) {
        self.features = features
        self.epsilon = epsilon
    }

    public func register(in store: ParameterStore, prefix: String) {
        gamma = store.addParameter(prefix + "weight", shape: [features])
        beta = store.addParameter(prefix + "bias", shape: [features])
    }

    public func initialize(_ store: ParameterStore, generator: inout SeededGenerator) {
        for index in gamma.range { store.values[index] = 1 }
        for index in beta.range { store.values[index] = 0 }
    }

    public func forward(_ input: Matrix, mode: Mode, store: ParameterStore) -> Matrix {
        let rows = input.rows
        normalized = Matrix(rows: rows, columns: features)
        inverseDeviation = [Float](repeating: 0, count: rows)
        var output = Matrix(rows: rows, columns: features)
        for row in 0..<rows {
            let base = row * features
            var mean = 0.0, squares = 0.0
            for column in 0..<features { mean += Double(input.values[base + column]) }
            mean /= Double(features)
            for column in 0..<features {
                let centered = Double(input.values[base + column]) - mean
                squares += centered * centered
            }
            let inverse = Float(1 / (squares / Double(features) + Double(epsilon)).squareRoot())
            inverseDeviation[row] = inverse
            for column in 0..<features {
                let xHat = (input.values[base + column] - Float(mean)) * inverse
                normalized.values[base + column] = xHat
                output.values[base + column] = xHat * store.values[gamma.offset + column] + store.values[beta.offset + column]
            }
        }
        return output
    }

    public func backward(_ outputGradient: Matrix, store: ParameterStore) -> Matrix {
        let rows = outputGradient.rows
        var inputGradient = Matrix(rows: rows, columns: features)
        var g = [Float](repeating: 0, count: features)
        for row in 0..<rows {
            let base = row * features
            var meanG = 0.0, meanGX = 0.0
            for column in 0..<features {
                let dy = outputGradient.values[base + column]
                let xHat = normalized.values[base + column]
                store.gradients[gamma.offset + column] += dy * xHat
                store.gradients[beta.offset + column] += dy
                g[column] = dy * store.values[gamma.offset + column]
                meanG += Double(g[column])
                meanGX += Double(g[column] * xHat)
            }
            meanG /= Double(features)
            meanGX /= Double(features)
            for column in 0..<features {
                let xHat = normalized.values[base + column]
                inputGradient.values[base + column] = (g[column] - Float(meanG) - xHat * Float(meanGX)) * inverseDeviation[row]
            }
        }
        return inputGradient
    }
}

import PretextData

/// Batch normalisation over each feature (Ioffe & Szegedy 2015), as PyTorch's
/// `BatchNorm1d`: in training x̂ = (x − μ_B) / √(σ²_B + ε) with the batch's mean and
/// biased variance, and running statistics updated as r ← (1 − m)·r + m·stat (the
/// variance one unbiased), m = 0.1; in evaluation x̂ = (x − r_μ) / √(r_σ² + ε).
/// y = γ ⊙ x̂ + β. Backward in training, per feature with g = dy ⊙ γ:
/// dx = (g − mean_B(g) − x̂ · mean_B(g ⊙ x̂)) / √(σ²_B + ε).
public final class BatchNorm: Layer {
    public let features: Int
    public let epsilon: Float
    public let momentum: Float
    private var gamma: ParameterStore.View!
    private var beta: ParameterStore.View!
    private var runningMean: ParameterStore.View!
    private var runningVariance: ParameterStore.View!
    private var normalized = Matrix(rows: 0, columns: 0)   // (B, F)
    private var inverseDeviation: [Float] = []            // (F,)
    private var lastMode: Mode = .evaluation

    public init(_ features: Int, epsilon: Float = 1e-5, momentum: Float = 0.1) {
        self.features = features
        self.epsilon = epsilon
        self.momentum = momentum
    }

    public func register(in store: ParameterStore, prefix: String) {
        gamma = store.addParameter(prefix + "weight", shape: [features])
        beta = store.addParameter(prefix + "bias", shape: [features])
        runningMean = store.addBuffer(prefix + "running_mean", shape: [features], initial: 0)
        runningVariance = store.addBuffer(prefix + "running_var", shape: [features], initial: 1)
    }

    public func initialize(_ store: ParameterStore, generator: inout SeededGenerator) {
        for index in gamma.range { store.values[index] = 1 }
        for index in beta.range { store.values[index] = 0 }
        for index in runningMean.range { store.buffers[index] = 0 }
        for index in runningVariance.range { store.buffers[index] = 1 }
    }

    public func forward(_ input: Matrix, mode: Mode, store: ParameterStore) -> Matrix {
        let rows = input.rows
        lastMode = mode
        normalized = Matrix(rows: rows, columns: features)
        inverseDeviation = [Float](repeating: 0, count: features)
        var output = Matrix(rows: rows, columns: features)
        for column in 0..<features {
            let mean: Double, variance: Double
            if mode == .training && rows > 1 {
                var sum = 0.0
                for row in 0..<rows { sum += Double(input.values[row * features + column]) }
                mean = sum / Double(rows)
                var squares = 0.0
                for row in 0..<rows {
                    let centered = Double(input.values[row * features + column]) - mean
                    squares += centered * centered
                }
                variance = squares / Double(rows)
                let m = Double(momentum)
                store.buffers[runningMean.offset + column] = Float((1 - m) * Double(store.buffers[runningMean.offset + column]) + m * mean)
                store.buffers[runningVariance.offset + column] = Float((1 - m) * Double(store.buffers[runningVariance.offset + column])
                                                                       + m * squares / Double(rows - 1))
            } else {
                mean = Double(store.buffers[runningMean.offset + column])
                variance = Double(store.buffers[runningVariance.offset + column])
            }
            let inverse = Float(1 / (variance + Double(epsilon)).squareRoot())
            inverseDeviation[column] = inverse
            let g = store.values[gamma.offset + column], b = store.values[beta.offset + column]
            for row in 0..<rows {
                let index = row * features + column
                let xHat = (input.values[index] - Float(mean)) * inverse
                normalized.values[index] = xHat
                output.values[index] = xHat * g + b
            }
        }
        return output
    }

    public func backward(_ outputGradient: Matrix, store: ParameterStore) -> Matrix {
        let rows = outputGradient.rows
        var inputGradient = Matrix(rows: rows, columns: features)
        for column in 0..<features {
            let gammaValue = store.values[gamma.offset + column]
            var meanG = 0.0, meanGX = 0.0
            for row in 0..<rows {
                let index = row * features + column
                let dy = outputGradient.values[index]
                store.gradients[gamma.offset + column] += dy * normalized.values[index]
                store.gradients[beta.offset + column] += dy
                meanG += Double(dy * gammaValue)
                meanGX += Double(dy * gammaValue * normalized.values[index])
            }
            let batchStatistics = lastMode == .training && rows > 1
            meanG /= Double(rows)
            meanGX /= Double(rows)
            for row in 0..<rows {
                let index = row * features + column
                let g = outputGradient.values[index] * gammaValue
                inputGradient.values[index] = batchStatistics
                    ? (g - Float(meanG) - normalized.values[index] * Float(meanGX)) * inverseDeviation[column]
                    : g * inverseDeviation[column]
            }
        }
        return inputGradient
    }
}

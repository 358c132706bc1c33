import PretextData
import PretextNN

extension ContrastiveSeriesPretrainer {
    /// MCL's inputs from a batch's two views (rows 0..<B view 1 of each series, B..<2B
    /// view 2, steps of C values then C observed flags): rows 0..<B x¹ᵢ = view 1 of series
    /// i, B..<2B x²ᵢ = view 2 of series i + 1 (mod B), 2B..<3B the mixtures
    /// λᵢ x¹ᵢ + (1 − λᵢ) x²ᵢ, a value observed where either component is (a hidden value
    /// is 0, the standardised mean). (3B, c·2C)
    static func mixtures(_ views: Matrix, weights: [Float], channels: Int) -> Matrix {
        let batch = views.rows / 2, width = views.columns
        precondition(views.rows == 2 * batch && weights.count == batch && width % (2 * channels) == 0, "mixtures: shapes")
        var values = [Float](repeating: 0, count: 3 * batch * width)
        for series in 0..<batch {
            let first = series * width, second = (batch + (series + 1) % batch) * width
            let weight = weights[series]
            for k in 0..<width {
                let a = views.values[first + k], b = views.values[second + k]
                values[series * width + k] = a
                values[(batch + series) * width + k] = b
                let isFlag = k % (2 * channels) >= channels
                values[(2 * batch + series) * width + k] = isFlag ? max(a, b) : weight * a + (1 - weight) * b
            }
        }
        return Matrix(rows: 3 * batch, columns: width, values: values)
    }

    /// A mixing weight λ ~ Beta(α, α) per series of the batch.
    func mixingWeights(count: Int, generator: inout SeededGenerator) -> [Float] {
        (0..<count).map { _ in Float(generator.nextBeta(config.mixupAlpha, config.mixupAlpha)) }
    }
}

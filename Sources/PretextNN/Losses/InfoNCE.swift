import Foundation

/// The InfoNCE contrastive loss of SCARF (Bahri et al. 2021), with cosine similarity
/// and temperature τ.
///
/// Inputs: anchors a (B, D) — embeddings of the original rows — and positives p (B, D)
/// — embeddings of their corrupted views, row i of each from the same example. Both are
/// ℓ2-normalised, â = a/‖a‖, p̂ = p/‖p‖, and S = â p̂ᵀ / τ (B, B).
///
/// L = (1/B) Σ_i [ log Σ_j exp(S_ij) − S_ii ]
///
/// Pairs: for anchor i the positive is p_i; the negatives are the positives of every
/// other row, p_j for j ≠ i (B − 1 negatives, as in SCARF's reference code). An anchor
/// is never compared with itself.
///
/// Gradients: G = (softmax_rows(S) − I)/B; ∂L/∂â = G p̂ / τ; ∂L/∂p̂ = Gᵀ â / τ; and
/// through the normalisation, ∂L/∂a = (∂L/∂â − â (â·∂L/∂â)) / ‖a‖ (likewise for p).
public enum InfoNCE {
    public struct Result: Sendable {
        public var value: Double
        public var anchorGradient: Matrix     // (B, D)
        public var positiveGradient: Matrix   // (B, D)
    }

    public static func compute(anchors: Matrix, positives: Matrix, temperature: Float) -> Result {
        precondition(anchors.rows == positives.rows && anchors.columns == positives.columns, "anchors and positives differ in shape")
        precondition(temperature > 0, "temperature must be positive")
        let batch = anchors.rows
        let (a, aNorms) = normalizeRows(anchors)
        let (p, pNorms) = normalizeRows(positives)
        var similarity = Matrix.product(a, p, transposeB: true)           // (B, B)
        let inverseTemperature = 1 / temperature
        for index in similarity.values.indices { similarity.values[index] *= inverseTemperature }
        let probabilities = SoftmaxCrossEntropy.probabilities(similarity)
        var total = 0.0
        var g = probabilities                                              // (B, B)
        for row in 0..<batch {
            let base = row * batch
            var largest = -Float.infinity
            for column in 0..<batch { largest = max(largest, similarity.values[base + column]) }
            var sum = 0.0
            for column in 0..<batch { sum += exp(Double(similarity.values[base + column] - largest)) }
            total += log(sum) + Double(largest) - Double(similarity.values[base + row])
            g.values[base + row] -= 1
        }
        let scale = inverseTemperature / Float(batch)
        for index in g.values.indices { g.values[index] *= scale }
        let anchorHatGradient = Matrix.product(g, p)                          // (B, D)
        let positiveHatGradient = Matrix.product(g, transposeA: true, a)      // (B, D)
        return Result(value: total / Double(batch),
                      anchorGradient: backThroughNormalization(anchorHatGradient, normalized: a, norms: aNorms),
                      positiveGradient: backThroughNormalization(positiveHatGradient, normalized: p, norms: pNorms))
    }

    /// Rows divided by their ℓ2 norm (a zero row stays zero, with norm ε).
    static func normalizeRows(_ input: Matrix) -> (Matrix, [Float]) {
        var output = input
        var norms = [Float](repeating: 0, count: input.rows)
        for row in 0..<input.rows {
            let base = row * input.columns
            var squares = 0.0
            for column in 0..<input.columns { squares += Double(input.values[base + column] * input.values[base + column]) }
            let norm = Float(max(squares.squareRoot(), 1e-12))
            norms[row] = norm
            for column in 0..<input.columns { output.values[base + column] /= norm }
        }
        return (output, norms)
    }

    static func backThroughNormalization(_ gradient: Matrix, normalized: Matrix, norms: [Float]) -> Matrix {
        var output = gradient
        for row in 0..<gradient.rows {
            let base = row * gradient.columns
            var dot = 0.0
            for column in 0..<gradient.columns { dot += Double(gradient.values[base + column] * normalized.values[base + column]) }
            for column in 0..<gradient.columns {
                output.values[base + column] = (gradient.values[base + column] - normalized.values[base + column] * Float(dot)) / norms[row]
            }
        }
        return output
    }
}

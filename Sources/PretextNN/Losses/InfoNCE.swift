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
        let similarity = Matrix.product(a, p, transposeB: true)               // (B, B), â p̂ᵀ
        let inverseTemperature = 1 / temperature
        let scale = inverseTemperature / Float(batch)
        // One pass per row (rows on the lanes): S = â p̂ᵀ/τ, its softmax, the row's loss
        // term, and G = (softmax − I)·(1/τ)/B — each exp computed once.
        var rowLosses = [Double](repeating: 0, count: batch)
        let g = Matrix(rows: batch, columns: batch) { g in                        // (B, B), (1/τ)·∂L/∂S
            similarity.values.withUnsafeBufferPointer { sim in
                rowLosses.withUnsafeMutableBufferPointer { losses in
                    Lanes.forEachBlock(of: batch, work: 4 * batch * batch) { rows in
                        var exponentials = [Double](repeating: 0, count: batch)
                        for row in rows {
                            let base = row * batch
                            var largest = -Float.infinity
                            for column in 0..<batch {
                                let s = sim[base + column] * inverseTemperature
                                g[base + column] = s
                                largest = max(largest, s)
                            }
                            var sum = 0.0
                            for column in 0..<batch {
                                let e = exp(Double(g[base + column] - largest))
                                exponentials[column] = e
                                sum += e
                            }
                            losses[row] = log(sum) + Double(largest) - Double(g[base + row])
                            for column in 0..<batch { g[base + column] = Float(exponentials[column] / sum) }
                            g[base + row] -= 1
                            for column in 0..<batch { g[base + column] *= scale }
                        }
                    }
                }
            }
        }
        var total = 0.0
        for loss in rowLosses { total += loss }
        let anchorHatGradient = Matrix.product(g, p)                          // (B, D)
        let positiveHatGradient = Matrix.product(g, transposeA: true, a)      // (B, D)
        return Result(value: total / Double(batch),
                      anchorGradient: backThroughNormalization(anchorHatGradient, normalized: a, norms: aNorms),
                      positiveGradient: backThroughNormalization(positiveHatGradient, normalized: p, norms: pNorms))
    }

    /// Rows divided by their ℓ2 norm (a zero row stays zero, with norm ε).
    static func normalizeRows(_ input: Matrix) -> (Matrix, [Float]) {
        let columns = input.columns
        var norms = [Float](repeating: 0, count: input.rows)
        let output = Matrix(rows: input.rows, columns: columns) { output in
            input.values.withUnsafeBufferPointer { x in
                norms.withUnsafeMutableBufferPointer { norms in
                    Lanes.forEachBlock(of: input.rows, work: x.count) { rows in
                        for row in rows {
                            let base = row * columns
                            var squares = 0.0
                            for column in 0..<columns { squares += Double(x[base + column] * x[base + column]) }
                            let norm = Float(max(squares.squareRoot(), 1e-12))
                            norms[row] = norm
                            for column in 0..<columns { output[base + column] = x[base + column] / norm }
                        }
                    }
                }
            }
        }
        return (output, norms)
    }

    static func backThroughNormalization(_ gradient: Matrix, normalized: Matrix, norms: [Float]) -> Matrix {
        let columns = gradient.columns
        return Matrix(rows: gradient.rows, columns: columns) { output in
            gradient.values.withUnsafeBufferPointer { dy in
                normalized.values.withUnsafeBufferPointer { y in
                    Lanes.forEachBlock(of: gradient.rows, work: dy.count) { rows in
                        for row in rows {
                            let base = row * columns
                            var dot = 0.0
                            for column in 0..<columns { dot += Double(dy[base + column] * y[base + column]) }
                            for column in 0..<columns {
                                output[base + column] = (dy[base + column] - y[base + column] * Float(dot)) / norms[row]
                            }
                        }
                    }
                }
            }
        }
    }
}

import CPretextKernels
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
        let batch = anchors.rows, width = anchors.columns
        let result = compute(stacked: Matrix(rows: 2 * batch, columns: width, values: anchors.values + positives.values),
                             temperature: temperature)
        return Result(value: result.value,
                      anchorGradient: Matrix(rows: batch, columns: width, values: Array(result.gradient.values[..<(batch * width)])),
                      positiveGradient: Matrix(rows: batch, columns: width, values: Array(result.gradient.values[(batch * width)...])))
    }

    /// The same loss with both views in one (2B, D) matrix — rows 0..<B the anchors,
    /// B..<2B their positives, as a SCARF step's encoder produces them — and the
    /// gradient in the same layout, without copying the halves apart.
    public static func compute(stacked z: Matrix, temperature: Float) -> LossResult {
        precondition(z.rows % 2 == 0 && z.rows >= 2, "stacked views need an even number of rows")
        precondition(temperature > 0, "temperature must be positive")
        let batch = z.rows / 2, width = z.columns
        let (normalized, norms) = normalizeRows(z)                               // (2B, D): â then p̂
        let similarity = Matrix(rows: batch, columns: batch) { sim in            // (B, B), â p̂ᵀ, written by β = 0
            normalized.values.withUnsafeBufferPointer { n in
                BLAS.sgemm(transposeA: false, transposeB: true, m: batch, n: batch, k: width, alpha: 1,
                           a: n.baseAddress!, lda: width, b: n.baseAddress! + batch * width, ldb: width,
                           beta: 0, c: sim.baseAddress!, ldc: batch)
            }
        }
        let inverseTemperature = 1 / temperature
        let scale = inverseTemperature / Float(batch)
        // One pass per row (rows on the lanes): S = â p̂ᵀ/τ, its softmax, the row's loss
        // term, and G = (softmax − I)·(1/τ)/B — each exp computed once.
        var rowLosses = [Double](repeating: 0, count: batch)
        let g = Matrix(rows: batch, columns: batch) { g in                        // (B, B), (1/τ)·∂L/∂S
            similarity.values.withUnsafeBufferPointer { sim in
                rowLosses.withUnsafeMutableBufferPointer { losses in
                    Lanes.forEachBlock(of: batch, work: 4 * batch * batch) { rows in
                        for row in rows {
                            let base = row * batch
                            let diagonal = sim[base + row] * inverseTemperature              // S_ii
                            // softmax(S_i·) into G's row (vector exp in C), log Σ_j exp(S_ij) back.
                            let logPartition = pretext_softmax_row(sim.baseAddress! + base, g.baseAddress! + base, batch,
                                                                   inverseTemperature)
                            losses[row] = logPartition - Double(diagonal)
                            g[base + row] -= 1
                            pretext_scale(g.baseAddress! + base, batch, scale)
                        }
                    }
                }
            }
        }
        var total = 0.0
        for loss in rowLosses { total += loss }
        // ∂L/∂â = G p̂ (rows 0..<B), ∂L/∂p̂ = Gᵀ â (rows B..<2B); both products write every value (β = 0).
        let hatGradient = Matrix(rows: 2 * batch, columns: width) { out in       // (2B, D)
            g.values.withUnsafeBufferPointer { g in
                normalized.values.withUnsafeBufferPointer { n in
                    BLAS.sgemm(transposeA: false, transposeB: false, m: batch, n: width, k: batch, alpha: 1,
                               a: g.baseAddress!, lda: batch, b: n.baseAddress! + batch * width, ldb: width,
                               beta: 0, c: out.baseAddress!, ldc: width)
                    BLAS.sgemm(transposeA: true, transposeB: false, m: batch, n: width, k: batch, alpha: 1,
                               a: g.baseAddress!, lda: batch, b: n.baseAddress!, ldb: width,
                               beta: 0, c: out.baseAddress! + batch * width, ldc: width)
                }
            }
        }
        return LossResult(value: total / Double(batch),
                          gradient: backThroughNormalization(hatGradient, normalized: normalized, norms: norms))
    }

    /// Rows divided by their ℓ2 norm (a zero row stays zero, with norm 1e-12); ‖x‖² summed
    /// in double in eight lanes, a fixed order (`pretext_normalize_rows`); rows on the lanes.
    static func normalizeRows(_ input: Matrix) -> (Matrix, [Float]) {
        let columns = input.columns
        var norms = [Float](repeating: 0, count: input.rows)
        let output = Matrix(rows: input.rows, columns: columns) { output in       // (R, D)
            input.values.withUnsafeBufferPointer { x in
                norms.withUnsafeMutableBufferPointer { norms in
                    Lanes.forEachBlock(of: input.rows, work: x.count) { rows in
                        let offset = rows.lowerBound * columns
                        pretext_normalize_rows(x.baseAddress! + offset, output.baseAddress! + offset, norms.baseAddress! + rows.lowerBound,
                                               rows.count, columns)
                    }
                }
            }
        }
        return (output, norms)
    }

    /// ∂L/∂x from g = ∂L/∂x̂ for x̂ = x/‖x‖, per row: (g − x̂ (g·x̂)) / ‖x‖
    /// (`pretext_normalization_backward`); rows on the lanes.
    static func backThroughNormalization(_ gradient: Matrix, normalized: Matrix, norms: [Float]) -> Matrix {
        let columns = gradient.columns
        return Matrix(rows: gradient.rows, columns: columns) { output in         // (R, D)
            gradient.values.withUnsafeBufferPointer { dy in
                normalized.values.withUnsafeBufferPointer { y in
                    norms.withUnsafeBufferPointer { norms in
                        Lanes.forEachBlock(of: gradient.rows, work: dy.count) { rows in
                            let offset = rows.lowerBound * columns
                            pretext_normalization_backward(dy.baseAddress! + offset, y.baseAddress! + offset,
                                                           norms.baseAddress! + rows.lowerBound, output.baseAddress! + offset,
                                                           rows.count, columns)
                        }
                    }
                }
            }
        }
    }
}

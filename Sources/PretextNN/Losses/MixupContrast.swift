import CPretextKernels

/// The mixing-up contrastive loss (MCL; Wickstrøm, Kampffmeyer, Mikalsen, Jenssen 2022):
/// a mixture of two series must recognise its two components, in proportion to how much
/// of each it holds.
///
/// Inputs, stacked (3B, D): rows 0..<B the embeddings z¹ of B series, B..<2B the
/// embeddings z² of B other series, 2B..<3B the embeddings zᵐ of the mixtures
/// xᵐᵢ = λᵢ x¹ᵢ + (1 − λᵢ) x²ᵢ. With the 2B candidates c = [z¹; z²], all ℓ2-normalised,
/// S_ik = cos(zᵐᵢ, c_k) / τ (B, 2B) and the soft targets t_ii = λᵢ, t_i,B+i = 1 − λᵢ:
///
///     L = (1/B) Σᵢ [ log Σ_k exp(S_ik) − λᵢ S_ii − (1 − λᵢ) S_i,B+i ]
///
/// — the cross-entropy between t and softmax(S), up to t's own entropy. Every other
/// series' components are the negatives.
///
/// Gradients: G = (softmax_rows(S) − T)/B (B, 2B); ∂L/∂ẑᵐ = G ĉ / τ; ∂L/∂ĉ = Gᵀ ẑᵐ / τ;
/// then through the normalisation as in `InfoNCE` (gradient-checked in the tests).
public enum MixupContrast {
    public static func compute(stacked z: Matrix, weights: [Float], temperature: Float) -> LossResult {
        precondition(z.rows % 3 == 0 && z.rows >= 3 && weights.count == z.rows / 3, "MixupContrast: (3B, D) embeddings and B weights")
        precondition(temperature > 0, "temperature must be positive")
        let batch = z.rows / 3, width = z.columns, candidates = 2 * batch
        let (normalized, norms) = InfoNCE.normalizeRows(z)                        // (3B, D): ĉ then ẑᵐ
        let similarity = Matrix(rows: batch, columns: candidates) { sim in        // (B, 2B), ẑᵐ ĉᵀ
            normalized.values.withUnsafeBufferPointer { n in
                BLAS.sgemm(transposeA: false, transposeB: true, m: batch, n: candidates, k: width, alpha: 1,
                           a: n.baseAddress! + candidates * width, lda: width, b: n.baseAddress!, ldb: width,
                           beta: 0, c: sim.baseAddress!, ldc: candidates)
            }
        }
        let inverseTemperature = 1 / temperature
        var total = 0.0
        var g = [Float](repeating: 0, count: batch * candidates)                  // (B, 2B), (1/τ)·∂L/∂S
        similarity.values.withUnsafeBufferPointer { sim in
            g.withUnsafeMutableBufferPointer { g in
                for row in 0..<batch {
                    let base = row * candidates, weight = weights[row]
                    // softmax(S_i·) into G's row and log Σ_k exp(S_ik) back (as `InfoNCE`).
                    let logPartition = pretext_softmax_row(sim.baseAddress! + base, g.baseAddress! + base, candidates, inverseTemperature)
                    total += logPartition - Double(weight * sim[base + row] * inverseTemperature)
                        - Double((1 - weight) * sim[base + batch + row] * inverseTemperature)
                    g[base + row] -= weight
                    g[base + batch + row] -= 1 - weight
                    pretext_scale(g.baseAddress! + base, candidates, inverseTemperature / Float(batch))
                }
            }
        }
        // ∂L/∂ĉ = Gᵀ ẑᵐ (rows 0..<2B), ∂L/∂ẑᵐ = G ĉ (rows 2B..<3B); both products write every value (β = 0).
        let hatGradient = Matrix(rows: 3 * batch, columns: width) { out in       // (3B, D)
            g.withUnsafeBufferPointer { g in
                normalized.values.withUnsafeBufferPointer { n in
                    BLAS.sgemm(transposeA: true, transposeB: false, m: candidates, n: width, k: batch, alpha: 1,
                               a: g.baseAddress!, lda: candidates, b: n.baseAddress! + candidates * width, ldb: width,
                               beta: 0, c: out.baseAddress!, ldc: width)
                    BLAS.sgemm(transposeA: false, transposeB: false, m: batch, n: width, k: candidates, alpha: 1,
                               a: g.baseAddress!, lda: candidates, b: n.baseAddress!, ldb: width,
                               beta: 0, c: out.baseAddress! + candidates * width, ldc: width)
                }
            }
        }
        return LossResult(value: total / Double(batch),
                          gradient: InfoNCE.backThroughNormalization(hatGradient, normalized: normalized, norms: norms))
    }
}

import PretextNN

/// TS2Vec's temporal contrast (Yue et al. 2022, §3.2), on the step representations of
/// two overlapping crops of each series, with the cosine InfoNCE SCARF uses.
///
/// For series i, crop 1 starts at time stamp s₁ and crop 2 at s₂ (each c steps; negative
/// when a short series is padded at the start). They share the time stamps
/// [max(s₁, s₂, 0), min(min(s₁, s₂) + c, length)) — T of them. With A, B (T, W) the two
/// views' representations at those stamps,
///
///     Lᵢ = ½ [ InfoNCE(A → B) + InfoNCE(B → A) ],
///     InfoNCE(A → B) = −(1/T) Σₜ log softmax_u( cos(aₜ, b_u) / τ )[t],
///
/// so each step must pick out the same time stamp in the other view among the other
/// shared steps — its representation must depend on what happened then, not only on
/// the series as a whole. Series sharing fewer than 2 stamps add nothing. The gradient
/// is `InfoNCE.compute(stacked:)`'s (gradient-checked there), scattered back to the
/// stamps' positions.
enum TemporalContrast {
    /// Returns Σᵢ Lᵢ over the series of `pairs` and adds `scale` · ∂(Σᵢ Lᵢ)/∂h into
    /// `gradient`.
    ///
    /// - Parameters:
    ///   - steps: (2b, c·W) time-major step representations: rows 0..<b crop 1 of each
    ///     series, b..<2b crop 2.
    ///   - gradient: (2b, c·W), added into.
    ///   - pairs: per series, the start stamps (s₁, s₂) of its two crops.
    ///   - lengths: per series, its length (stamps ≥ length do not exist).
    static func accumulate(steps: Matrix, gradient: inout Matrix, pairs: [(Int, Int)], lengths: [Int], crop: Int,
                           temperature: Float, scale: Float) -> Double {
        let count = pairs.count
        precondition(steps.rows == 2 * count && lengths.count == count && steps.columns % crop == 0, "TemporalContrast: shapes")
        precondition(gradient.rows == steps.rows && gradient.columns == steps.columns, "TemporalContrast: gradient shape")
        let width = steps.columns / crop
        var total = 0.0
        for (series, (first, second)) in pairs.enumerated() {
            let low = max(first, second, 0), high = min(min(first, second) + crop, lengths[series])
            let shared = high - low
            guard shared >= 2 else { continue }
            let offsets = [(series * steps.columns + (low - first) * width), ((count + series) * steps.columns + (low - second) * width)]
            let blocks = offsets.map { Array(steps.values[$0..<($0 + shared * width)]) }
            let term = symmetric(blocks[0], blocks[1], rows: shared, width: width, temperature: temperature)
            total += term.value
            for (offset, values) in zip(offsets, [term.first, term.second]) {
                for k in values.indices { gradient.values[offset + k] += scale * values[k] }
            }
        }
        return total
    }

    /// ½ [InfoNCE(X → Y) + InfoNCE(Y → X)] for row-aligned X, Y (n, W) — row i of Y is
    /// row i of X's positive — and its gradients with respect to X and Y.
    static func symmetric(_ x: [Float], _ y: [Float], rows: Int, width: Int, temperature: Float) -> (value: Double, first: [Float], second: [Float]) {
        let half = rows * width
        let forward = InfoNCE.compute(stacked: Matrix(rows: 2 * rows, columns: width, values: x + y), temperature: temperature)    // X → Y
        let backward = InfoNCE.compute(stacked: Matrix(rows: 2 * rows, columns: width, values: y + x), temperature: temperature)   // Y → X
        var first = [Float](repeating: 0, count: half), second = [Float](repeating: 0, count: half)
        for k in 0..<half {
            first[k] = (forward.gradient.values[k] + backward.gradient.values[half + k]) / 2
            second[k] = (forward.gradient.values[half + k] + backward.gradient.values[k]) / 2
        }
        return ((forward.value + backward.value) / 2, first, second)
    }
}

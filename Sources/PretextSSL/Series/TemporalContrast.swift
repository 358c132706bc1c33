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
            let rows = [series, count + series]
            let offsets = [(low - first) * width, (low - second) * width]
            func block(_ view: Int) -> ArraySlice<Float> {
                let start = rows[view] * steps.columns + offsets[view]
                return steps.values[start..<(start + shared * width)]
            }
            let forward = InfoNCE.compute(stacked: Matrix(rows: 2 * shared, columns: width, values: Array(block(0) + block(1))),
                                          temperature: temperature)          // A → B; gradient rows: A then B
            let backward = InfoNCE.compute(stacked: Matrix(rows: 2 * shared, columns: width, values: Array(block(1) + block(0))),
                                           temperature: temperature)         // B → A; gradient rows: B then A
            total += (forward.value + backward.value) / 2
            let half = shared * width, factor = scale / 2
            for view in 0..<2 {
                let target = rows[view] * gradient.columns + offsets[view]
                let fromForward = view * half, fromBackward = (1 - view) * half
                for k in 0..<half {
                    gradient.values[target + k] += factor * (forward.gradient.values[fromForward + k] + backward.gradient.values[fromBackward + k])
                }
            }
        }
        return total
    }
}

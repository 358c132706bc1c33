import PretextNN

/// TS2Vec's hierarchical contrast (Yue et al. 2022, §3.2–3.3), on the step
/// representations of two overlapping crops of each series, with the cosine InfoNCE
/// SCARF uses.
///
/// For series i the crops share T_i time stamps (as in `TemporalContrast`); A_i, B_i
/// (T_i, W) are the two views' step representations there. Level 0 is (A, B); level k+1
/// max-pools level k over pairs of steps, a⁽ᵏ⁺¹⁾_t = max(a⁽ᵏ⁾_{2t}, a⁽ᵏ⁾_{2t+1}) per
/// channel (T → ⌊T/2⌋, an odd last step dropped, as TS2Vec's `max_pool1d`), while some
/// series has two steps left — K levels in all, the last one step long where the
/// representation is the whole overlap's. At each level,
///
///     instance_k = mean over steps t of ½ [ InfoNCE(A[·, t] → B[·, t]) + InfoNCE(B[·, t] → A[·, t]) ]
///                  (over the series that have step t, when there are at least 2),
///     temporal_k = mean over series with ≥ 2 steps of ½ [ InfoNCE(A_i → B_i) + InfoNCE(B_i → A_i) ]
///                  (over time: step t must pick out its own stamp in the other view),
///     L = (1/K) Σ_k [ α · instance_k + (1 − α) · temporal_k ],   α = ½ (TS2Vec's).
///
/// Instance contrast tells series apart at every scale, temporal contrast tells the
/// moments of one series apart; a term with nothing to contrast at a level adds nothing.
/// Differences from TS2Vec: cosine similarity with temperature τ instead of raw dot
/// products, the other view's rows as the negatives (B − 1 of them, not 2B − 2), and each
/// series' own overlap (TS2Vec gives a batch one overlap length). The gradient flows
/// through the max-pooling to the step that won (gradient-checked in the tests).
enum HierarchicalContrast {
    /// TS2Vec's α: the instance term's share of each level.
    static let instanceWeight: Float = 0.5

    /// Returns L and adds `scale` · ∂L/∂h into `gradient`.
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
        precondition(steps.rows == 2 * count && lengths.count == count && steps.columns % crop == 0, "HierarchicalContrast: shapes")
        precondition(gradient.rows == steps.rows && gradient.columns == steps.columns, "HierarchicalContrast: gradient shape")
        let width = steps.columns / crop
        // Level 0: per view and series, the shared stamps' representations, (T_i·W).
        var starts = [[Int]](repeating: [], count: 2)   // per view and series: the first shared stamp's offset in its row
        var level: [[[Float]]] = [[], []]
        for (series, (first, second)) in pairs.enumerated() {
            let low = max(first, second, 0), shared = max(0, min(min(first, second) + crop, lengths[series]) - low)
            for (view, start) in [first, second].enumerated() {
                let offset = (series + view * count) * steps.columns + (low - start) * width
                starts[view].append(offset)
                level[view].append(Array(steps.values[offset..<(offset + shared * width)]))
            }
        }
        // The pyramid: each level and, from level 1 on, where each value came from in the one below.
        var levels = [level], winners: [[[[Int]]]] = [[]]
        while level[0].contains(where: { $0.count >= 2 * width }) {
            var next: [[[Float]]] = [[], []], from: [[[Int]]] = [[], []]
            for view in 0..<2 {
                for values in level[view] {
                    let halved = values.count / width / 2
                    var pooled = [Float](repeating: 0, count: halved * width), index = [Int](repeating: 0, count: halved * width)
                    for t in 0..<halved {
                        for channel in 0..<width {
                            let even = 2 * t * width + channel, odd = even + width
                            let winner = values[odd] > values[even] ? odd : even
                            pooled[t * width + channel] = values[winner]
                            index[t * width + channel] = winner
                        }
                    }
                    next[view].append(pooled)
                    from[view].append(index)
                }
            }
            level = next
            levels.append(next)
            winners.append(from)
        }
        // Each level's terms and its gradient, ∂L/∂(level k).
        let levelShare = 1 / Float(levels.count)
        var total = 0.0
        var gradients = levels.map { $0.map { $0.map { [Float](repeating: 0, count: $0.count) } } }
        for (k, level) in levels.enumerated() {
            let stepCounts = level[0].map { $0.count / width }
            let positions = (0..<(stepCounts.max() ?? 0)).filter { t in stepCounts.filter { $0 > t }.count >= 2 }
            for t in positions {
                let members = (0..<count).filter { stepCounts[$0] > t }
                let rows = members.map { Array(level[0][$0][(t * width)..<((t + 1) * width)]) }
                let others = members.map { Array(level[1][$0][(t * width)..<((t + 1) * width)]) }
                let weight = instanceWeight * levelShare / Float(positions.count)
                let term = TemporalContrast.symmetric(rows.flatMap { $0 }, others.flatMap { $0 }, rows: members.count, width: width, temperature: temperature)
                total += Double(weight) * term.value
                for (position, series) in members.enumerated() {
                    for channel in 0..<width {
                        gradients[k][0][series][t * width + channel] += weight * term.first[position * width + channel]
                        gradients[k][1][series][t * width + channel] += weight * term.second[position * width + channel]
                    }
                }
            }
            let temporal = (0..<count).filter { stepCounts[$0] >= 2 }
            for series in temporal {
                let weight = (1 - instanceWeight) * levelShare / Float(temporal.count)
                let term = TemporalContrast.symmetric(level[0][series], level[1][series], rows: stepCounts[series], width: width, temperature: temperature)
                total += Double(weight) * term.value
                for index in term.first.indices {
                    gradients[k][0][series][index] += weight * term.first[index]
                    gradients[k][1][series][index] += weight * term.second[index]
                }
            }
        }
        // Down the pyramid: each pooled value's gradient goes to the step that won.
        for k in stride(from: levels.count - 1, to: 0, by: -1) {
            for view in 0..<2 {
                for series in 0..<count {
                    for (index, source) in winners[k][view][series].enumerated() {
                        gradients[k - 1][view][series][source] += gradients[k][view][series][index]
                    }
                }
            }
        }
        for view in 0..<2 {
            for series in 0..<count {
                for (index, value) in gradients[0][view][series].enumerated() { gradient.values[starts[view][series] + index] += scale * value }
            }
        }
        return total
    }
}

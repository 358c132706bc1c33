import PretextData
import PretextNN

/// TS-TCC's temporal contrasting (Eldele, Ragab, Chen, Wu, Kwoh, Li, Guan 2021, §4.2):
/// what one view of a series has seen up to a time stamp must predict the other view's
/// representation of the next K stamps, among the other series' representations there.
/// TS-TCC summarises the past with a transformer over a non-causal encoder's steps; the
/// TCN here is causal, so its step representation at u has read steps ≤ u only and is
/// itself the context.
///
/// For series i, a time stamp uᵢ both views cover (`anchors`), and each direction
/// a → b (view 1 → 2, view 2 → 1): the context cᵢ = hᵃᵢ(uᵢ) (W), the predictions
/// pᵢₖ = Wₖ cᵢ + bₖ for k = 1…K (the predictor network, W → K·W) and the targets
/// yᵢₖ = hᵇᵢ(uᵢ + k). Per direction and k, over the series whose stamp uᵢ + k exists in
/// view b,
///
///     L_{a→b,k} = InfoNCE(P_k → Y_k)   (cosine, τ: series i's target is pᵢₖ's positive,
///                                       the other series' targets its negatives),
///     L = mean of L_{a→b,k} over the (direction, k) with at least 2 series.
///
/// Differences from TS-TCC: the causal encoder as the context (no transformer), cosine
/// similarity with temperature τ instead of raw dot products, and each series' own uᵢ
/// (TS-TCC draws one t per batch of equal-length series). The gradient reaches the
/// contexts through the predictor (whose parameter gradients are added) and the targets
/// directly (gradient-checked in the tests).
enum TemporalPrediction {
    /// Returns L and adds `scale` · ∂L/∂h into `gradient` and, when `training`,
    /// `scale` · ∂L/∂θ into the predictor's parameter gradients.
    ///
    /// - Parameters:
    ///   - steps: (2B, c·W) time-major step representations: rows 0..<B view 1 of each
    ///     series, B..<2B view 2.
    ///   - gradient: (2B, c·W), added into.
    ///   - predictor: W → K·W.
    ///   - anchors: per series, its stamp uᵢ, or nil when it takes no part.
    ///   - starts: per row of `steps`, the stamp of its first step.
    ///   - lengths: per series, its length (stamps ≥ length do not exist).
    static func accumulate(steps: Matrix, gradient: inout Matrix, predictor: Network, anchors: [Int?], starts: [Int], lengths: [Int],
                           crop: Int, temperature: Float, scale: Float, training: Bool) -> Double {
        let count = anchors.count
        precondition(steps.rows == 2 * count && starts.count == 2 * count && lengths.count == count && steps.columns % crop == 0,
                     "TemporalPrediction: shapes")
        precondition(gradient.rows == steps.rows && gradient.columns == steps.columns, "TemporalPrediction: gradient shape")
        let width = steps.columns / crop
        precondition(predictor.inputDimensions == width && predictor.outputDimensions % width == 0, "TemporalPrediction: predictor shape")
        let horizon = predictor.outputDimensions / width
        /// The offset of stamp u of row `row`'s series in `steps.values`, if that view has it.
        func offset(row: Int, stamp: Int) -> Int? {
            let position = stamp - starts[row]
            guard stamp >= 0 && stamp < lengths[row % count] && position >= 0 && position < crop else { return nil }
            return row * steps.columns + position * width
        }
        // Contexts: (direction, series) pairs whose anchor stamp both views have.
        var contexts: [(row: Int, series: Int, offset: Int)] = []
        for direction in 0..<2 {
            for (series, anchor) in anchors.enumerated() {
                guard let anchor, let start = offset(row: direction * count + series, stamp: anchor) else { continue }
                contexts.append((direction * count + series, series, start))
            }
        }
        guard !contexts.isEmpty else { return 0 }
        var c = Matrix(rows: contexts.count, columns: width)                                          // (n, W)
        for (index, context) in contexts.enumerated() {
            for j in 0..<width { c.values[index * width + j] = steps.values[context.offset + j] }
        }
        let p = predictor.forward(c, mode: training ? .training : .evaluation)                         // (n, K·W)
        var terms: [(k: Int, members: [Int], targets: [Int], loss: InfoNCE.Result)] = []
        for direction in 0..<2 {
            for k in 1...horizon {
                var members: [Int] = [], targets: [Int] = []   // context indices, target offsets
                for (index, context) in contexts.enumerated() where context.row / count == direction {
                    let other = (1 - direction) * count + context.series
                    guard let target = offset(row: other, stamp: anchors[context.series]! + k) else { continue }
                    members.append(index)
                    targets.append(target)
                }
                guard members.count >= 2 else { continue }
                var predictions = Matrix(rows: members.count, columns: width), ys = Matrix(rows: members.count, columns: width)
                for (m, (index, target)) in zip(members, targets).enumerated() {
                    for j in 0..<width {
                        predictions.values[m * width + j] = p.values[index * p.columns + (k - 1) * width + j]
                        ys.values[m * width + j] = steps.values[target + j]
                    }
                }
                terms.append((k, members, targets, InfoNCE.compute(anchors: predictions, positives: ys, temperature: temperature)))
            }
        }
        guard !terms.isEmpty else { return 0 }
        // ∂L/∂P into dp (n, K·W); ∂L/∂Y straight into the targets' steps.
        let weight = scale / Float(terms.count)
        var dp = Matrix(rows: p.rows, columns: p.columns)
        var total = 0.0
        for term in terms {
            total += term.loss.value
            for (m, (index, target)) in zip(term.members, term.targets).enumerated() {
                for j in 0..<width {
                    dp.values[index * p.columns + (term.k - 1) * width + j] += weight * term.loss.anchorGradient.values[m * width + j]
                    gradient.values[target + j] += weight * term.loss.positiveGradient.values[m * width + j]
                }
            }
        }
        // Through the predictor to the contexts: dc = dp Wᵀ (n, W).
        let kept = training ? nil : predictor.store.gradients   // outside training the parameters' gradients stay as they were
        let dc = predictor.backward(dp)
        if let kept { predictor.store.gradients = kept }
        for (index, context) in contexts.enumerated() {
            for j in 0..<width { gradient.values[context.offset + j] += dc.values[index * width + j] }
        }
        return total / Double(terms.count)
    }
}

extension TemporalPrediction {
    /// Per series, a stamp u both views cover with u + 1 in both, drawn uniformly among
    /// those that leave all K steps ahead in both views when there are such, else among
    /// the rest; nil when the views share fewer than 2 stamps.
    static func anchors(starts: [Int], lengths: [Int], crop: Int, horizon: Int, generator: inout SeededGenerator) -> [Int?] {
        let count = lengths.count
        precondition(starts.count == 2 * count, "TemporalPrediction.anchors: shapes")
        return (0..<count).map { series -> Int? in
            let (first, second) = (starts[series], starts[count + series])
            let low = max(first, second, 0), high = min(min(first, second) + crop, lengths[series])   // shared: low..<high
            guard high - low >= 2 else { return nil }
            let last = high - 1 - horizon >= low ? high - 1 - horizon : high - 2
            return low + generator.nextInt(below: last - low + 1)
        }
    }
}

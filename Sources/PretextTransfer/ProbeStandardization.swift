import PretextNN

/// Per-feature standardisation of frozen embeddings for a head trained on them (the linear
/// probe, and freeze-then-unfreeze's first phase):
///
///     z'ᵢ = (zᵢ − μᵢ)·kᵢ,   kᵢ = 1/σᵢ, or 0 when σᵢ ≤ 10⁻⁶·max(1, |μᵢ|)
///
/// with μ and σ each feature's mean and standard deviation over the training rows; a
/// feature that does not vary there is read as 0. A contrastive encoder's pooled features
/// can sit far from zero and vary little between examples (on Coffee: mean |μ| 1.6, mean σ
/// 0.03), which a head trained by Adam from a random start for a hundred steps does not
/// resolve — it predicted one class for every series. Standardised probe inputs are the
/// usual remedy (MAE's linear probe puts a BatchNorm without affine parameters before the
/// linear layer, He et al. 2022; the ridge of `EncoderRidgeClassifier` scales by σ too).
/// After training, the map is folded into the head's first layer
/// (`Network.foldInputAffine`), so the model reads raw embeddings and its file is as before.
struct ProbeStandardization {
    var shift: [Float]
    var factor: [Float]

    /// Statistics of every column of `embeddings` (N, D), in double precision.
    init(fitting embeddings: borrowing Matrix) {
        let (count, mean, squares) = Self.moments(embeddings)
        self.init(count: count, mean: mean, squares: squares)
    }

    /// Statistics of embeddings that come a slice at a time (`slices` calls its argument
    /// with each (n_i, D) slice): each slice's mean and sum of squared deviations, merged
    /// by Chan, Golub and LeVeque's pairwise update — one pass, no cancellation.
    init(slices: ((Matrix) -> Void) throws -> Void) rethrows {
        var count = 0, mean: [Double] = [], squares: [Double] = []
        try slices { slice in
            let (n, sliceMean, sliceSquares) = Self.moments(slice)
            guard n > 0 else { return }
            if count == 0 { (count, mean, squares) = (n, sliceMean, sliceSquares); return }
            let total = Double(count + n)
            for column in mean.indices {
                let delta = sliceMean[column] - mean[column]
                squares[column] += sliceSquares[column] + delta * delta * Double(count) * Double(n) / total
                mean[column] += delta * Double(n) / total
            }
            count += n
        }
        self.init(count: count, mean: mean, squares: squares)
    }

    private init(count: Int, mean: [Double], squares: [Double]) {
        shift = mean.map { Float($0) }
        factor = mean.indices.map { column in
            let deviation = (squares[column] / Double(max(count, 1))).squareRoot()
            return deviation > 1e-6 * max(1, abs(mean[column])) ? Float(1 / deviation) : 0
        }
    }

    /// Rows, column means and sums of squared deviations from them (two passes).
    private static func moments(_ embeddings: borrowing Matrix) -> (Int, [Double], [Double]) {
        let rows = embeddings.rows, columns = embeddings.columns
        var sum = [Double](repeating: 0, count: columns), squares = [Double](repeating: 0, count: columns)
        for row in 0..<rows {
            for column in 0..<columns { sum[column] += Double(embeddings[row, column]) }
        }
        let mean = sum.map { $0 / Double(max(rows, 1)) }
        for row in 0..<rows {
            for column in 0..<columns {
                let deviation = Double(embeddings[row, column]) - mean[column]
                squares[column] += deviation * deviation
            }
        }
        return (rows, mean, squares)
    }

    /// (N, D) → (N, D): z' as above, in place (the embeddings are the largest matrix a
    /// probe holds: N × D floats).
    func standardize(_ embeddings: inout Matrix) {
        let columns = embeddings.columns
        precondition(columns == shift.count, "ProbeStandardization: \(columns) columns, fitted on \(shift.count)")
        embeddings.values.withUnsafeMutableBufferPointer { values in
            for row in 0..<(values.count / max(columns, 1)) {
                for column in 0..<columns {
                    values[row * columns + column] = (values[row * columns + column] - shift[column]) * factor[column]
                }
            }
        }
    }

    /// A standardised copy of `embeddings`.
    func apply(_ embeddings: Matrix) -> Matrix {
        var result = embeddings
        standardize(&result)
        return result
    }
}

/// The VICReg loss (Bardes, Ponce & LeCun 2022, "VICReg: Variance-Invariance-Covariance
/// Regularization for Self-Supervised Learning"), as in the authors' reference code.
///
/// For the two views' embeddings X, Y (B, D):
/// - invariance s = mean over all B·D entries of (X − Y)²;
/// - variance v = ½·mean_j relu(γ − σ_j(X)) + ½·mean_j relu(γ − σ_j(Y)), with
///   σ_j = √(Var_j + ε), the unbiased variance of column j, γ = 1, ε = 1e-4;
/// - covariance c = Σ_{j≠k} C_jk(X)²/D + Σ_{j≠k} C_jk(Y)²/D, with
///   C = X̃ᵀX̃/(B − 1) of the column-centred X̃;
/// - L = λ·s + μ·v + ν·c, defaults λ = 25, μ = 25, ν = 1 (the paper's).
///
/// Gradients (per view, centred X̃): ∂s/∂X = 2(X − Y)/(B·D);
/// ∂v/∂X_ij = −1[σ_j < γ]·X̃_ij / (2D·σ_j·(B − 1));
/// ∂c/∂X = 4·X̃·C_off/(D·(B − 1)), C_off = C with its diagonal zeroed.
public enum VICReg {
    public struct Weights: Codable, Sendable, Equatable {
        public var invariance: Float = 25
        public var variance: Float = 25
        public var covariance: Float = 1
        public init() {}
    }

    public struct Result: Sendable {
        public var value: Double
        public var invariance: Double
        public var variance: Double
        public var covariance: Double
        public var firstGradient: Matrix    // (B, D)
        public var secondGradient: Matrix   // (B, D)
    }

    public static func compute(_ x: Matrix, _ y: Matrix, weights: Weights = Weights()) -> Result {
        precondition(x.rows == y.rows && x.columns == y.columns && x.rows >= 2, "two views of at least 2 rows")
        let count = Double(x.values.count)
        var invariance = 0.0
        var gx = Matrix(rows: x.rows, columns: x.columns), gy = gx
        for index in x.values.indices {
            let difference = Double(x.values[index] - y.values[index])
            invariance += difference * difference
            let g = Float(2 * difference / count) * weights.invariance
            gx.values[index] = g
            gy.values[index] = -g
        }
        invariance /= count
        let (vx, cx) = regularize(x, weights: weights, into: &gx)
        let (vy, cy) = regularize(y, weights: weights, into: &gy)
        let variance = (vx + vy) / 2, covariance = cx + cy
        let value = Double(weights.invariance) * invariance + Double(weights.variance) * variance + Double(weights.covariance) * covariance
        return Result(value: value, invariance: invariance, variance: variance, covariance: covariance, firstGradient: gx, secondGradient: gy)
    }

    /// One view's variance (mean hinge) and covariance terms; adds their weighted
    /// gradients into `gradient`.
    static func regularize(_ x: Matrix, weights: Weights, into gradient: inout Matrix) -> (Double, Double) {
        let rows = x.rows, width = x.columns
        var centered = x
        for column in 0..<width {
            var mean = 0.0
            for row in 0..<rows { mean += Double(x[row, column]) }
            mean /= Double(rows)
            for row in 0..<rows { centered[row, column] -= Float(mean) }
        }
        let denominator = Double(rows - 1)
        var covariance = Matrix.product(centered, transposeA: true, centered)      // (D, D)
        for index in covariance.values.indices { covariance.values[index] /= Float(denominator) }
        // Variance hinge.
        var hinge = 0.0
        for column in 0..<width {
            let sigma = (Double(covariance[column, column]) + 1e-4).squareRoot()
            guard sigma < 1 else { continue }
            hinge += 1 - sigma
            let scale = Float(-0.5 / (Double(width) * sigma * denominator)) * weights.variance
            for row in 0..<rows { gradient[row, column] += scale * centered[row, column] }
        }
        // Off-diagonal covariance.
        var offDiagonal = 0.0
        for j in 0..<width {
            for k in 0..<width where j != k { offDiagonal += Double(covariance[j, k] * covariance[j, k]) }
            covariance[j, j] = 0
        }
        let covarianceGradient = Matrix.product(centered, covariance)             // (B, D)
        let scale = Float(4 / (Double(width) * denominator)) * weights.covariance
        for index in gradient.values.indices { gradient.values[index] += scale * covarianceGradient.values[index] }
        return (hinge / Double(width), offDiagonal / Double(width))
    }
}

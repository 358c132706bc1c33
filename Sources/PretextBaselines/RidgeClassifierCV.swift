import Foundation
import PretextData
import PretextNN

/// A ridge classifier with its regularisation chosen by efficient leave-one-out
/// cross-validation: scikit-learn's `RidgeClassifierCV` (generalised cross-validation,
/// "eigen" mode on the Gram matrix), which MiniRocket's reference pipeline uses after
/// scaling each feature by its standard deviation (`StandardScaler(with_mean=False)`).
///
/// Targets are one-vs-rest ±1 (one column for two classes). With X centred (the
/// intercept is not penalised), K = X Xᵀ + 1 1ᵀ = Q Λ Qᵀ, and for each α, with
/// w = 1/(Λ + α) except w = 0 on the eigenvector closest to 1/√n (the intercept),
///
///     c = Q diag(w) Qᵀ Y,   G⁻¹ᵢᵢ = Σⱼ wⱼ Qᵢⱼ²,   leave-one-out residual eᵢ = cᵢ / G⁻¹ᵢᵢ,
///
/// and α minimises the mean of e². Then coefficients Xᵀc, intercept ȳ − x̄·coefficients.
/// One eigen-decomposition of an n × n matrix serves every α, so the cost is that of
/// X Xᵀ (n² p) plus n³ — for the few hundred training series MiniRocket usually sees,
/// far below fitting p = 10,000 features directly.
///
/// Probabilities: the ridge has none, only decision values d. They come from a softmax
/// of d / T (for two classes, p₂ = σ(d / T)), with T fitted by temperature scaling on the
/// leave-one-out decision values the same eigen-decomposition gives, dᵢ = yᵢ − eᵢ
/// (`TemperatureScaling.calibrate`: the NLL optimum, no more confident than the
/// leave-one-out accuracy justifies). T changes no prediction.
public struct RidgeClassifierCV: Codable, Sendable, Equatable {
    /// scikit-learn's and MiniRocket's grid: 10 values log-spaced over 10⁻³ … 10³.
    public static let defaultAlphas: [Double] = (0..<10).map { pow(10, -3 + 6 * Double($0) / 9) }

    public let classNames: [String]
    /// Per-feature divisor (the standard deviation on the training rows; 1 where it is 0).
    public let scale: [Float]
    /// (outputs, features) coefficients on the scaled features, and (outputs,) intercepts.
    public let coefficients: [Float]
    public let intercepts: [Float]
    public let alpha: Double
    /// Mean squared leave-one-out residual at `alpha`, per output.
    public let leaveOneOutError: Double
    /// The softmax temperature of the probabilities; nil in models saved before it
    /// existed, whose probabilities are one-hot on the predicted class.
    public let temperature: Float?

    public var outputs: Int { intercepts.count }
    public var features: Int { scale.count }

    /// - Parameters:
    ///   - x: (rows, features) row-major.
    ///   - labels: class indices into `classNames`.
    public static func fit(x: [Float], rows: Int, features: Int, labels: [Int32], classNames: [String],
                           alphas: [Double] = defaultAlphas) throws -> RidgeClassifierCV {
        precondition(x.count == rows * features && labels.count == rows, "RidgeClassifierCV: shapes")
        guard rows >= 2, classNames.count >= 2, !alphas.isEmpty else {
            throw TrainingError.notEnoughData(reason: "a ridge classifier needs at least 2 rows and 2 classes")
        }
        // Scale each feature by its standard deviation (no centring: scikit-learn's with_mean=False).
        var mean = [Double](repeating: 0, count: features), squares = [Double](repeating: 0, count: features)
        for row in 0..<rows {
            for j in 0..<features {
                let value = Double(x[row * features + j])
                mean[j] += value
                squares[j] += value * value
            }
        }
        var scale = [Float](repeating: 1, count: features)
        for j in 0..<features {
            let m = mean[j] / Double(rows)
            let variance = max(0, squares[j] / Double(rows) - m * m)
            if variance > 1e-24 { scale[j] = Float(variance.squareRoot()) }
            mean[j] = m / Double(scale[j])
        }
        // Centred, scaled X (rows, features).
        var centred = [Float](repeating: 0, count: rows * features)
        for row in 0..<rows {
            for j in 0..<features { centred[row * features + j] = Float(Double(x[row * features + j] / scale[j]) - mean[j]) }
        }
        // Targets: ±1 one-vs-rest; one column for two classes (the second class positive).
        let outputs = classNames.count == 2 ? 1 : classNames.count
        var y = [Double](repeating: -1, count: rows * outputs)
        for (row, label) in labels.enumerated() {
            if outputs == 1 { y[row] = label == 1 ? 1 : -1 } else { y[row * outputs + Int(label)] = 1 }
        }
        var yMean = [Double](repeating: 0, count: outputs)
        for row in 0..<rows { for k in 0..<outputs { yMean[k] += y[row * outputs + k] / Double(rows) } }
        for row in 0..<rows { for k in 0..<outputs { y[row * outputs + k] -= yMean[k] } }

        // K = X Xᵀ + 1 1ᵀ in Double.
        var gram = [Float](repeating: 0, count: rows * rows)
        centred.withUnsafeBufferPointer { a in
            gram.withUnsafeMutableBufferPointer { c in
                BLAS.sgemm(transposeA: false, transposeB: true, m: rows, n: rows, k: features, alpha: 1, a: a.baseAddress!, lda: features,
                           b: a.baseAddress!, ldb: features, beta: 0, c: c.baseAddress!, ldc: rows)
            }
        }
        var kernel = [Double](repeating: 0, count: rows * rows)
        for i in 0..<rows { for j in 0..<rows { kernel[i * rows + j] = (Double(gram[i * rows + j]) + Double(gram[j * rows + i])) / 2 + 1 } }
        let (eigenvalues, q) = try BLAS.symmetricEigen(kernel, n: rows)   // q[i + j·n]: component i of vector j
        // The intercept's direction: the eigenvector most aligned with 1/√n.
        var interceptDimension = 0, bestAlignment = -1.0
        for j in 0..<rows {
            var dot = 0.0
            for i in 0..<rows { dot += q[i + j * rows] }
            let alignment = abs(dot) / Double(rows).squareRoot()
            if alignment > bestAlignment { (bestAlignment, interceptDimension) = (alignment, j) }
        }
        // Qᵀ Y (rows, outputs).
        var qty = [Double](repeating: 0, count: rows * outputs)
        for j in 0..<rows { for i in 0..<rows { for k in 0..<outputs { qty[j * outputs + k] += q[i + j * rows] * y[i * outputs + k] } } }

        var best: (alpha: Double, error: Double, dual: [Double], residuals: [Double])? = nil
        for alpha in alphas {
            var w = eigenvalues.map { 1 / ($0 + alpha) }
            w[interceptDimension] = 0
            var dual = [Double](repeating: 0, count: rows * outputs), residuals = dual
            var error = 0.0
            for i in 0..<rows {
                var diagonal = 0.0
                for j in 0..<rows { diagonal += w[j] * q[i + j * rows] * q[i + j * rows] }
                for k in 0..<outputs {
                    var value = 0.0
                    for j in 0..<rows { value += q[i + j * rows] * w[j] * qty[j * outputs + k] }
                    dual[i * outputs + k] = value
                    let residual = value / diagonal
                    residuals[i * outputs + k] = residual
                    error += residual * residual
                }
            }
            error /= Double(rows * outputs)
            if best == nil || error < best!.error { best = (alpha, error, dual, residuals) }
        }
        let chosen = best!
        // Coefficients Xᵀ c (outputs, features) and intercepts ȳ − x̄·coefficients.
        var sums = [Double](repeating: 0, count: outputs * features)
        for i in 0..<rows {
            for k in 0..<outputs {
                let weight = chosen.dual[i * outputs + k]
                for j in 0..<features { sums[k * features + j] += Double(centred[i * features + j]) * weight }
            }
        }
        let coefficients = sums.map { Float($0) }
        var intercepts = [Float](repeating: 0, count: outputs)
        for k in 0..<outputs {
            var offset = 0.0
            for j in 0..<features { offset += mean[j] * sums[k * features + j] }
            intercepts[k] = Float(yMean[k] - offset)
        }
        // Leave-one-out decision values yᵢ − eᵢ (the centring cancels).
        let outOfFold = (0..<(rows * outputs)).map { Float(y[$0] + yMean[$0 % outputs] - chosen.residuals[$0]) }
        let temperature = TemperatureScaling.calibrate(logits: logits(outOfFold, rows: rows, classes: classNames.count), labels: labels)
        return RidgeClassifierCV(classNames: classNames, scale: scale, coefficients: coefficients, intercepts: intercepts,
                                 alpha: chosen.alpha, leaveOneOutError: chosen.error, temperature: temperature)
    }

    /// Decision values (rows, outputs) as softmax logits (rows, classes): output k in class
    /// k's column, or for two classes (one output) column 1 against a 0 in column 0.
    static func logits(_ decisions: [Float], rows: Int, classes: Int) -> Matrix {
        let outputs = decisions.count / max(1, rows)
        var logits = Matrix(rows: rows, columns: classes)
        for row in 0..<rows {
            for k in 0..<outputs { logits[row, outputs == 1 ? 1 : k] = decisions[row * outputs + k] }
        }
        return logits
    }

    /// Decision values (rows, outputs): the classes' scores (one column for two classes:
    /// positive means the second class).
    public func decision(_ x: [Float], rows: Int) -> [Float] {
        precondition(x.count == rows * features, "RidgeClassifierCV: \(x.count) values for \(rows) × \(features)")
        var scaled = x
        for row in 0..<rows { for j in 0..<features { scaled[row * features + j] /= scale[j] } }
        var output = [Float](repeating: 0, count: rows * outputs)
        scaled.withUnsafeBufferPointer { a in
            coefficients.withUnsafeBufferPointer { b in
                output.withUnsafeMutableBufferPointer { c in
                    BLAS.sgemm(transposeA: false, transposeB: true, m: rows, n: outputs, k: features, alpha: 1, a: a.baseAddress!, lda: features,
                               b: b.baseAddress!, ldb: features, beta: 0, c: c.baseAddress!, ldc: outputs)
                }
            }
        }
        for row in 0..<rows { for k in 0..<outputs { output[row * outputs + k] += intercepts[k] } }
        return output
    }

    /// The predicted class index of each row (arg max of the decision; sign for two classes).
    public func predict(_ x: [Float], rows: Int) -> [Int32] {
        let scores = decision(x, rows: rows)
        return (0..<rows).map { row in
            if outputs == 1 { return scores[row] > 0 ? 1 : 0 }
            var best = 0
            for k in 1..<outputs where scores[row * outputs + k] > scores[row * outputs + best] { best = k }
            return Int32(best)
        }
    }

    private enum CodingKeys: String, CodingKey {
        case classNames = "class_names", scale, coefficients, intercepts, alpha
        case leaveOneOutError = "leave_one_out_error"
        case temperature
    }
}

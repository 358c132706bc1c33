import Foundation

/// Softmax cross-entropy for C classes.
///
/// With logits z (B, C), labels y and optional class weights w:
/// p = softmax(z) (computed as exp(z − max z) for stability),
/// L = Σ_i w_{y_i}·(−log p_{i,y_i}) / Σ_i w_{y_i},
/// ∂L/∂z_i = w_{y_i}·(p_i − onehot(y_i)) / Σ_i w_{y_i}.
public enum SoftmaxCrossEntropy {
    public static func compute(logits: Matrix, labels: [Int32], classWeights: [Float]? = nil) -> LossResult {
        precondition(labels.count == logits.rows, "one label per row")
        let classes = logits.columns
        var gradient = Matrix(rows: logits.rows, columns: classes)
        var total = 0.0, weightSum = 0.0
        for row in 0..<logits.rows {
            let base = row * classes
            let label = Int(labels[row])
            let weight = Double(classWeights?[label] ?? 1)
            var largest = -Float.infinity
            for column in 0..<classes { largest = max(largest, logits.values[base + column]) }
            var sum = 0.0
            for column in 0..<classes { sum += exp(Double(logits.values[base + column] - largest)) }
            let logSum = log(sum) + Double(largest)
            total += weight * (logSum - Double(logits.values[base + label]))
            weightSum += weight
            for column in 0..<classes {
                let probability = exp(Double(logits.values[base + column]) - logSum)
                gradient.values[base + column] = Float(weight * (probability - (column == label ? 1 : 0)))
            }
        }
        let scale = weightSum > 0 ? 1 / weightSum : 0
        for index in gradient.values.indices { gradient.values[index] *= Float(scale) }
        return LossResult(value: total * scale, gradient: gradient)
    }

    /// Row-wise softmax probabilities (B, C).
    public static func probabilities(_ logits: Matrix) -> Matrix {
        let columns = logits.columns
        return Matrix(rows: logits.rows, columns: columns) { output in
            logits.values.withUnsafeBufferPointer { z in
                Lanes.forEachBlock(of: logits.rows, work: 4 * z.count) { rows in
                    var exponentials = [Double](repeating: 0, count: columns)
                    exponentials.withUnsafeMutableBufferPointer { exponentials in
                        for row in rows {
                            _ = softmaxRow(z.baseAddress! + row * columns, into: output.baseAddress! + row * columns,
                                           count: columns, exponentials: exponentials.baseAddress!)
                        }
                    }
                }
            }
        }
    }

    /// One row's softmax, p_j = e_j / Σ_k e_k with e_j = exp(z_j − max z) in Double, each
    /// exp computed once (`exponentials` holds them; `output` may be `input`). Returns
    /// the row's log-partition log Σ_k exp(z_k) = log Σ_k e_k + max z.
    static func softmaxRow(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, count: Int,
                           exponentials: UnsafeMutablePointer<Double>) -> Double {
        var largest = -Float.infinity
        for column in 0..<count { largest = max(largest, input[column]) }
        var sum = 0.0
        for column in 0..<count {
            let e = exp(Double(input[column] - largest))
            exponentials[column] = e
            sum += e
        }
        for column in 0..<count { output[column] = Float(exponentials[column] / sum) }
        return log(sum) + Double(largest)
    }
}

/// Binary logistic loss on one logit per row.
///
/// With logit z, label y ∈ {0, 1} and weight w: L = Σ w·(softplus(z) − y·z) / Σ w,
/// where softplus(z) = log(1 + eᶻ) = max(z, 0) + log(1 + e^−|z|);
/// ∂L/∂z = w·(σ(z) − y) / Σ w.
public enum LogisticLoss {
    public static func compute(logits: Matrix, labels: [Int32], classWeights: [Float]? = nil) -> LossResult {
        precondition(logits.columns == 1 && labels.count == logits.rows, "one logit and one label per row")
        var gradient = Matrix(rows: logits.rows, columns: 1)
        var total = 0.0, weightSum = 0.0
        for row in 0..<logits.rows {
            let z = Double(logits.values[row])
            let y = Double(labels[row])
            let weight = Double(classWeights?[Int(labels[row])] ?? 1)
            total += weight * (max(z, 0) + log1p(exp(-abs(z))) - y * z)
            weightSum += weight
            gradient.values[row] = Float(weight * (1 / (1 + exp(-z)) - y))
        }
        let scale = weightSum > 0 ? 1 / weightSum : 0
        for index in gradient.values.indices { gradient.values[index] *= Float(scale) }
        return LossResult(value: total * scale, gradient: gradient)
    }
}

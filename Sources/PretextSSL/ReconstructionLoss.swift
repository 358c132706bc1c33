import Foundation
import PretextData
import PretextNN

/// The self-prediction objective of VIME (Yoon et al. 2020, "VIME: Extending the Success
/// of Self- and Semi-supervised Learning to Tabular Domain"): from the representation of
/// a corrupted row, reconstruct every original column and predict which columns were
/// corrupted.
///
/// The decoder output O (B, F + C) holds F feature predictions (the preprocessed layout)
/// and C mask logits, one per original column (block). For original features X and the
/// corruption mask M (B, C):
/// - a numeric block contributes (O_s − X_s)² (and the same for its missing indicator);
/// - a categorical block contributes the softmax cross-entropy of its one-hot slice
///   against the original category (nothing when the original was missing);
/// - L_features = Σ over rows and blocks / (B·C);
/// - L_mask = Σ BCE(O_{F+b}, M_b) / (B·C), with BCE(z, m) = softplus(z) − m·z;
/// - L = L_mask + α·L_features, α = 2 (VIME's default).
public enum ReconstructionLoss {
    public static let defaultFeatureWeight: Float = 2

    public static func compute(output: Matrix, original: Matrix, mask: Matrix, blocks: [FeatureBlock],
                               featureWeight: Float = defaultFeatureWeight) -> LossResult {
        let rows = output.rows, features = original.columns, columns = blocks.count
        precondition(output.columns == features + columns && mask.columns == columns && original.rows == rows, "shapes differ")
        var gradient = Matrix(rows: rows, columns: output.columns)
        let scale = 1 / Double(rows * columns)
        let alpha = Double(featureWeight)
        var featureLoss = 0.0, maskLoss = 0.0
        for row in 0..<rows {
            for (index, block) in blocks.enumerated() {
                var positions: [Int] = []
                switch block.kind {
                case .numeric:
                    positions = [block.start]
                case .categorical:
                    let slice = (block.start..<(block.start + block.width))
                    if let label = slice.first(where: { original[row, $0] > 0.5 }) {
                        let largest = slice.map { Double(output[row, $0]) }.max()!
                        let sum = slice.reduce(0.0) { $0 + exp(Double(output[row, $1]) - largest) }
                        featureLoss += log(sum) + largest - Double(output[row, label])
                        for position in slice {
                            let probability = exp(Double(output[row, position]) - largest) / sum
                            gradient[row, position] = Float(alpha * scale * (probability - (position == label ? 1 : 0)))
                        }
                    }
                }
                if let indicator = block.missingIndicator { positions.append(indicator) }
                for position in positions {
                    let residual = Double(output[row, position] - original[row, position])
                    featureLoss += residual * residual
                    gradient[row, position] = Float(alpha * scale * 2 * residual)
                }
                let z = Double(output[row, features + index]), m = Double(mask[row, index])
                maskLoss += max(z, 0) + log1p(exp(-abs(z))) - m * z
                gradient[row, features + index] = Float(scale * (1 / (1 + exp(-z)) - m))
            }
        }
        return LossResult(value: scale * (maskLoss + alpha * featureLoss), gradient: gradient)
    }
}

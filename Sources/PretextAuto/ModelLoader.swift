import PretextData
import PretextNN
import PretextBaselines
import PretextTransfer

/// Opens any Pretext model file that predicts: a fine-tuned `tabular-model`, a
/// from-scratch `mlp-classifier` / `mlp-regressor`, an `xgboost-model`, or a
/// `series-classifier` or a `minirocket-classifier`.
public enum ModelLoader {
    public static let predictorKinds = [TabularModel.kind, "mlp-classifier", "mlp-regressor", GradientBoostedTrees.kind, SeriesClassificationModel.kind,
                                         MiniRocketClassifier.kind]

    public static func loadPredictor(from path: String) throws -> TabularPredictor {
        switch try ModelFile.kind(of: path) {
        case TabularModel.kind: return try TabularModel.load(from: path)
        case "mlp-classifier": return try MLPClassifier.load(from: path)
        case "mlp-regressor": return try MLPRegressor.load(from: path)
        case GradientBoostedTrees.kind: return try GradientBoostedTrees.load(from: path)
        case SeriesClassificationModel.kind: return try SeriesClassificationModel.load(from: path)
        case MiniRocketClassifier.kind: return try MiniRocketClassifier.load(from: path)
        case let other: throw ModelFileError.wrongKind(path: path, found: other, expected: predictorKinds)
        }
    }
}

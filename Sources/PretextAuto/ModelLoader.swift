import PretextData
import PretextNN
import PretextSSL
import PretextBaselines
import PretextTransfer

/// Opens any Pretext model file that predicts: a fine-tuned `tabular-model`, a
/// from-scratch `mlp-classifier` / `mlp-regressor`, an `xgboost-model`, or a
/// `series-classifier`, a `minirocket-classifier`, an `encoder-ridge-classifier`, or the
/// `ensemble-model` `fit --method auto` may choose.
public enum ModelLoader {
    public static let predictorKinds = [TabularModel.kind, "mlp-classifier", "mlp-regressor", GradientBoostedTrees.kind, SeriesClassificationModel.kind,
                                         MiniRocketClassifier.kind, EncoderRidgeClassifier.kind, EnsembleModel.kind]

    public static func loadPredictor(from path: String) throws -> TabularPredictor {
        switch try ModelFile.kind(of: path) {
        case TabularModel.kind: return try TabularModel.load(from: path)
        case "mlp-classifier": return try MLPClassifier.load(from: path)
        case "mlp-regressor": return try MLPRegressor.load(from: path)
        case GradientBoostedTrees.kind: return try GradientBoostedTrees.load(from: path)
        case SeriesClassificationModel.kind: return try SeriesClassificationModel.load(from: path)
        case MiniRocketClassifier.kind: return try MiniRocketClassifier.load(from: path)
        case EncoderRidgeClassifier.kind: return try EncoderRidgeClassifier.load(from: path)
        case EnsembleModel.kind: return try EnsembleModel.load(from: path)
        case let other: throw ModelFileError.wrongKind(path: path, found: other, expected: predictorKinds)
        }
    }
}

extension ModelLoader {
    /// Kinds `pretext embed` accepts: a tabular encoder or fine-tuned model (their
    /// learned representation) and a MiniRocket classifier (its fixed features).
    public static let embedderKinds = [PretrainedEncoder.kind, TabularModel.kind, MiniRocketClassifier.kind]

    /// The representation of every row of `table` — one row per series for a series
    /// model — with the rows it belongs to and the model's id columns.
    public static func embeddings(modelPath: String, table: Table) throws -> (embeddings: Matrix, rows: Table, idColumns: [String]) {
        switch try ModelFile.kind(of: modelPath) {
        case MiniRocketClassifier.kind:
            let model = try MiniRocketClassifier.load(from: modelPath)
            let (features, rows) = try model.features(table)
            return (features, rows, model.idColumns)
        case PretrainedEncoder.kind, TabularModel.kind:
            let (embeddings, ids) = try Workflow.embeddings(modelPath: modelPath, table: table)
            return (embeddings, table, ids)
        case let other:
            throw ModelFileError.wrongKind(path: modelPath, found: other, expected: embedderKinds)
        }
    }
}

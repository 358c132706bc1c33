import PretextData
import PretextNN

/// A deployable model: preprocessing, encoder f, head h and target encoding.
/// Predicts h(f(x)) on new tables whose columns are matched by name.
public final class TabularModel: TabularPredictor {
    public static let kind = "tabular-model"

    public let preprocessor: FittedPreprocessor
    public let encoder: Network
    public let head: Network
    public let target: TargetEncoder
    public let config: FineTuneConfig
    public let history: TrainingHistory
    /// Columns passed through to prediction files.
    public var idColumns: [String]
    /// Softmax temperature T: class probabilities are softmax(h(f(x)) / T). 1 unless
    /// calibrated (`FineTuneSelector`, `TemperatureScaling`).
    public var temperature: Float = 1
    /// How the fine-tuning was chosen, when it was (`FineTuneSelector`).
    public var selection: FineTuneSelection?
    /// How this model was chosen over other kinds, when it was (`AutoModel`).
    public var choice: ModelChoice?
    /// Calibrated class probabilities on rows it was validated on but not trained on,
    /// when model selection made them (`FineTuneSelector`, `SelfTrainer` under `AutoModel`).
    /// Kept in memory for comparing and averaging candidates; not saved.
    public var outOfFold: OutOfFoldPredictions?

    public init(preprocessor: FittedPreprocessor, encoder: Network, head: Network, target: TargetEncoder,
                config: FineTuneConfig, history: TrainingHistory, idColumns: [String] = []) {
        self.preprocessor = preprocessor
        self.encoder = encoder
        self.head = head
        self.target = target
        self.config = config
        self.history = history
        self.idColumns = idColumns
    }

    public var requiredColumns: [String] { preprocessor.requiredColumns }
    public var targetColumn: String? { target.column }

    /// Head outputs (B, classes or 1) for every row.
    public func outputs(_ table: Table) throws -> (Matrix, FittedPreprocessor.TransformReport) {
        let (features, report) = try preprocessor.transform(table)
        let x = Matrix(rows: features.rows, columns: features.columns, values: features.values)
        return (head.predict(encoder.predict(x)), report)
    }

    public func predictions(_ table: Table) throws -> (predictions: Predictions, report: FittedPreprocessor.TransformReport) {
        let (outputs, report) = try outputs(table)
        if target.task.isClassification {
            let probabilities = SoftmaxCrossEntropy.probabilities(TemperatureScaling.apply(outputs, temperature: temperature))
            return (Predictions(classNames: target.classNames, task: target.task, probabilities: probabilities), report)
        }
        return (Predictions(regression: outputs.values.map { target.original($0) }), report)
    }

    /// Predictions for every row (the transform report is dropped; see `predictions`).
    public func predict(_ table: Table) throws -> Predictions { try predictions(table).predictions }

    /// The encoder's representation f(x) of every row.
    public func embed(_ table: Table) throws -> Matrix {
        let (features, _) = try preprocessor.transform(table)
        return encoder.predict(Matrix(rows: features.rows, columns: features.columns, values: features.values))
    }

    struct Description: Codable {
        var encoder: ModelFile.NetworkDescription
        var head: ModelFile.NetworkDescription
        var preprocessor: FittedPreprocessor
        var target: TargetEncoder
        var fineTune: FineTuneConfig
        var history: TrainingHistory
        var idColumns: [String]
        /// Absent in files written before calibration existed (read as 1 and nil).
        var temperature: Float?
        var selection: FineTuneSelection?
        var choice: ModelChoice?
    }

    /// Writes the model atomically as a safetensors file (tensors `encoder.…`, `head.…`).
    public func save(to path: String) throws { try modelFile().write(to: path) }

    /// The file `save` writes, in memory.
    public func modelFile() throws -> SafeTensors {
        let description = Description(encoder: .init(encoder, seed: 0), head: .init(head, seed: 0), preprocessor: preprocessor,
                                      target: target, fineTune: config, history: history, idColumns: idColumns,
                                      temperature: temperature, selection: selection, choice: choice)
        return try ModelFile.encode(networks: [("encoder.", encoder), ("head.", head)], description: description, kind: Self.kind)
    }

    public static func load(from path: String) throws -> TabularModel { try load(SafeTensors.read(from: path), path: path) }

    /// A model file in memory; `path` names it in errors.
    public static func load(_ file: SafeTensors, path: String) throws -> TabularModel {
        let (_, description, file) = try ModelFile.decode(file, path: path, kinds: [kind], as: Description.self)
        let encoder = try description.encoder.restored(prefix: "encoder.", from: file, path: path)
        let head = try description.head.restored(prefix: "head.", from: file, path: path)
        let model = TabularModel(preprocessor: description.preprocessor, encoder: encoder, head: head, target: description.target,
                                 config: description.fineTune, history: description.history, idColumns: description.idColumns)
        model.temperature = description.temperature ?? 1
        model.selection = description.selection
        model.choice = description.choice
        return model
    }
}


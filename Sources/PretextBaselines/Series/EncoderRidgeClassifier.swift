import PretextData
import PretextNN
import PretextSSL

/// A pretrained series encoder, frozen, as a fixed feature extractor, and the ridge
/// classifier MiniRocket uses on top of it: the evaluation protocol of the contrastive
/// series papers (TS2Vec, Yue et al. 2022, and TS-TCC, Eldele et al. 2021, fit a linear or
/// RBF classifier on frozen representations) with scikit-learn's `RidgeClassifierCV`.
///
/// Series are standardised per channel by the statistics of every series in the
/// training table (as `SeriesClassifier` reads them), padded to the longest training
/// series with masked missing steps at the start, and encoded once:
///
///     z = encoder(series)                      (N, D)  the encoder's pooled representation,
///                                              (N, L·W) its step representations side
///                                              by side, or (N, W) their maximum over
///                                              the observed steps (`features`)
///     class = argmax_k (z / s) · w_k + b_k     ridge on features scaled by their sd s,
///                                              α chosen by leave-one-out among 10⁻³ … 10³
///
/// Unlike a linear probe trained by gradient descent, nothing here needs epochs, a
/// learning rate or a hold-out: the one hyperparameter, α, is chosen in closed form by
/// leave-one-out on the labeled series, which suits budgets of a handful of series.
/// Probabilities are a softmax of the ridge's decision values with a temperature fitted
/// on their leave-one-out values (`RidgeClassifierCV`), as MiniRocket's.
public final class EncoderRidgeClassifier: TabularPredictor {
    public static let kind = "encoder-ridge-classifier"

    /// Which of the frozen encoder's representations the ridge reads.
    public enum Features: String, Codable, Sendable, CaseIterable {
        /// The pooled representation (N, D), as the contrastive papers evaluate. Default.
        case pooled
        /// A TCN's representation at every step, side by side (N, L·W): where in the series
        /// something happened is kept (what tells aligned series such as spectra apart),
        /// at the price of L times the features. An MLP encoder has no steps: pooled.
        case steps
        /// A TCN's step representations max-pooled over the observed steps (N, W): TS2Vec's
        /// instance representation (Yue et al. 2022 max-pool the representation over the
        /// whole series before their SVM). The masked padding before a shorter series'
        /// start is left out of the maximum. An MLP encoder has no steps: pooled.
        case max
    }

    public let features: Features

    public private(set) var encoder: Network?
    public private(set) var columns = SeriesColumns()
    /// Steps the encoder reads (the longest training series).
    public private(set) var length = 0
    public private(set) var standardizer: SeriesStandardizer?
    public private(set) var target: TargetEncoder?
    public private(set) var ridge: RidgeClassifierCV?
    public var idColumns: [String] = []

    public init(features: Features = .pooled) {
        self.features = features
    }

    public var valueColumns: [String] { columns.valueColumns }
    public var requiredColumns: [String] { columns.requiredColumns }
    public var targetColumn: String? { target?.column }

    /// Fits the ridge on `pretrained`'s features of the labeled series at `rows` —
    /// positions in `columns.read(table).rows`, one per series (default: every labeled
    /// series). The encoder is copied and never changed.
    @discardableResult
    public func fit(_ table: Table, columns: SeriesColumns, rows: [Int]? = nil, pretrained: SeriesEncoder) throws -> EncoderRidgeClassifier {
        let data = try LabeledSeries(table, columns: columns, rows: rows, method: "the encoder + ridge classifier")
        guard pretrained.channelNames.count == data.collection.channels else {
            throw SeriesError.channelMismatch(expected: pretrained.channelNames, found: data.collection.channelNames)
        }
        let length = data.columns.isLong ? data.collection.series.map(\.length).max() ?? 0 : data.columns.valueColumns.count
        let standardizer = SeriesStandardizer(fitting: data.collection)
        let network = try pretrained.network(length: length)
        let x = Self.features(network, data.collection, length: length, standardizer: standardizer, kind: features).gatheringRows(data.labeled.train)
        ridge = try RidgeClassifierCV.fit(x: x.values, rows: x.rows, features: x.columns,
                                          labels: try data.trainClasses(), classNames: data.labeled.target.classNames)
        (self.encoder, self.columns, self.length, self.standardizer, target) = (network, data.columns, length, standardizer, data.labeled.target)
        if data.columns.isLong, let id = data.columns.seriesID, !idColumns.contains(id) { idColumns.insert(id, at: 0) }
        return self
    }

    /// The frozen encoder's representation of every series: pooled (N, D) or, for a TCN,
    /// every step's (N, L·W).
    static func features(_ network: Network, _ collection: SeriesCollection, length: Int, standardizer: SeriesStandardizer,
                         kind: Features) -> Matrix {
        let windows = WindowSet.whole(collection, length: length, standardizer: standardizer)
        return features(network, inputs: Matrix(rows: windows.count, columns: windows.inputWidth, values: windows.inputs), kind: kind)
    }

    static func features(_ network: Network, inputs: Matrix, kind: Features) -> Matrix {
        guard kind != .pooled, case .tcn(let tcn) = network.architecture, let steps = network.stepRepresentations(inputs) else {
            return network.predict(inputs)
        }
        return kind == .steps ? steps : observedMaximum(steps, width: tcn.width, inputs: inputs)
    }

    /// z[n, w] = max over the steps t of series n with some observed value of h[n, t·W + w]
    /// (over every step when none is observed). h (N, L·W) time-major; inputs (N, L·2C),
    /// each step's C values then its C observed flags (`WindowSet`).
    static func observedMaximum(_ steps: Matrix, width: Int, inputs: Matrix) -> Matrix {
        let length = steps.columns / width, channels = inputs.columns / (2 * length)
        precondition(length * width == steps.columns && 2 * length * channels == inputs.columns, "step representations and inputs disagree")
        var out = Matrix(rows: steps.rows, columns: width, repeating: -.infinity)               // (N, W)
        for row in 0..<steps.rows {
            let observed = (0..<length).filter { t in (0..<channels).contains { inputs[row, (2 * t + 1) * channels + $0] > 0 } }
            for t in observed.isEmpty ? Array(0..<length) : observed {
                for w in 0..<width { out[row, w] = Swift.max(out[row, w], steps[row, t * width + w]) }
            }
        }
        return out
    }

    public var readsSeries: Bool { true }

    public func predictionRows(_ table: Table) throws -> Table {
        try columns.rows(in: table)
    }

    public func predictions(_ table: Table) throws -> (predictions: Predictions, report: FittedPreprocessor.TransformReport) {
        guard let encoder, let standardizer, let target, let ridge else { throw TrainingError.notFitted("EncoderRidgeClassifier") }
        let missing = columns.requiredColumns.filter { table[$0] == nil }
        guard missing.isEmpty else {
            throw DataError.schemaMismatch(missing: missing, reason: "The encoder + ridge classifier reads the columns it was trained on.")
        }
        let collection = try columns.read(table, labelColumn: nil).series
        guard collection.channels == standardizer.location.count else {
            throw SeriesError.channelMismatch(expected: columns.valueColumns, found: collection.channelNames)
        }
        let x = Self.features(encoder, collection, length: length, standardizer: standardizer, kind: features)
        return (Predictions(classNames: target.classNames, task: target.task, probabilities: ridge.probabilities(x.values, rows: x.rows)),
                FittedPreprocessor.TransformReport())
    }

    struct Description: Codable {
        var encoder: ModelFile.NetworkDescription
        var columns: SeriesColumns
        var length: Int
        var standardizer: SeriesStandardizer
        var target: TargetEncoder
        var classNames: [String]
        var alpha: Double
        var leaveOneOutError: Double
        var outputs: Int
        var idColumns: [String]
        /// Absent in files written before calibrated probabilities: one-hot.
        var temperature: Float?
        /// Absent in files written before step features: pooled.
        var features: Features?

        private enum CodingKeys: String, CodingKey {
            case encoder, columns, length, standardizer, target, alpha, outputs, temperature, features
            case classNames = "class_names"
            case leaveOneOutError = "leave_one_out_error"
            case idColumns = "id_columns"
        }
    }

    public func save(to path: String) throws {
        guard let encoder, let standardizer, let target, let ridge else { throw TrainingError.notFitted("EncoderRidgeClassifier") }
        let description = Description(encoder: .init(encoder, seed: 0), columns: columns, length: length, standardizer: standardizer,
                                      target: target, classNames: ridge.classNames, alpha: ridge.alpha,
                                      leaveOneOutError: ridge.leaveOneOutError, outputs: ridge.outputs, idColumns: idColumns,
                                      temperature: ridge.temperature, features: features)
        try ModelFile.write(networks: [("encoder.", encoder)], tensors: ridge.tensors, description: description, kind: Self.kind, to: path)
    }

    public static func load(from path: String) throws -> EncoderRidgeClassifier {
        let (_, description, file) = try ModelFile.read(from: path, kinds: [kind], as: Description.self)
        let encoder = try description.encoder.restored(prefix: "encoder.", from: file, path: path)
        let channels = description.standardizer.location.count
        guard description.outputs >= 1, channels >= 1, description.standardizer.scale.count == channels,
              channels * 2 * description.length == encoder.inputDimensions else {
            throw ModelFileError.corrupt(path: path, reason: "the ridge, standardizer and encoder do not fit together")
        }
        let model = EncoderRidgeClassifier(features: description.features ?? .pooled)
        (model.encoder, model.columns, model.length, model.standardizer) = (encoder, description.columns, description.length, description.standardizer)
        (model.target, model.idColumns) = (description.target, description.idColumns)
        // The ridge reads what `features` gives for one series (its width is the encoder's to say).
        let width = Self.features(encoder, inputs: Matrix(rows: 1, columns: encoder.inputDimensions), kind: model.features).columns
        model.ridge = try RidgeClassifierCV.restored(from: file, path: path, features: width, outputs: description.outputs,
                                                     classNames: description.classNames, alpha: description.alpha,
                                                     leaveOneOutError: description.leaveOneOutError, temperature: description.temperature)
        return model
    }
}

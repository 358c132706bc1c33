import PretextData
import PretextNN

/// MiniRocket features and a ridge classifier with leave-one-out-chosen regularisation:
/// the reference MiniRocket classification pipeline (Dempster et al. 2021; sktime's
/// `MiniRocketClassifier` and `MiniRocketMultivariateVariable`), on wide tables (one
/// series per row, time steps as columns) or long ones (`series_id, t, channels…,
/// target`: multivariate, any lengths).
///
/// Missing steps are filled from the nearest observed step before them (after them at the
/// start), since the kernels need every value. Class probabilities are a softmax of the
/// ridge's decision values, its temperature fitted on their leave-one-out values
/// (`RidgeClassifierCV`; the reference implementation has none).
public final class MiniRocketClassifier: TabularPredictor {
    public static let kind = "minirocket-classifier"

    public var config: MiniRocketConfig
    public private(set) var columns = SeriesColumns()
    public private(set) var target: TargetEncoder?
    public private(set) var transform: MiniRocket?
    public private(set) var ridge: RidgeClassifierCV?
    public var idColumns: [String] = []

    public init(config: MiniRocketConfig = MiniRocketConfig()) {
        self.config = config
    }

    /// Wide: the time-step columns; long: the channel columns.
    public var valueColumns: [String] { columns.valueColumns }
    public var requiredColumns: [String] { columns.requiredColumns }
    public var targetColumn: String? { target?.column }

    /// Fits a wide table on the labeled `rows` (default: every labeled row).
    @discardableResult
    public func fit(_ table: Table, valueColumns: [String] = [], rows: [Int]? = nil) throws -> MiniRocketClassifier {
        try fit(table, columns: .wide(valueColumns), rows: rows)
    }

    /// Fits on the labeled series at `rows` — positions in `columns.read(table).rows`,
    /// one per series (default: every labeled series).
    @discardableResult
    public func fit(_ table: Table, columns: SeriesColumns, rows: [Int]? = nil) throws -> MiniRocketClassifier {
        let data = try LabeledSeries(table, columns: columns, rows: rows, method: "MiniRocket")
        let (columns, labeled) = (data.columns, data.labeled)
        let series = try Self.series(table, collection: data.collection, columns: columns, rows: labeled.train)
        let transform = try MiniRocket.fit(multivariate: series, config: config)
        let features = transform.transform(multivariate: series)
        ridge = try RidgeClassifierCV.fit(x: features, rows: series.count, features: transform.featureCount,
                                          labels: try data.trainClasses(), classNames: labeled.target.classNames)
        self.columns = columns
        self.transform = transform
        target = labeled.target
        if columns.isLong, let id = columns.seriesID, !idColumns.contains(id) { idColumns.insert(id, at: 0) }
        return self
    }

    public var readsSeries: Bool { true }

    public func predictionRows(_ table: Table) throws -> Table {
        try columns.rows(in: table)
    }

    public func predictions(_ table: Table) throws -> (predictions: Predictions, report: FittedPreprocessor.TransformReport) {
        guard let target, let transform, let ridge else { throw TrainingError.notFitted("MiniRocketClassifier") }
        let missing = columns.requiredColumns.filter { table[$0] == nil }
        guard missing.isEmpty else { throw DataError.schemaMismatch(missing: missing, reason: "MiniRocket reads the columns it was trained on.") }
        let collection = try columns.read(table, labelColumn: nil).series
        guard collection.channels == transform.channels else {
            throw SeriesError.channelMismatch(expected: columns.valueColumns, found: collection.channelNames)
        }
        let series = try Self.series(table, collection: collection, columns: columns, rows: Array(0..<collection.count))
        return (Predictions(classNames: target.classNames, task: target.task,
                            probabilities: ridge.probabilities(transform.transform(multivariate: series), rows: series.count)),
                FittedPreprocessor.TransformReport())
    }

    /// MiniRocket's features of every series in `table` — the fixed transform alone, for
    /// use as input to other models (`pretext embed`) — and the rows they belong to (one
    /// per series). (series, features)
    public func features(_ table: Table) throws -> (features: Matrix, rows: Table) {
        guard let transform else { throw TrainingError.notFitted("MiniRocketClassifier") }
        let missing = columns.requiredColumns.filter { table[$0] == nil }
        guard missing.isEmpty else { throw DataError.schemaMismatch(missing: missing, reason: "MiniRocket reads the columns it was trained on.") }
        let (collection, rows) = try columns.read(table, labelColumn: nil)
        guard collection.channels == transform.channels else {
            throw SeriesError.channelMismatch(expected: columns.valueColumns, found: collection.channelNames)
        }
        let series = try Self.series(table, collection: collection, columns: columns, rows: Array(0..<collection.count))
        return (Matrix(rows: series.count, columns: transform.featureCount, values: transform.transform(multivariate: series)), rows)
    }

    /// The series at `rows` as channels of values. Wide: each row's values in column
    /// order over every column (so every series has the table's length); long: each
    /// series over its own length. Gaps are filled from the nearest earlier step (the
    /// first observed value before it); a channel with no value at all is an error.
    static func series(_ table: Table, collection: SeriesCollection, columns: SeriesColumns, rows: [Int]) throws -> [MiniRocket.Series] {
        if !columns.isLong {
            return try Self.series(table, columns: columns.valueColumns, rows: rows).map { [$0] }
        }
        return try rows.map { index in
            let series = collection.series[index]
            return try (0..<series.channels).map { channel in
                try filled((0..<series.length).map { series.value($0, channel) },
                           what: "series \(series.id), channel \(collection.channelNames[channel])")
            }
        }
    }

    /// Each row's values in column order, gaps filled from the nearest earlier step (the
    /// first observed value before it); a row with no value at all is an error.
    static func series(_ table: Table, columns: [String], rows: [Int]) throws -> [[Float]] {
        let missing = columns.filter { table[$0]?.floatValues == nil }
        guard missing.isEmpty else {
            throw DataError.schemaMismatch(missing: missing, reason: "MiniRocket needs the same numeric time-step columns.")
        }
        let values = columns.map { table[$0]!.floatValues! }
        return try rows.map { row in try filled(values.map { $0[row] }, what: "row \(row + 1)") }
    }

    static func filled(_ values: [Float], what: String) throws -> [Float] {
        var series = values
        guard let first = series.firstIndex(where: { !$0.isNaN }) else {
            throw DataError.invalidOption(name: "series", value: what, reason: "every time step is missing")
        }
        var last = series[first]
        for t in series.indices { if series[t].isNaN { series[t] = last } else { last = series[t] } }
        return series
    }

    struct Description: Codable {
        var config: MiniRocketConfig
        var valueColumns: [String]
        var target: TargetEncoder
        var length: Int
        var dilations: [Int]
        var featuresPerDilation: [Int]
        var classNames: [String]
        var alpha: Double
        var leaveOneOutError: Double
        var outputs: Int
        var idColumns: [String]
        /// Absent in files written before long-layout support: wide.
        var seriesID: String?
        var time: String?
        var channels: Int?
        var channelsPerCombination: [Int]?
        var channelIndices: [Int]?
        var alternatesPadding: Bool?
        /// Absent in files written before calibrated probabilities: one-hot.
        var temperature: Float?

        private enum CodingKeys: String, CodingKey {
            case config, target, length, dilations, alpha, outputs, time, channels, temperature
            case seriesID = "series_id"
            case channelsPerCombination = "channels_per_combination"
            case channelIndices = "channel_indices"
            case alternatesPadding = "alternates_padding"
            case valueColumns = "value_columns"
            case featuresPerDilation = "features_per_dilation"
            case classNames = "class_names"
            case leaveOneOutError = "leave_one_out_error"
            case idColumns = "id_columns"
        }
    }

    public func save(to path: String) throws {
        guard let target, let transform, let ridge else { throw TrainingError.notFitted("MiniRocketClassifier") }
        let description = Description(config: config, valueColumns: valueColumns, target: target, length: transform.length,
                                      dilations: transform.dilations, featuresPerDilation: transform.featuresPerDilation,
                                      classNames: ridge.classNames, alpha: ridge.alpha, leaveOneOutError: ridge.leaveOneOutError,
                                      outputs: ridge.outputs, idColumns: idColumns, seriesID: columns.seriesID, time: columns.time,
                                      channels: transform.channels, channelsPerCombination: transform.channelsPerCombination,
                                      channelIndices: transform.channelIndices, alternatesPadding: transform.alternatesPadding,
                                      temperature: ridge.temperature)
        let tensors = [SafeTensors.Tensor(name: "minirocket.biases", shape: [transform.featureCount], values: transform.biases)] + ridge.tensors
        try ModelFile.write(networks: [], tensors: tensors, description: description, kind: Self.kind, to: path)
    }

    public static func load(from path: String) throws -> MiniRocketClassifier {
        let (_, description, file) = try ModelFile.read(from: path, kinds: [kind], as: Description.self)
        func tensor(_ name: String, count: Int) throws -> [Float] {
            guard let tensor = file[name], tensor.values.count == count else {
                throw ModelFileError.corrupt(path: path, reason: "tensor \(name) is missing or has the wrong size")
            }
            return tensor.values
        }
        let features = description.featuresPerDilation.reduce(0, +) * MiniRocket.kernels.count
        let channels = description.channels ?? 1
        let perCombination = description.channelsPerCombination ?? [], indices = description.channelIndices ?? []
        let long = description.seriesID != nil
        guard description.dilations.count == description.featuresPerDilation.count, description.outputs >= 1, channels >= 1,
              long ? description.valueColumns.count == channels : (description.length == description.valueColumns.count && channels == 1),
              channels == 1 ? perCombination.isEmpty : perCombination.count == description.dilations.count * MiniRocket.kernels.count,
              perCombination.reduce(0, +) == indices.count, indices.allSatisfy({ (0..<channels).contains($0) }) else {
            throw ModelFileError.corrupt(path: path, reason: "inconsistent MiniRocket description")
        }
        let model = MiniRocketClassifier(config: description.config)
        model.columns = SeriesColumns(seriesID: description.seriesID, time: description.time, valueColumns: description.valueColumns)
        model.target = description.target
        model.idColumns = description.idColumns
        model.transform = MiniRocket(length: description.length, channels: channels, dilations: description.dilations,
                                     featuresPerDilation: description.featuresPerDilation, biases: try tensor("minirocket.biases", count: features),
                                     channelsPerCombination: perCombination, channelIndices: indices,
                                     alternatesPadding: description.alternatesPadding ?? true)
        model.ridge = try RidgeClassifierCV.restored(from: file, path: path, features: features, outputs: description.outputs,
                                                     classNames: description.classNames, alpha: description.alpha,
                                                     leaveOneOutError: description.leaveOneOutError, temperature: description.temperature)
        return model
    }
}

import PretextData
import PretextNN
import PretextSSL

/// Classifies whole series — wide tables (one series per row) or long ones (one row per
/// series and step, channels as columns, any lengths; `SeriesColumns`): the encoder's
/// pooled representation of the per-channel z-normalised series, then a head. Series
/// shorter than the longest training series are padded with masked missing steps at
/// the start (`WindowSet.whole`); longer ones at prediction time keep their last steps.
///
/// Values are standardised per channel with the mean and standard deviation of every
/// series in the training table (`normalization = .global`, the default: the protocol
/// of TS2Vec and TS-TCC for the UEA archive, where a series' level tells classes apart),
/// or each series by its own statistics (`.perSeries`: only shape is left).
///
/// With a pretrained `SeriesEncoder` the strategies are those of tabular fine-tuning
/// (`linear-probe`, `full`, `freeze-then-unfreeze`); without one the same encoder
/// architecture is trained from scratch. Labeled rows, label budgets and early stopping
/// follow `LabeledRows`, as every tabular method does.
public struct SeriesClassifier {
    /// Strategy, head, optimizer, training loop and validation rules.
    public var fineTune: FineTuneConfig
    /// The encoder trained from scratch when none is given.
    public var encoderConfig: SeriesEncoderConfig
    public var encoder: SeriesEncoder?
    public var progress: ProgressReporter?
    /// How series are scaled before the encoder reads them. Default `.global`.
    public var normalization: SeriesNormalization = .global

    public init(fineTune: FineTuneConfig = .seriesClassification, encoderConfig: SeriesEncoderConfig = SeriesEncoderConfig(),
                encoder: SeriesEncoder? = nil, progress: ProgressReporter? = nil) {
        self.fineTune = fineTune
        self.encoderConfig = encoderConfig
        self.encoder = encoder
        self.progress = progress
    }

    /// Fits a wide table (every numeric column but the target, or `valueColumns`, is a
    /// time step, in column order) on the labeled `rows` (default: every labeled row).
    public func fit(_ table: Table, valueColumns: [String] = [], rows: [Int]? = nil) throws -> SeriesClassificationModel {
        try fit(table, columns: .wide(valueColumns), rows: rows)
    }

    /// Fits on the labeled series at `rows` — positions in `columns.read(table).rows`,
    /// one per series (default: every labeled series).
    public func fit(_ table: Table, columns: SeriesColumns, rows: [Int]? = nil) throws -> SeriesClassificationModel {
        try fineTune.validate()
        guard let targetColumn = table.target else { throw TrainingError.notEnoughData(reason: "the table has no target column") }
        let columns = columns.resolved(in: table, labelColumn: targetColumn.name)
        let (collection, seriesRows) = try columns.read(table, labelColumn: targetColumn.name)
        let length = columns.isLong ? collection.series.map(\.length).max() ?? 0 : columns.valueColumns.count
        let labeled = try LabeledRows(seriesRows, rows: rows, validationRows: nil, validationFraction: fineTune.validationFraction,
                                      minimumValidationRows: fineTune.minimumValidationRows, seed: fineTune.seed, requestedTask: nil)
        guard labeled.task.isClassification else {
            throw DataError.invalidTarget(path: table.source, column: targetColumn.name, reason: "series classification needs class labels, and this column looks continuous")
        }
        let standardizer = normalization == .global ? SeriesStandardizer(fitting: collection) : nil
        let windows = standardizer.map { WindowSet.whole(collection, length: length, standardizer: $0) } ?? WindowSet.whole(collection, length: length)
        let all = Matrix(rows: windows.count, columns: windows.inputWidth, values: windows.inputs)
        let x = all.gatheringRows(labeled.train), xValidation = all.gatheringRows(labeled.validation)
        var training = fineTune.training
        if labeled.validation.isEmpty {
            if let steps = fineTune.stepsWithoutValidation {
                let batches = (labeled.train.count + training.batchSize - 1) / training.batchSize
                training.maximumEpochs = min(training.maximumEpochs, (steps + batches - 1) / batches)
            } else {
                training = training.withoutValidation(epochs: fineTune.epochsWithoutValidation)
            }
        }

        var seeds = SeededGenerator(seed: fineTune.seed, stream: "series-classifier")
        var config = fineTune
        let network: Network
        if let encoder {
            guard encoder.channelNames.count == collection.channels else {
                throw SeriesError.channelMismatch(expected: encoder.channelNames, found: collection.channelNames)
            }
            network = try encoder.network(length: length)
            _ = seeds.next()
        } else {
            network = try Network(architecture: encoderConfig.architecture(channels: collection.channels), inputDimensions: windows.inputWidth,
                                  outputDimensions: nil, seed: seeds.next())
            config.strategy = .full
        }
        let classes = labeled.target.classNames.count
        let headArchitecture: Architecture = config.strategy == .linearProbe
            ? .linear : .mlp(MLPConfig(depth: config.headDepth - 1, hiddenWidth: config.headWidth))
        let head = try Network(architecture: headArchitecture, inputDimensions: network.outputDimensions, outputDimensions: classes, seed: seeds.next())
        let objective = try SupervisedObjective(task: labeled.task, target: labeled.target, table: seriesRows, trainRows: labeled.train,
                                                validationRows: labeled.validation, balanceClasses: config.balanceClasses, classes: classes)
        if config.strategy == .linearProbe { try head.setConstant(objective.constantOutput(count: labeled.train.count, classes: classes)) }
        training.seed = seeds.next()
        let history = try EncoderHeadTrainer(config, progress: progress).train(
            encoder: network, head: head, x: x, xValidation: xValidation, training: training,
            loss: { objective.loss($0, batch: $1) }, validationLoss: { objective.validationLoss($0) })
        return SeriesClassificationModel(encoder: network, head: head, columns: columns, length: length, standardizer: standardizer,
                                         target: labeled.target, config: config, history: history, pretrained: encoder != nil)
    }
}

/// A fitted series classifier; predicts the rows of wide tables with the same columns.
public final class SeriesClassificationModel: TabularPredictor {
    public static let kind = "series-classifier"

    public let encoder: Network
    public let head: Network
    /// Where the series are (wide: the time-step columns, in order; long: id, time and
    /// channel columns).
    public let columns: SeriesColumns
    /// Steps the encoder reads (the longest training series).
    public let length: Int
    /// The training series' per-channel statistics; nil = each series by its own.
    public let standardizer: SeriesStandardizer?
    public let target: TargetEncoder
    public let config: FineTuneConfig
    public let history: TrainingHistory
    public let pretrained: Bool
    public var idColumns: [String] = []

    public init(encoder: Network, head: Network, columns: SeriesColumns, length: Int, standardizer: SeriesStandardizer?, target: TargetEncoder,
                config: FineTuneConfig, history: TrainingHistory, pretrained: Bool) {
        self.encoder = encoder
        self.head = head
        self.columns = columns
        self.length = length
        self.standardizer = standardizer
        if let id = columns.seriesID { idColumns = [id] }
        self.target = target
        self.config = config
        self.history = history
        self.pretrained = pretrained
    }

    public var valueColumns: [String] { columns.valueColumns }
    public var requiredColumns: [String] { columns.requiredColumns }
    public var targetColumn: String? { target.column }

    public var readsSeries: Bool { true }

    public func predictionRows(_ table: Table) throws -> Table {
        try columns.rows(in: table)
    }

    public func predictions(_ table: Table) throws -> (predictions: Predictions, report: FittedPreprocessor.TransformReport) {
        let missing = columns.requiredColumns.filter { table[$0] == nil }
        guard missing.isEmpty else {
            let what = columns.isLong ? "the columns \(columns.requiredColumns.joined(separator: ", "))"
                : "\(valueColumns.count) time-step columns (\(valueColumns.first!) … \(valueColumns.last!))"
            throw DataError.schemaMismatch(missing: missing, reason: "The model reads \(what).")
        }
        let collection = try columns.read(table, labelColumn: nil).series
        guard collection.channels * 2 * length == encoder.inputDimensions else {
            throw SeriesError.channelMismatch(expected: columns.valueColumns, found: collection.channelNames)
        }
        let windows = standardizer.map { WindowSet.whole(collection, length: length, standardizer: $0) } ?? WindowSet.whole(collection, length: length)
        let outputs = head.predict(encoder.predict(Matrix(rows: windows.count, columns: windows.inputWidth, values: windows.inputs)))
        return (Predictions(classNames: target.classNames, task: target.task, probabilities: SoftmaxCrossEntropy.probabilities(outputs)), FittedPreprocessor.TransformReport())
    }

    struct Description: Codable {
        var encoder: ModelFile.NetworkDescription
        var head: ModelFile.NetworkDescription
        var valueColumns: [String]
        var target: TargetEncoder
        var fineTune: FineTuneConfig
        var history: TrainingHistory
        var pretrained: Bool
        var idColumns: [String]
        /// Absent in files written before long-layout support (wide; length = columns).
        var seriesID: String?
        var time: String?
        var length: Int?
        /// Absent in files from before global standardisation: each series by its own.
        var standardizer: SeriesStandardizer?
    }

    public func save(to path: String) throws {
        let description = Description(encoder: .init(encoder, seed: 0), head: .init(head, seed: 0), valueColumns: columns.valueColumns, target: target,
                                      fineTune: config, history: history, pretrained: pretrained, idColumns: idColumns,
                                      seriesID: columns.seriesID, time: columns.time, length: length, standardizer: standardizer)
        try ModelFile.write(networks: [("encoder.", encoder), ("head.", head)], description: description, kind: Self.kind, to: path)
    }

    public static func load(from path: String) throws -> SeriesClassificationModel {
        let (_, description, file) = try ModelFile.read(from: path, kinds: [kind], as: Description.self)
        let encoder = try description.encoder.restored(prefix: "encoder.", from: file, path: path)
        let head = try description.head.restored(prefix: "head.", from: file, path: path)
        let columns = SeriesColumns(seriesID: description.seriesID, time: description.time, valueColumns: description.valueColumns)
        if let standardizer = description.standardizer,
           standardizer.location.count != standardizer.scale.count || standardizer.location.count * 2 * (description.length ?? description.valueColumns.count) != encoder.inputDimensions {
            throw ModelFileError.corrupt(path: path, reason: "the standardizer does not match the encoder's channels")
        }
        let model = SeriesClassificationModel(encoder: encoder, head: head, columns: columns, length: description.length ?? description.valueColumns.count,
                                              standardizer: description.standardizer, target: description.target,
                                              config: description.fineTune, history: description.history, pretrained: description.pretrained)
        model.idColumns = description.idColumns
        return model
    }
}

import PretextData
import PretextNN
import PretextSSL

/// Classifies whole series (wide layout: one series per row, the label in the target
/// column): the encoder's pooled representation of the z-normalised series, then a head.
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

    public init(fineTune: FineTuneConfig = FineTuneConfig(), encoderConfig: SeriesEncoderConfig = SeriesEncoderConfig(),
                encoder: SeriesEncoder? = nil, progress: ProgressReporter? = nil) {
        self.fineTune = fineTune
        self.encoderConfig = encoderConfig
        self.encoder = encoder
        self.progress = progress
    }

    /// - Parameters:
    ///   - table: a wide table with its target column set; every other numeric column
    ///     (or `valueColumns`) is a time step, in column order.
    ///   - rows: the labeled rows to learn from (default: every labeled row).
    public func fit(_ table: Table, valueColumns: [String] = [], rows: [Int]? = nil) throws -> SeriesClassificationModel {
        try fineTune.validate()
        guard let targetColumn = table.target else { throw TrainingError.notEnoughData(reason: "the table has no target column") }
        let reader = SeriesReader(layout: .wide, valueColumns: valueColumns, labelColumn: targetColumn.name)
        let collection = try reader.series(from: table)
        let columns = reader.valueColumnNames(in: table)
        let labeled = try LabeledRows(table, rows: rows, validationRows: nil, validationFraction: fineTune.validationFraction,
                                      minimumValidationRows: fineTune.minimumValidationRows, seed: fineTune.seed, requestedTask: nil)
        guard labeled.task.isClassification else {
            throw DataError.invalidTarget(path: table.source, column: targetColumn.name, reason: "series classification needs class labels, and this column looks continuous")
        }
        let windows = WindowSet.whole(collection, length: columns.count)
        let all = Matrix(rows: windows.count, columns: windows.inputWidth, values: windows.inputs)
        let x = all.gatheringRows(labeled.train), xValidation = all.gatheringRows(labeled.validation)
        var training = fineTune.training
        if labeled.validation.isEmpty { training = training.withoutValidation(epochs: fineTune.epochsWithoutValidation) }

        var seeds = SeededGenerator(seed: fineTune.seed, stream: "series-classifier")
        var config = fineTune
        let network: Network
        if let encoder {
            guard encoder.channelNames.count == 1 else {
                throw SeriesError.channelMismatch(expected: encoder.channelNames, found: ["value"])
            }
            network = try encoder.network(length: columns.count)
            _ = seeds.next()
        } else {
            network = try Network(architecture: encoderConfig.architecture(channels: 1), inputDimensions: windows.inputWidth,
                                  outputDimensions: nil, seed: seeds.next())
            config.strategy = .full
        }
        let classes = labeled.target.classNames.count
        let headArchitecture: Architecture = config.strategy == .linearProbe
            ? .linear : .mlp(MLPConfig(depth: config.headDepth - 1, hiddenWidth: config.headWidth))
        let head = try Network(architecture: headArchitecture, inputDimensions: network.outputDimensions, outputDimensions: classes, seed: seeds.next())
        let objective = try SupervisedObjective(task: labeled.task, target: labeled.target, table: table, trainRows: labeled.train,
                                                validationRows: labeled.validation, balanceClasses: config.balanceClasses, classes: classes)
        training.seed = seeds.next()
        let history = try EncoderHeadTrainer(config, progress: progress).train(
            encoder: network, head: head, x: x, xValidation: xValidation, training: training,
            loss: { objective.loss($0, batch: $1) }, validationLoss: { objective.validationLoss($0) })
        return SeriesClassificationModel(encoder: network, head: head, valueColumns: columns, target: labeled.target,
                                         config: config, history: history, pretrained: encoder != nil)
    }
}

/// A fitted series classifier; predicts the rows of wide tables with the same columns.
public final class SeriesClassificationModel: TabularPredictor {
    public static let kind = "series-classifier"

    public let encoder: Network
    public let head: Network
    /// The time-step columns, in order.
    public let valueColumns: [String]
    public let target: TargetEncoder
    public let config: FineTuneConfig
    public let history: TrainingHistory
    public let pretrained: Bool
    public var idColumns: [String] = []

    public init(encoder: Network, head: Network, valueColumns: [String], target: TargetEncoder, config: FineTuneConfig,
                history: TrainingHistory, pretrained: Bool) {
        self.encoder = encoder
        self.head = head
        self.valueColumns = valueColumns
        self.target = target
        self.config = config
        self.history = history
        self.pretrained = pretrained
    }

    public var requiredColumns: [String] { valueColumns }
    public var targetColumn: String? { target.column }

    public func predictions(_ table: Table) throws -> (predictions: Predictions, report: FittedPreprocessor.TransformReport) {
        let missing = valueColumns.filter { table[$0] == nil }
        guard missing.isEmpty else {
            throw DataError.schemaMismatch(missing: missing, reason: "The model reads \(valueColumns.count) time-step columns (\(valueColumns.first!) … \(valueColumns.last!)).")
        }
        let collection = try SeriesReader(layout: .wide, valueColumns: valueColumns).series(from: table)
        let windows = WindowSet.whole(collection, length: valueColumns.count)
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
    }

    public func save(to path: String) throws {
        let description = Description(encoder: .init(encoder, seed: 0), head: .init(head, seed: 0), valueColumns: valueColumns, target: target,
                                      fineTune: config, history: history, pretrained: pretrained, idColumns: idColumns)
        try ModelFile.write(networks: [("encoder.", encoder), ("head.", head)], description: description, kind: Self.kind, to: path)
    }

    public static func load(from path: String) throws -> SeriesClassificationModel {
        let (_, description, file) = try ModelFile.read(from: path, kinds: [kind], as: Description.self)
        let encoder = try description.encoder.restored(prefix: "encoder.", from: file, path: path)
        let head = try description.head.restored(prefix: "head.", from: file, path: path)
        let model = SeriesClassificationModel(encoder: encoder, head: head, valueColumns: description.valueColumns, target: description.target,
                                              config: description.fineTune, history: description.history, pretrained: description.pretrained)
        model.idColumns = description.idColumns
        return model
    }
}

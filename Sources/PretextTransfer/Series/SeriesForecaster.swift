import PretextData
import PretextNN
import PretextSSL

/// Fits a forecasting model on the history of a collection: a pretrained `SeriesEncoder`
/// fine-tuned with a new head, or (without one) the same architecture from scratch.
///
/// Training windows: every window of the history with lookback L and horizon H
/// (targets beyond the end are missing and masked). Early stopping holds out the last
/// windows of each series in time (`WindowSet.temporalHoldOut`).
public struct SeriesForecaster: Forecaster {
    public var config: ForecastConfig
    public var encoder: SeriesEncoder?
    public var progress: ProgressReporter?

    public init(config: ForecastConfig = ForecastConfig(), encoder: SeriesEncoder? = nil, progress: ProgressReporter? = nil) {
        self.config = config
        self.encoder = encoder
        self.progress = progress
    }

    public var name: String { encoder == nil ? "scratch" : "pretrained" }

    public func fit(_ history: SeriesCollection) throws -> ForecastModel {
        try config.validate()
        if let encoder, encoder.channelNames.count != history.channels {
            throw SeriesError.channelMismatch(expected: encoder.channelNames, found: history.channelNames)
        }
        let windows = WindowSet.training(history, config: WindowConfig(lookback: config.lookback, horizon: config.horizon))
        guard windows.count >= 1 else {
            let longest = history.series.map(\.length).max() ?? 0
            throw SeriesError.tooShort(path: history.source, series: history.series.first?.id ?? "-", length: longest,
                                       needed: config.lookback + 1, purpose: "forecasting with lookback \(config.lookback)")
        }
        let (trainIndices, validationIndices) = windows.temporalHoldOut(fraction: config.validationFraction, minimum: config.minimumValidationWindows)
        let train = windows.selecting(trainIndices), validation = windows.selecting(validationIndices)
        var training = config.training
        if validation.count == 0 { training = training.withoutValidation(epochs: config.epochsWithoutValidation) }

        var seeds = SeededGenerator(seed: config.seed, stream: "forecast")
        let network: Network
        if let encoder {
            network = try encoder.network(length: config.lookback)
            _ = seeds.next()
        } else {
            network = try Network(architecture: config.encoder.architecture(channels: history.channels), inputDimensions: windows.inputWidth,
                                  outputDimensions: nil, seed: seeds.next())
        }
        let head = try Network(architecture: .linear, inputDimensions: network.outputDimensions, outputDimensions: windows.targetWidth, seed: seeds.next())
        training.seed = seeds.next()
        let x = Matrix(rows: train.count, columns: train.inputWidth, values: train.inputs)
        let y = Matrix(rows: train.count, columns: train.targetWidth, values: train.targets)
        let xValidation = Matrix(rows: validation.count, columns: validation.inputWidth, values: validation.inputs)
        let yValidation = Matrix(rows: validation.count, columns: validation.targetWidth, values: validation.targets)
        var fineTune = config.fineTune
        if encoder == nil { fineTune.strategy = .full }   // nothing to keep frozen
        let trainingHistory = try EncoderHeadTrainer(fineTune, progress: progress).train(
            encoder: network, head: head, x: x, xValidation: xValidation, training: training,
            loss: { MaskedMeanSquaredError.compute(predictions: $0, targets: y.gatheringRows($1)) },
            validationLoss: { MaskedMeanSquaredError.compute(predictions: $0, targets: yValidation).value })
        return ForecastModel(encoder: network, head: head, channelNames: history.channelNames, lookback: config.lookback,
                             horizon: config.horizon, axis: history.axis, config: config, history: trainingHistory, pretrained: encoder != nil)
    }

    public func forecast(history: SeriesCollection, horizon: Int) throws -> [SeriesForecast] {
        var copy = self
        copy.config.horizon = horizon
        return try copy.fit(history).forecast(history)
    }
}

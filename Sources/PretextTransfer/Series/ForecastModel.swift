import PretextData
import PretextNN
import PretextSSL

/// A fitted forecaster: encoder f over the last L normalised steps and a linear head to
/// the H·C future values, which are de-normalised with the window's μ and s.
public final class ForecastModel {
    public static let kind = "series-forecaster"

    public let encoder: Network
    public let head: Network
    public let channelNames: [String]
    public let lookback: Int
    public let horizon: Int
    public let axis: TimeAxis
    public let config: ForecastConfig
    public let history: TrainingHistory
    /// Whether the encoder started from a pretrained one.
    public let pretrained: Bool

    public init(encoder: Network, head: Network, channelNames: [String], lookback: Int, horizon: Int, axis: TimeAxis,
                config: ForecastConfig, history: TrainingHistory, pretrained: Bool) {
        self.encoder = encoder
        self.head = head
        self.channelNames = channelNames
        self.lookback = lookback
        self.horizon = horizon
        self.axis = axis
        self.config = config
        self.history = history
        self.pretrained = pretrained
    }

    /// The next `horizon` steps of every series, from its last `lookback` steps.
    public func forecast(_ collection: SeriesCollection) throws -> [SeriesForecast] {
        // Same channels by name; a univariate model forecasts any univariate series.
        guard collection.channelNames == channelNames || (collection.channels == 1 && channelNames.count == 1) else {
            throw SeriesError.channelMismatch(expected: channelNames, found: collection.channelNames)
        }
        let windows = WindowSet.latest(collection, lookback: lookback, horizon: horizon)
        let outputs = head.predict(encoder.predict(Matrix(rows: windows.count, columns: windows.inputWidth, values: windows.inputs)))
        let values = windows.denormalize(outputs.values)
        return collection.series.indices.map { index in
            SeriesForecast(id: collection.series[index].id, times: collection.futureTimes(of: index, horizon: horizon),
                           values: Array(values[(index * windows.targetWidth)..<((index + 1) * windows.targetWidth)]))
        }
    }

    struct Description: Codable {
        var encoder: ModelFile.NetworkDescription
        var head: ModelFile.NetworkDescription
        var channelNames: [String]
        var lookback: Int
        var horizon: Int
        var axis: TimeAxis
        var forecast: ForecastConfig
        var history: TrainingHistory
        var pretrained: Bool
    }

    /// Writes the model atomically as a safetensors file (tensors `encoder.…`, `head.…`).
    public func save(to path: String) throws {
        let description = Description(encoder: .init(encoder, seed: 0), head: .init(head, seed: 0), channelNames: channelNames, lookback: lookback,
                                      horizon: horizon, axis: axis, forecast: config, history: history, pretrained: pretrained)
        try ModelFile.write(networks: [("encoder.", encoder), ("head.", head)], description: description, kind: Self.kind, to: path)
    }

    public static func load(from path: String) throws -> ForecastModel {
        let (_, description, file) = try ModelFile.read(from: path, kinds: [kind], as: Description.self)
        let encoder = try description.encoder.restored(prefix: "encoder.", from: file, path: path)
        let head = try description.head.restored(prefix: "head.", from: file, path: path)
        return ForecastModel(encoder: encoder, head: head, channelNames: description.channelNames, lookback: description.lookback,
                             horizon: description.horizon, axis: description.axis, config: description.forecast,
                             history: description.history, pretrained: description.pretrained)
    }
}

import PretextData
import PretextNN

/// A pretrained series encoder: the network f over normalised windows, the channels it
/// reads and the lookback it was trained with.
public final class SeriesEncoder {
    public static let kind = "series-encoder"

    public let network: Network
    public let channelNames: [String]
    public let lookback: Int
    public let config: NextStepConfig
    public let history: TrainingHistory

    public init(network: Network, channelNames: [String], lookback: Int, config: NextStepConfig, history: TrainingHistory) {
        self.network = network
        self.channelNames = channelNames
        self.lookback = lookback
        self.config = config
        self.history = history
    }

    /// The encoder for windows of `length` steps: itself, or for a TCN the same weights
    /// at another length.
    public func network(length: Int) throws -> Network {
        let inputs = length * 2 * channelNames.count
        if inputs == network.inputDimensions { return try network.copy() }
        guard case .tcn = network.architecture else {
            throw TrainingError.invalidHyperparameter(name: "lookback (series length)", value: "\(length)",
                                                      expected: "\(lookback), the window length this MLP encoder was pretrained on (only TCN encoders read other lengths)")
        }
        return try network.resized(inputDimensions: inputs)
    }

    /// The pooled representation (N, D) of each series' last `length` steps.
    public func transform(_ collection: SeriesCollection, length: Int? = nil) throws -> Matrix {
        guard collection.channels == channelNames.count else {
            throw SeriesError.channelMismatch(expected: channelNames, found: collection.channelNames)
        }
        let windows = WindowSet.whole(collection, length: length ?? lookback)
        let encoder = try network(length: windows.lookback)
        return encoder.predict(Matrix(rows: windows.count, columns: windows.inputWidth, values: windows.inputs))
    }

    /// The representation at every time step of each series' last `length` steps:
    /// (N, L·W), time-major (step t's W values at t·W ..< (t+1)·W); causal, so step t
    /// summarises steps ≤ t. Only TCN encoders have one.
    public func stepRepresentations(_ collection: SeriesCollection, length: Int? = nil) throws -> Matrix {
        guard collection.channels == channelNames.count else {
            throw SeriesError.channelMismatch(expected: channelNames, found: collection.channelNames)
        }
        let windows = WindowSet.whole(collection, length: length ?? lookback)
        let encoder = try network(length: windows.lookback)
        guard let steps = encoder.stepRepresentations(Matrix(rows: windows.count, columns: windows.inputWidth, values: windows.inputs)) else {
            throw TrainingError.invalidHyperparameter(name: "encoder", value: "mlp", expected: "a TCN encoder (only it has a representation per step)")
        }
        return steps
    }

    struct Description: Codable {
        var network: ModelFile.NetworkDescription
        var channelNames: [String]
        var lookback: Int
        var nextStep: NextStepConfig
        var history: TrainingHistory
    }

    /// Writes the encoder atomically as a safetensors file (tensors `encoder.…`).
    public func save(to path: String) throws {
        let description = Description(network: .init(network, seed: 0), channelNames: channelNames, lookback: lookback, nextStep: config, history: history)
        try ModelFile.write(networks: [("encoder.", network)], description: description, kind: Self.kind, to: path)
    }

    public static func load(from path: String) throws -> SeriesEncoder {
        let (_, description, file) = try ModelFile.read(from: path, kinds: [kind], as: Description.self)
        let network = try description.network.restored(prefix: "encoder.", from: file, path: path)
        return SeriesEncoder(network: network, channelNames: description.channelNames, lookback: description.lookback,
                             config: description.nextStep, history: description.history)
    }
}

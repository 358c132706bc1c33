import PretextData
import PretextNN

/// How a series encoder was pretrained.
public enum SeriesPretrainingObjective: Codable, Sendable, Equatable {
    /// Next-step prediction (`NextStepPretrainer`; its settings are `SeriesEncoder.config`).
    case nextStep
    /// Contrastive views (`ContrastiveSeriesPretrainer`) with these settings.
    case contrastive(ContrastiveSeriesConfig)

    public var name: String {
        switch self {
        case .nextStep: return "next-step"
        case .contrastive: return "contrastive"
        }
    }

    private enum CodingKeys: String, CodingKey { case kind, contrastive }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .kind) {
        case "next-step": self = .nextStep
        case "contrastive": self = .contrastive(try container.decode(ContrastiveSeriesConfig.self, forKey: .contrastive))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: container, debugDescription: "unknown pretraining objective \(other)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .kind)
        if case .contrastive(let config) = self { try container.encode(config, forKey: .contrastive) }
    }
}

/// A pretrained series encoder: the network f over normalised windows, the channels it
/// reads, the lookback (or crop) it was trained with and how it was pretrained.
public final class SeriesEncoder {
    public static let kind = "series-encoder"

    public let network: Network
    public let channelNames: [String]
    public let lookback: Int
    public let config: NextStepConfig
    public let history: TrainingHistory
    public let objective: SeriesPretrainingObjective

    public init(network: Network, channelNames: [String], lookback: Int, config: NextStepConfig, history: TrainingHistory,
                objective: SeriesPretrainingObjective = .nextStep) {
        self.network = network
        self.channelNames = channelNames
        self.lookback = lookback
        self.config = config
        self.history = history
        self.objective = objective
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
        /// Absent in files from before contrastive pretraining: next-step.
        var objective: SeriesPretrainingObjective?
    }

    /// Writes the encoder atomically as a safetensors file (tensors `encoder.…`).
    public func save(to path: String) throws {
        let description = Description(network: .init(network, seed: 0), channelNames: channelNames, lookback: lookback, nextStep: config, history: history,
                                      objective: objective)
        try ModelFile.write(networks: [("encoder.", network)], description: description, kind: Self.kind, to: path)
    }

    public static func load(from path: String) throws -> SeriesEncoder {
        let (_, description, file) = try ModelFile.read(from: path, kinds: [kind], as: Description.self)
        let network = try description.network.restored(prefix: "encoder.", from: file, path: path)
        return SeriesEncoder(network: network, channelNames: description.channelNames, lookback: description.lookback,
                             config: description.nextStep, history: description.history, objective: description.objective ?? .nextStep)
    }
}

import PretextData
import PretextNN

/// A pretrained encoder: the preprocessing it was trained with and the network f.
public final class PretrainedEncoder {
    public static let kind = "encoder"

    public let preprocessor: FittedPreprocessor
    public let network: Network
    public let config: PretrainingConfig
    public let history: TrainingHistory

    public init(preprocessor: FittedPreprocessor, network: Network, config: PretrainingConfig, history: TrainingHistory) {
        self.preprocessor = preprocessor
        self.network = network
        self.config = config
        self.history = history
    }

    /// Preprocessed features (B, F) of every row of `table`.
    public func features(_ table: Table) throws -> Matrix {
        let (matrix, _) = try preprocessor.transform(table)
        return Matrix(rows: matrix.rows, columns: matrix.columns, values: matrix.values)
    }

    /// The representation f(x) (B, D) of every row of `table`.
    public func transform(_ table: Table) throws -> Matrix {
        network.predict(try features(table))
    }

    struct Description: Codable {
        var network: ModelFile.NetworkDescription
        var preprocessor: FittedPreprocessor
        var scarf: PretrainingConfig
        var history: TrainingHistory
    }

    /// Writes the encoder atomically as a safetensors file (tensors `encoder.…`).
    public func save(to path: String) throws {
        let description = Description(network: .init(network, seed: 0), preprocessor: preprocessor, scarf: config, history: history)
        try ModelFile.write(networks: [("encoder.", network)], description: description, kind: Self.kind, to: path)
    }

    public static func load(from path: String) throws -> PretrainedEncoder {
        let (_, description, file) = try ModelFile.read(from: path, kinds: [kind], as: Description.self)
        let network = try description.network.restored(prefix: "encoder.", from: file, path: path)
        return PretrainedEncoder(preprocessor: description.preprocessor, network: network, config: description.scarf,
                                 history: description.history)
    }
}

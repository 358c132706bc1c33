import CZlib
import Foundation
import PretextData

/// Pretext model files: safetensors with Pretext's metadata.
///
/// Tensors are the networks' parameters and buffers under their layer names, prefixed
/// per network (`encoder.layers.0.weight`, …). Metadata (all strings, as safetensors
/// requires):
/// - `pretext.format_version`: this layout's version (`ModelFile.formatVersion`);
/// - `pretext.kind`: what the file holds (`mlp-classifier`, `mlp-regressor`, …);
/// - `pretext.model`: JSON describing the model: each network's architecture and sizes,
///   preprocessing state (the column schema), target encoding with class names, the
///   training settings and seed;
/// - `pretext.checksum`: CRC-32 of the tensor data, in hex;
/// - `pretext.version`: the Pretext release that wrote the file.
///
/// Format 2 spells enum values with explicit keys (`{"kind": "mlp", "config": {…}}`);
/// format 1 files, with Swift's synthesized `{"mlp": {"_0": {…}}}`, are still read.
public enum ModelFile {
    public static let formatVersion = 2

    /// How to rebuild one network: its architecture and sizes (weights come from tensors).
    public struct NetworkDescription: Codable, Sendable, Equatable {
        public var architecture: Architecture
        public var inputDimensions: Int
        /// nil for an encoder without projection.
        public var outputDimensions: Int?
        public var seed: UInt64

        public init(_ network: Network, seed: UInt64) {
            architecture = network.architecture
            inputDimensions = network.inputDimensions
            outputDimensions = network.hasProjection ? network.outputDimensions : nil
            self.seed = seed
        }

        /// The network with its weights and buffers from the tensors named `prefix + …`.
        public func restored(prefix: String, from file: SafeTensors, path: String) throws -> Network {
            let network = try makeNetwork(path: path)
            try ModelFile.restore(network, prefix: prefix, from: file, path: path)
            return network
        }

        public func makeNetwork(path: String) throws -> Network {
            do {
                return try Network(architecture: architecture, inputDimensions: inputDimensions, outputDimensions: outputDimensions, seed: seed)
            } catch {
                throw ModelFileError.corrupt(path: path, reason: "the network description is invalid: \(error)")
            }
        }
    }

    /// Writes `networks` (tensor names prefixed, e.g. `encoder.layers.0.weight`) and a
    /// Codable description of everything else.
    /// `tensors`: further named tensors (a model's arrays that are not a network's).
    public static func write<Description: Encodable>(networks: [(prefix: String, network: Network)], tensors extra: [SafeTensors.Tensor] = [],
                                                     description: Description, kind: String, to path: String) throws {
        try encode(networks: networks, tensors: extra, description: description, kind: kind).write(to: path)
    }

    /// The model file `write` would write, in memory (e.g. to embed it in another file).
    public static func encode<Description: Encodable>(networks: [(prefix: String, network: Network)], tensors extra: [SafeTensors.Tensor] = [],
                                                      description: Description, kind: String) throws -> SafeTensors {
        var tensors: [SafeTensors.Tensor] = extra
        for (prefix, network) in networks {
            let store = network.store
            tensors += store.views.map { SafeTensors.Tensor(name: prefix + $0.name, shape: $0.shape, values: Array(store.values[$0.range])) }
            tensors += store.bufferViews.map { SafeTensors.Tensor(name: prefix + $0.name, shape: $0.shape, values: Array(store.buffers[$0.range])) }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let metadata = [
            "pretext.format_version": String(formatVersion),
            "pretext.kind": kind,
            "pretext.model": String(decoding: try encoder.encode(description), as: UTF8.self),
            "pretext.checksum": checksum(tensors),
            "pretext.version": PretextVersion.release,
        ]
        return SafeTensors(tensors: tensors, metadata: metadata)
    }

    /// Reads a file of one of `kinds` and verifies its version and checksum.
    public static func read<Description: Decodable>(from path: String, kinds: [String], as type: Description.Type)
        throws -> (kind: String, description: Description, file: SafeTensors) {
        try decode(SafeTensors.read(from: path), path: path, kinds: kinds, as: type)
    }

    /// As `read`, for a model file already in memory; `path` names it in errors.
    public static func decode<Description: Decodable>(_ file: SafeTensors, path: String, kinds: [String], as type: Description.Type)
        throws -> (kind: String, description: Description, file: SafeTensors) {
        guard let versionText = file.metadata["pretext.format_version"], let kind = file.metadata["pretext.kind"],
              let model = file.metadata["pretext.model"] else { throw ModelFileError.notPretext(path: path) }
        guard let version = Int(versionText) else { throw ModelFileError.corrupt(path: path, reason: "format version \"\(versionText)\"") }
        guard version <= formatVersion else { throw ModelFileError.newerFormat(path: path, found: version, supported: formatVersion) }
        guard kinds.contains(kind) else { throw ModelFileError.wrongKind(path: path, found: kind, expected: kinds) }
        guard file.metadata["pretext.checksum"] == checksum(file.tensors) else { throw ModelFileError.checksumMismatch(path: path) }
        do {
            return (kind, try JSONDecoder().decode(Description.self, from: Data(model.utf8)), file)
        } catch {
            throw ModelFileError.corrupt(path: path, reason: "the model description does not parse: \(error)")
        }
    }

    /// The kind written in a file, without loading it.
    public static func kind(of path: String) throws -> String {
        let file = try SafeTensors.read(from: path)
        guard let kind = file.metadata["pretext.kind"] else { throw ModelFileError.notPretext(path: path) }
        return kind
    }

    /// Copies the tensors named `prefix + view name` into `network` (parameters and buffers).
    public static func restore(_ network: Network, prefix: String, from file: SafeTensors, path: String) throws {
        let store = network.store
        store.values = try filled(store.values, views: store.views, kind: "tensor", prefix: prefix, file: file, path: path)
        store.buffers = try filled(store.buffers, views: store.bufferViews, kind: "buffer", prefix: prefix, file: file, path: path)
    }

    private static func filled(_ storage: [Float], views: [ParameterStore.View], kind: String, prefix: String,
                               file: SafeTensors, path: String) throws -> [Float] {
        var storage = storage
        for view in views {
            guard let tensor = file[prefix + view.name], tensor.shape == view.shape else {
                throw ModelFileError.corrupt(path: path, reason: "\(kind) \"\(prefix + view.name)\" with shape \(view.shape) is missing")
            }
            storage.replaceSubrange(view.range, with: tensor.values)
        }
        return storage
    }

    /// CRC-32 (zlib) of the tensors' little-endian bytes, in order.
    static func checksum(_ tensors: [SafeTensors.Tensor]) -> String {
        var crc = crc32(0, nil, 0)
        for tensor in tensors {
            tensor.values.withUnsafeBytes { raw in
                // Float's in-memory bytes are little-endian on every platform Pretext builds for.
                crc = crc32(crc, raw.bindMemory(to: UInt8.self).baseAddress, UInt32(raw.count))
            }
        }
        return String(crc, radix: 16)
    }
}

/// What a supervised model file describes besides its weights.
struct SupervisedDescription: Codable {
    var network: ModelFile.NetworkDescription
    var preprocessor: FittedPreprocessor
    var target: TargetEncoder
    var supervised: SupervisedConfig
    var history: TrainingHistory
    /// How `auto` chose this model, when it did (absent in earlier files).
    var choice: ModelChoice?
}

extension FittedSupervisedModel {
    static let classifierKind = "mlp-classifier"
    static let regressorKind = "mlp-regressor"

    func modelFile(kind: String) throws -> SafeTensors {
        let description = SupervisedDescription(network: .init(network, seed: 0), preprocessor: preprocessor, target: target,
                                                supervised: config, history: history, choice: choice)
        return try ModelFile.encode(networks: [("", network)], description: description, kind: kind)
    }

    static func load(_ file: SafeTensors, path: String, kind: String) throws -> FittedSupervisedModel {
        let (_, description, file) = try ModelFile.decode(file, path: path, kinds: [kind], as: SupervisedDescription.self)
        let network = try description.network.restored(prefix: "", from: file, path: path)
        let model = FittedSupervisedModel(config: description.supervised, preprocessor: description.preprocessor,
                                          target: description.target, network: network, history: description.history)
        model.choice = description.choice
        return model
    }
}

public extension MLPClassifier {
    /// Writes the fitted model (atomically) as a safetensors file.
    func save(to path: String) throws { try modelFile().write(to: path) }

    /// The file `save` writes, in memory.
    func modelFile() throws -> SafeTensors {
        guard let fitted else { throw TrainingError.notFitted("MLPClassifier") }
        return try fitted.modelFile(kind: FittedSupervisedModel.classifierKind)
    }

    static func load(from path: String) throws -> MLPClassifier { try load(SafeTensors.read(from: path), path: path) }

    /// A model file in memory; `path` names it in errors.
    static func load(_ file: SafeTensors, path: String) throws -> MLPClassifier {
        let fitted = try FittedSupervisedModel.load(file, path: path, kind: FittedSupervisedModel.classifierKind)
        let model = MLPClassifier(config: fitted.config)
        model.restore(fitted)
        return model
    }
}

public extension MLPRegressor {
    func save(to path: String) throws { try modelFile().write(to: path) }

    /// The file `save` writes, in memory.
    func modelFile() throws -> SafeTensors {
        guard let fitted else { throw TrainingError.notFitted("MLPRegressor") }
        return try fitted.modelFile(kind: FittedSupervisedModel.regressorKind)
    }

    static func load(from path: String) throws -> MLPRegressor { try load(SafeTensors.read(from: path), path: path) }

    /// A model file in memory; `path` names it in errors.
    static func load(_ file: SafeTensors, path: String) throws -> MLPRegressor {
        let fitted = try FittedSupervisedModel.load(file, path: path, kind: FittedSupervisedModel.regressorKind)
        let model = MLPRegressor(config: fitted.config)
        model.restore(fitted)
        return model
    }
}

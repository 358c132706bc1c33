import CZlib
import Foundation
import PretextData

/// Pretext model files: safetensors with Pretext's metadata.
///
/// Tensors are the network's parameters and buffers under their layer names
/// (`layers.0.weight`, …). Metadata (all strings, as safetensors requires):
/// - `pretext.format_version`: this layout's version (`ModelFile.formatVersion`);
/// - `pretext.kind`: what the file holds (`mlp-classifier`, `mlp-regressor`, …);
/// - `pretext.model`: JSON of `ModelDescription` (architecture, sizes, seed,
///   preprocessing state, target encoding with class names, training settings);
/// - `pretext.checksum`: CRC-32 of the tensor data, in hex.
public enum ModelFile {
    public static let formatVersion = 1

    /// Everything needed to rebuild a model except its weights.
    public struct ModelDescription: Codable, Sendable, Equatable {
        public var architecture: Architecture
        public var inputDimensions: Int
        /// nil for an encoder without projection.
        public var outputDimensions: Int?
        public var seed: UInt64
        public var preprocessor: FittedPreprocessor?
        public var target: TargetEncoder?
        public var supervised: SupervisedConfig?
        public var history: TrainingHistory?
    }

    public static func write(network: Network, description: ModelDescription, kind: String, to path: String) throws {
        let store = network.store
        var tensors = store.views.map { SafeTensors.Tensor(name: $0.name, shape: $0.shape, values: Array(store.values[$0.range])) }
        tensors += store.bufferViews.map { SafeTensors.Tensor(name: $0.name, shape: $0.shape, values: Array(store.buffers[$0.range])) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let metadata = [
            "pretext.format_version": String(formatVersion),
            "pretext.kind": kind,
            "pretext.model": String(decoding: try encoder.encode(description), as: UTF8.self),
            "pretext.checksum": checksum(tensors),
        ]
        try SafeTensors(tensors: tensors, metadata: metadata).write(to: path)
    }

    /// Reads a file of one of `kinds`, verifies it and rebuilds its network.
    public static func read(from path: String, kinds: [String]) throws -> (kind: String, description: ModelDescription, network: Network) {
        let file = try SafeTensors.read(from: path)
        guard let versionText = file.metadata["pretext.format_version"], let kind = file.metadata["pretext.kind"],
              let model = file.metadata["pretext.model"] else { throw ModelFileError.notPretext(path: path) }
        guard let version = Int(versionText) else { throw ModelFileError.corrupt(path: path, reason: "format version \"\(versionText)\"") }
        guard version <= formatVersion else { throw ModelFileError.newerFormat(path: path, found: version, supported: formatVersion) }
        guard kinds.contains(kind) else { throw ModelFileError.wrongKind(path: path, found: kind, expected: kinds) }
        guard file.metadata["pretext.checksum"] == checksum(file.tensors) else { throw ModelFileError.checksumMismatch(path: path) }
        let description: ModelDescription
        do {
            description = try JSONDecoder().decode(ModelDescription.self, from: Data(model.utf8))
        } catch {
            throw ModelFileError.corrupt(path: path, reason: "the model description does not parse: \(error)")
        }
        let network: Network
        do {
            network = try Network(architecture: description.architecture, inputDimensions: description.inputDimensions,
                                  outputDimensions: description.outputDimensions, seed: description.seed)
        } catch {
            throw ModelFileError.corrupt(path: path, reason: "the model description is invalid: \(error)")
        }
        let store = network.store
        for view in store.views {
            guard let tensor = file[view.name], tensor.shape == view.shape else {
                throw ModelFileError.corrupt(path: path, reason: "tensor \"\(view.name)\" with shape \(view.shape) is missing")
            }
            store.values.replaceSubrange(view.range, with: tensor.values)
        }
        for view in store.bufferViews {
            guard let tensor = file[view.name], tensor.shape == view.shape else {
                throw ModelFileError.corrupt(path: path, reason: "buffer \"\(view.name)\" with shape \(view.shape) is missing")
            }
            store.buffers.replaceSubrange(view.range, with: tensor.values)
        }
        return (kind, description, network)
    }

    /// CRC-32 (zlib) of the tensors' little-endian bytes, in order.
    static func checksum(_ tensors: [SafeTensors.Tensor]) -> String {
        var crc = crc32(0, nil, 0)
        for tensor in tensors {
            let bytes = tensor.values.flatMap { value -> [UInt8] in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }
            crc = bytes.withUnsafeBufferPointer { crc32(crc, $0.baseAddress, UInt32($0.count)) }
        }
        return String(crc, radix: 16)
    }
}

extension FittedSupervisedModel {
    static let classifierKind = "mlp-classifier"
    static let regressorKind = "mlp-regressor"

    func save(to path: String, kind: String) throws {
        let description = ModelFile.ModelDescription(
            architecture: network.architecture, inputDimensions: network.inputDimensions,
            outputDimensions: network.outputDimensions, seed: config.seed, preprocessor: preprocessor, target: target,
            supervised: config, history: history)
        try ModelFile.write(network: network, description: description, kind: kind, to: path)
    }

    static func load(from path: String, kind: String) throws -> FittedSupervisedModel {
        let (_, description, network) = try ModelFile.read(from: path, kinds: [kind])
        guard let preprocessor = description.preprocessor, let target = description.target, let config = description.supervised else {
            throw ModelFileError.corrupt(path: path, reason: "the supervised model lacks its preprocessing or target state")
        }
        return FittedSupervisedModel(config: config, preprocessor: preprocessor, target: target, network: network,
                                     history: description.history ?? TrainingHistory())
    }
}

public extension MLPClassifier {
    /// Writes the fitted model (atomically) as a safetensors file.
    func save(to path: String) throws {
        guard let fitted else { throw TrainingError.notFitted("MLPClassifier") }
        try fitted.save(to: path, kind: FittedSupervisedModel.classifierKind)
    }

    static func load(from path: String) throws -> MLPClassifier {
        let fitted = try FittedSupervisedModel.load(from: path, kind: FittedSupervisedModel.classifierKind)
        let model = MLPClassifier(config: fitted.config)
        model.restore(fitted)
        return model
    }
}

public extension MLPRegressor {
    func save(to path: String) throws {
        guard let fitted else { throw TrainingError.notFitted("MLPRegressor") }
        try fitted.save(to: path, kind: FittedSupervisedModel.regressorKind)
    }

    static func load(from path: String) throws -> MLPRegressor {
        let fitted = try FittedSupervisedModel.load(from: path, kind: FittedSupervisedModel.regressorKind)
        let model = MLPRegressor(config: fitted.config)
        model.restore(fitted)
        return model
    }
}

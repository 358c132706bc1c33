import PretextData

/// A plain multilayer perceptron: `depth` blocks of Linear → activation → (norm) →
/// dropout, then — when `outputDimensions` is set — a final Linear. Without an output
/// size it is an encoder whose output is its last hidden layer (SCARF's encoder f is
/// depth 4, width 256, ReLU; its head g is depth 2, width 256).
public struct MLPConfig: Codable, Sendable, Equatable {
    public enum Activation: String, Codable, Sendable, CaseIterable { case relu, gelu }
    /// Hidden layers. Range ≥ 1; default 4 (SCARF).
    public var depth: Int = 4
    /// Units per hidden layer. Range ≥ 1; default 256 (SCARF).
    public var hiddenWidth: Int = 256
    public var activation: Activation = .relu
    /// Normalisation after each activation. Default none (SCARF).
    public var normalization: Normalization = .none
    /// Dropout after each hidden block. Range 0..<1; default 0.
    public var dropout: Float = 0

    public init() {}

    public init(depth: Int, hiddenWidth: Int, activation: Activation = .relu, normalization: Normalization = .none, dropout: Float = 0) {
        self.depth = depth
        self.hiddenWidth = hiddenWidth
        self.activation = activation
        self.normalization = normalization
        self.dropout = dropout
    }
}

/// ResNet for tabular data (Gorishniy et al. 2021): Linear(I, d) → `blocks` residual
/// blocks (Norm → Linear(d, h·d) → ReLU → Dropout → Linear(h·d, d) → Dropout, plus the
/// skip) → Norm → ReLU → (Linear(d, O) when an output size is set).
public struct ResNetConfig: Codable, Sendable, Equatable {
    /// Residual blocks. Default 2.
    public var blocks: Int = 2
    /// Main width d. Default 256.
    public var width: Int = 256
    /// Hidden width factor h. Default 2 (the paper's search space centre).
    public var hiddenFactor: Int = 2
    /// Default batch normalisation, as in the paper.
    public var normalization: Normalization = .batch
    public var hiddenDropout: Float = 0.1
    public var residualDropout: Float = 0

    public init() {}
}

/// A temporal convolutional network (TCN; Bai, Kolter & Koltun 2018, "An Empirical
/// Evaluation of Generic Convolutional and Recurrent Networks for Sequence Modeling"),
/// small: CausalConv(Cᵢ→W, K, d₀) → ReLU, then for each further dilation dᵢ a residual
/// block x + ReLU(CausalConv(W→W, K, dᵢ)(x)), then time pooling. Input (B, L·Cᵢ),
/// time-major; every layer is causal, so the representation at step t depends on steps
/// ≤ t only, and the weights do not depend on L. With K = 3 and dilations 1, 2, 4, 8
/// the receptive field is 1 + 2·(1+2+4+8) = 31 steps.
public struct TCNConfig: Codable, Sendable, Equatable {
    /// Input channels per time step. Set by the series code from the data.
    public var inputChannels: Int = 2
    /// Channels of every hidden layer. Range ≥ 1; default 64.
    public var width: Int = 64
    /// Range ≥ 1; default 3.
    public var kernelSize: Int = 3
    /// One convolution per entry. Each ≥ 1; default [1, 2, 4, 8].
    public var dilations: [Int] = [1, 2, 4, 8]
    /// How the per-step representation becomes one vector. Default last-and-mean: the
    /// last step (summary of the past, what forecasting needs) next to the mean over
    /// time (shape of the whole window, what classification needs).
    public var pooling: TimePooling.Kind = .lastAndMean

    public init() {}

    public init(inputChannels: Int, width: Int = 64, kernelSize: Int = 3, dilations: [Int] = [1, 2, 4, 8], pooling: TimePooling.Kind = .lastAndMean) {
        self.inputChannels = inputChannels
        self.width = width
        self.kernelSize = kernelSize
        self.dilations = dilations
        self.pooling = pooling
    }

    /// Steps of the past the last output sees: 1 + (K − 1)·Σ dᵢ.
    public var receptiveField: Int { 1 + (kernelSize - 1) * dilations.reduce(0, +) }
}

/// The network families Pretext builds.
public enum Architecture: Codable, Sendable, Equatable {
    case mlp(MLPConfig)
    case resnet(ResNetConfig)
    /// A single Linear layer (a linear probe); needs an output size.
    case linear
    /// A causal convolutional encoder over time (series).
    case tcn(TCNConfig)

    /// Output width when the network has no final projection.
    public var representationWidth: Int {
        switch self {
        case .mlp(let config): return config.hiddenWidth
        case .resnet(let config): return config.width
        case .linear: return 0
        case .tcn(let config): return config.pooling == .lastAndMean ? 2 * config.width : config.width
        }
    }

    func validate() throws {
        switch self {
        case .mlp(let config):
            guard config.depth >= 1, config.hiddenWidth >= 1 else {
                throw TrainingError.invalidHyperparameter(name: "depth/hiddenWidth", value: "\(config.depth)/\(config.hiddenWidth)", expected: "≥ 1")
            }
            guard config.dropout >= 0 && config.dropout < 1 else {
                throw TrainingError.invalidHyperparameter(name: "dropout", value: "\(config.dropout)", expected: "0 ≤ p < 1")
            }
        case .resnet(let config):
            guard config.blocks >= 1, config.width >= 1, config.hiddenFactor >= 1 else {
                throw TrainingError.invalidHyperparameter(name: "blocks/width/hiddenFactor", value: "\(config.blocks)/\(config.width)/\(config.hiddenFactor)", expected: "≥ 1")
            }
            for p in [config.hiddenDropout, config.residualDropout] where !(p >= 0 && p < 1) {
                throw TrainingError.invalidHyperparameter(name: "dropout", value: "\(p)", expected: "0 ≤ p < 1")
            }
        case .linear:
            break
        case .tcn(let config):
            guard config.inputChannels >= 1, config.width >= 1, config.kernelSize >= 1, !config.dilations.isEmpty,
                  config.dilations.allSatisfy({ $0 >= 1 }) else {
                throw TrainingError.invalidHyperparameter(name: "TCN inputChannels/width/kernelSize/dilations",
                                                          value: "\(config.inputChannels)/\(config.width)/\(config.kernelSize)/\(config.dilations)",
                                                          expected: "≥ 1, at least one dilation")
            }
        }
    }

    func makeLayers(input: Int, output: Int?, seed: UInt64) -> [Layer] {
        var layers: [Layer] = []
        switch self {
        case .mlp(let config):
            var width = input
            for index in 0..<config.depth {
                layers.append(Linear(width, config.hiddenWidth))
                layers.append(config.activation == .relu ? ReLU() : GELU())
                if config.normalization != .none { layers.append(config.normalization.makeLayer(config.hiddenWidth)) }
                if config.dropout > 0 { layers.append(Dropout(probability: config.dropout, seed: seed &+ UInt64(index))) }
                width = config.hiddenWidth
            }
            if let output { layers.append(Linear(width, output)) }
        case .resnet(let config):
            layers.append(Linear(input, config.width))
            for index in 0..<config.blocks {
                layers.append(ResidualBlock(width: config.width, hiddenWidth: config.width * config.hiddenFactor,
                                            normalization: config.normalization, hiddenDropout: config.hiddenDropout,
                                            residualDropout: config.residualDropout, seed: seed &+ UInt64(2 * index)))
            }
            layers.append(config.normalization.makeLayer(config.width))
            layers.append(ReLU())
            if let output { layers.append(Linear(config.width, output)) }
        case .linear:
            layers.append(Linear(input, output ?? input))
        case .tcn(let config):
            layers.append(CausalConvolution(inputChannels: config.inputChannels, outputChannels: config.width,
                                            kernelSize: config.kernelSize, dilation: config.dilations[0]))
            layers.append(ReLU())
            for dilation in config.dilations.dropFirst() {
                layers.append(Residual(Sequential([
                    CausalConvolution(inputChannels: config.width, outputChannels: config.width, kernelSize: config.kernelSize, dilation: dilation),
                    ReLU(),
                ])))
            }
            let pooling = TimePooling(channels: config.width, kind: config.pooling)
            layers.append(pooling)
            if let output { layers.append(Linear(pooling.outputWidth, output)) }
        }
        return layers
    }
}

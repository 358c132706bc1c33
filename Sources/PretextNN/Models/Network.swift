import PretextData

/// A network with its own flat parameter store: an architecture applied to a fixed
/// input width, optionally ending in a projection to `outputDimensions`.
public final class Network {
    public let architecture: Architecture
    public let inputDimensions: Int
    /// Output width: the projection size, or the representation width for an encoder.
    public let outputDimensions: Int
    public let hasProjection: Bool
    public let store = ParameterStore()
    let root: Sequential

    /// Builds and initialises the network with a seed: the same seed gives the same weights.
    public init(architecture: Architecture, inputDimensions: Int, outputDimensions: Int?, seed: UInt64, prefix: String = "") throws {
        try architecture.validate()
        guard inputDimensions >= 1 else {
            throw TrainingError.invalidHyperparameter(name: "inputDimensions", value: "\(inputDimensions)", expected: "≥ 1")
        }
        self.architecture = architecture
        self.inputDimensions = inputDimensions
        if case .tcn(let config) = architecture, inputDimensions % config.inputChannels != 0 {
            throw TrainingError.invalidHyperparameter(name: "inputDimensions", value: "\(inputDimensions)",
                                                      expected: "a multiple of the TCN's \(config.inputChannels) input channels")
        }
        if case .linear = architecture, outputDimensions == nil {
            throw TrainingError.invalidHyperparameter(name: "outputDimensions", value: "nil", expected: "a size for a linear network")
        }
        self.outputDimensions = outputDimensions ?? architecture.representationWidth
        hasProjection = outputDimensions != nil
        root = Sequential(architecture.makeLayers(input: inputDimensions, output: outputDimensions, seed: seed))
        root.register(in: store, prefix: prefix + "layers.")
        var generator = SeededGenerator(seed: seed, stream: "init")
        root.initialize(store, generator: &generator)
    }

    /// An independent copy with the same weights and buffers.
    public func copy() throws -> Network {
        let clone = try Network(architecture: architecture, inputDimensions: inputDimensions,
                                outputDimensions: hasProjection ? outputDimensions : nil, seed: 0)
        clone.store.values = store.values
        clone.store.buffers = store.buffers
        return clone
    }

    /// A copy that reads `inputDimensions` inputs, for architectures whose weights do not
    /// depend on the input width: a TCN applied to sequences of another length.
    public func resized(inputDimensions newInputs: Int) throws -> Network {
        guard case .tcn = architecture else {
            throw TrainingError.invalidHyperparameter(name: "inputDimensions", value: "\(newInputs)",
                                                      expected: "\(inputDimensions): only TCN encoders accept other sequence lengths")
        }
        let clone = try Network(architecture: architecture, inputDimensions: newInputs,
                                outputDimensions: hasProjection ? outputDimensions : nil, seed: 0)
        clone.store.values = store.values
        clone.store.buffers = store.buffers
        return clone
    }

    /// (B, I) → (B, O).
    public func forward(_ input: Matrix, mode: Mode) -> Matrix {
        precondition(input.columns == inputDimensions, "network expects \(inputDimensions) inputs, got \(input.columns)")
        return root.forward(input, mode: mode, store: store)
    }

    /// For a TCN: the representation at every time step, (B, L·W) time-major — the
    /// layers before time pooling, evaluation mode. nil for other architectures.
    public func stepRepresentations(_ input: Matrix) -> Matrix? {
        guard case .tcn = architecture, let pooling = root.layers.firstIndex(where: { $0 is TimePooling }) else { return nil }
        precondition(input.columns == inputDimensions, "network expects \(inputDimensions) inputs, got \(input.columns)")
        return root.layers[..<pooling].reduce(input) { $1.forward($0, mode: .evaluation, store: store) }
    }

    /// For a TCN: the layers before time pooling and the pooling (with any projection
    /// after it), as two runs of the same layers and weights — so that a loss can read
    /// the representation at every step as well as the pooled one.
    private lazy var stepParts: (steps: Sequential, pooled: Sequential)? = {
        guard case .tcn = architecture, let pooling = root.layers.firstIndex(where: { $0 is TimePooling }) else { return nil }
        return (Sequential(Array(root.layers[..<pooling])), Sequential(Array(root.layers[pooling...])))
    }()

    /// For a TCN: x (B, I) → the step representations h (B, L·W), time-major, in `mode`
    /// (the forward pass `forwardPooled` continues). nil for other architectures.
    public func forwardSteps(_ input: Matrix, mode: Mode) -> Matrix? {
        precondition(input.columns == inputDimensions, "network expects \(inputDimensions) inputs, got \(input.columns)")
        return stepParts?.steps.forward(input, mode: mode, store: store)
    }

    /// h (B, L·W) → (B, O): pooling over time (and the projection, if any).
    public func forwardPooled(_ steps: Matrix, mode: Mode) -> Matrix {
        guard let parts = stepParts else { preconditionFailure("forwardPooled needs a TCN") }
        return parts.pooled.forward(steps, mode: mode, store: store)
    }

    /// dy (B, O) → dh (B, L·W) through the pooling (and projection: its parameter
    /// gradients are added). Pair with `accumulateStepGradients`.
    public func backwardPooled(_ outputGradient: Matrix) -> Matrix {
        guard let parts = stepParts else { preconditionFailure("backwardPooled needs a TCN") }
        return parts.pooled.backward(outputGradient, store: store)
    }

    /// dh (B, L·W) → parameter gradients of the layers before pooling. After
    /// `forwardSteps` + `forwardPooled`, `accumulateStepGradients(backwardPooled(dy))`
    /// adds exactly what `accumulateGradients(dy)` adds after `forward`.
    public func accumulateStepGradients(_ stepGradient: Matrix) {
        guard let parts = stepParts else { preconditionFailure("accumulateStepGradients needs a TCN") }
        parts.steps.accumulateParameterGradients(stepGradient, store: store)
    }

    /// (B, O) → (B, I); adds parameter gradients into `store.gradients`.
    @discardableResult
    public func backward(_ outputGradient: Matrix) -> Matrix {
        root.backward(outputGradient, store: store)
    }

    /// The backward pass when nothing needs the gradient with respect to the network's
    /// input (a trainer's last backward): the same parameter gradients as `backward`,
    /// without the first layer's input-gradient product (for 784 inputs and 256-wide
    /// layers, ~13% of a SCARF step's multiply-adds).
    public func accumulateGradients(_ outputGradient: Matrix) {
        root.accumulateParameterGradients(outputGradient, store: store)
    }

    /// Folds a fixed affine map of the inputs, x'ᵢ = (xᵢ − μᵢ)·kᵢ, into the first layer (a
    /// `Linear` with bias: MLP and linear architectures), so the network on x computes what
    /// it computed on x' — for a head trained on standardised embeddings that must then
    /// read the encoder's raw ones.
    public func foldInputAffine(shift: [Float], factor: [Float]) throws {
        guard let first = root.layers.first as? Linear, first.bias, shift.count == inputDimensions, factor.count == inputDimensions else {
            throw TrainingError.invalidHyperparameter(name: "input standardisation", value: "\(architecture)",
                                                      expected: "a first Linear layer with bias and \(inputDimensions) inputs")
        }
        first.foldInputAffine(shift: shift, factor: factor, store: store)
    }

    /// Sets a single-`Linear` network to the constant function x ↦ `output`: W = 0,
    /// b = output — a linear probe's start (`SupervisedObjective.constantOutput`).
    public func setConstant(_ output: [Float]) throws {
        guard root.layers.count == 1, let layer = root.layers.first as? Linear, layer.bias, output.count == outputDimensions else {
            throw TrainingError.invalidHyperparameter(name: "constant start", value: "\(architecture)",
                                                      expected: "one Linear layer with bias and \(outputDimensions) outputs")
        }
        layer.setConstant(output, store: store)
    }

    /// Evaluation-mode outputs for many rows, in batches.
    public func predict(_ input: Matrix, batchSize: Int = 1024) -> Matrix {
        var output = Matrix(rows: input.rows, columns: outputDimensions)
        var start = 0
        while start < input.rows {
            let end = min(input.rows, start + batchSize)
            let batch = input.gatheringRows(Array(start..<end))
            let result = forward(batch, mode: .evaluation)
            output.values.replaceSubrange((start * outputDimensions)..<(end * outputDimensions), with: result.values)
            start = end
        }
        return output
    }
}

import PretextData

/// Layers applied in order; backward runs them in reverse.
public final class Sequential: Layer {
    public let layers: [Layer]

    public init(_ layers: [Layer]) { self.layers = layers }

    public func register(in store: ParameterStore, prefix: String) {
        for (index, layer) in layers.enumerated() { layer.register(in: store, prefix: "\(prefix)\(index).") }
    }

    public func initialize(_ store: ParameterStore, generator: inout SeededGenerator) {
        for layer in layers { layer.initialize(store, generator: &generator) }
    }

    /// Each Linear directly followed by a ReLU runs as one fused layer (`Linear`): the
    /// same values, one pass over the output fewer.
    public func forward(_ input: Matrix, mode: Mode, store: ParameterStore) -> Matrix {
        var x = input
        var index = 0
        while index < layers.count {
            if let linear = layers[index] as? Linear, index + 1 < layers.count, let relu = layers[index + 1] as? ReLU {
                x = linear.forward(x, store: store, then: relu)
                index += 2
            } else {
                x = layers[index].forward(x, mode: mode, store: store)
                index += 1
            }
        }
        return x
    }

    public func backward(_ outputGradient: Matrix, store: ParameterStore) -> Matrix {
        backward(outputGradient, store: store, through: 0)
    }

    /// Every layer's backward but the first, whose input gradient is not needed.
    public func accumulateParameterGradients(_ outputGradient: Matrix, store: ParameterStore) {
        guard let first = layers.first else { return }
        first.accumulateParameterGradients(backward(outputGradient, store: store, through: 1), store: store)
    }

    /// Backward through layers `first...` in reverse; a Linear directly after a ReLU also
    /// applies that ReLU's mask in its own pass (`Linear`), the same values.
    private func backward(_ outputGradient: Matrix, store: ParameterStore, through first: Int) -> Matrix {
        var gradient = outputGradient
        var index = layers.count - 1
        while index >= first {
            if let linear = layers[index] as? Linear, index - 1 >= first, let relu = layers[index - 1] as? ReLU {
                gradient = linear.backward(gradient, store: store, maskingWith: relu)
                index -= 2
            } else {
                gradient = layers[index].backward(gradient, store: store)
                index -= 1
            }
        }
        return gradient
    }
}

/// y = x + inner(x) for an inner layer that keeps the width; dx = dy + d(inner)/dx.
public final class Residual: Layer {
    let inner: Layer

    public init(_ inner: Layer) { self.inner = inner }

    public func register(in store: ParameterStore, prefix: String) { inner.register(in: store, prefix: prefix) }
    public func initialize(_ store: ParameterStore, generator: inout SeededGenerator) { inner.initialize(store, generator: &generator) }

    public func forward(_ input: Matrix, mode: Mode, store: ParameterStore) -> Matrix {
        var output = inner.forward(input, mode: mode, store: store)
        precondition(output.columns == input.columns && output.rows == input.rows, "a residual branch must keep the width")
        Self.add(input, into: &output)
        return output
    }

    /// target += addend, rows in blocks on the lanes.
    static func add(_ addend: Matrix, into target: inout Matrix) {
        let columns = target.columns
        addend.values.withUnsafeBufferPointer { a in
            target.values.withUnsafeMutableBufferPointer { t in
                Lanes.forEachBlock(of: target.rows, work: t.count) { rows in
                    for index in (rows.lowerBound * columns)..<(rows.upperBound * columns) { t[index] += a[index] }
                }
            }
        }
    }

    public func backward(_ outputGradient: Matrix, store: ParameterStore) -> Matrix {
        var gradient = inner.backward(outputGradient, store: store)
        Self.add(outputGradient, into: &gradient)
        return gradient
    }
}

/// The residual block of Gorishniy et al. (2021), "Revisiting Deep Learning Models for
/// Tabular Data", ResNet: y = x + Dropout(Linear(Dropout(ReLU(Linear(Norm(x)))))),
/// with a hidden width of `hiddenFactor`·d.
public final class ResidualBlock: Layer {
    private let residual: Residual

    public init(width: Int, hiddenWidth: Int, normalization: Normalization, hiddenDropout: Float, residualDropout: Float, seed: UInt64) {
        residual = Residual(Sequential([
            normalization.makeLayer(width),
            Linear(width, hiddenWidth),
            ReLU(),
            Dropout(probability: hiddenDropout, seed: seed),
            Linear(hiddenWidth, width),
            Dropout(probability: residualDropout, seed: seed &+ 1),
        ]))
    }

    public func register(in store: ParameterStore, prefix: String) { residual.register(in: store, prefix: prefix) }
    public func initialize(_ store: ParameterStore, generator: inout SeededGenerator) { residual.initialize(store, generator: &generator) }
    public func forward(_ input: Matrix, mode: Mode, store: ParameterStore) -> Matrix { residual.forward(input, mode: mode, store: store) }
    public func backward(_ outputGradient: Matrix, store: ParameterStore) -> Matrix { residual.backward(outputGradient, store: store) }
}

/// Which normalisation a model uses between layers.
public enum Normalization: String, Codable, Sendable, CaseIterable {
    case none, batch, layer

    func makeLayer(_ features: Int) -> Layer {
        switch self {
        case .none: return Identity()
        case .batch: return BatchNorm(features)
        case .layer: return LayerNorm(features)
        }
    }
}

/// y = x.
public final class Identity: Layer {
    public init() {}
    public func forward(_ input: Matrix, mode: Mode, store: ParameterStore) -> Matrix { input }
    public func backward(_ outputGradient: Matrix, store: ParameterStore) -> Matrix { outputGradient }
}

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

    public func forward(_ input: Matrix, mode: Mode, store: ParameterStore) -> Matrix {
        layers.reduce(input) { $1.forward($0, mode: mode, store: store) }
    }

    public func backward(_ outputGradient: Matrix, store: ParameterStore) -> Matrix {
        layers.reversed().reduce(outputGradient) { $1.backward($0, store: store) }
    }

    /// Every layer's backward but the first, whose input gradient is not needed.
    public func accumulateParameterGradients(_ outputGradient: Matrix, store: ParameterStore) {
        guard let first = layers.first else { return }
        let gradient = layers.dropFirst().reversed().reduce(outputGradient) { $1.backward($0, store: store) }
        first.accumulateParameterGradients(gradient, store: store)
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

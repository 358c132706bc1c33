import PretextData

/// Whether a forward pass trains (dropout active, batch statistics) or evaluates.
public enum Mode: Sendable { case training, evaluation }

/// A differentiable layer with explicit forward and backward passes.
///
/// Shapes: B = batch rows, I = input features, O = output features.
/// `forward` keeps what `backward` needs; `backward` *adds* parameter gradients into
/// the store's `gradients` and returns the gradient with respect to its input.
public protocol Layer: AnyObject {
    /// Registers this layer's tensors in `store` under `prefix`.
    func register(in store: ParameterStore, prefix: String)
    /// Draws initial parameter values.
    func initialize(_ store: ParameterStore, generator: inout SeededGenerator)
    /// (B, I) → (B, O).
    func forward(_ input: Matrix, mode: Mode, store: ParameterStore) -> Matrix
    /// (B, O) gradient → (B, I) gradient, accumulating parameter gradients.
    func backward(_ outputGradient: Matrix, store: ParameterStore) -> Matrix
    /// `backward` for a layer whose input gradient nothing needs (a network's first
    /// layer): the same parameter gradients, without the input gradient's work.
    func accumulateParameterGradients(_ outputGradient: Matrix, store: ParameterStore)
}

public extension Layer {
    func register(in store: ParameterStore, prefix: String) {}
    func initialize(_ store: ParameterStore, generator: inout SeededGenerator) {}
    func accumulateParameterGradients(_ outputGradient: Matrix, store: ParameterStore) {
        _ = backward(outputGradient, store: store)
    }
}

/// Element-wise helpers on flat buffers.
enum Elementwise {
    @inline(__always)
    static func map(_ input: Matrix, _ transform: (Float) -> Float) -> Matrix {
        Matrix(rows: input.rows, columns: input.columns, values: input.values.map(transform))
    }
}

import PretextData

/// Inverted dropout: in training, each value is zeroed with probability p and the rest
/// scaled by 1/(1−p), so evaluation (the identity) needs no rescaling.
///
/// The mask comes from the layer's own seeded generator: the same seed gives the same
/// masks, hence the same trained model.
public final class Dropout: Layer {
    public let probability: Float
    private var generator: SeededGenerator
    private var mask: [Float] = []   // (B·F,) 0 or 1/(1−p); empty in evaluation

    public init(probability: Float, seed: UInt64 = 0) {
        precondition(probability >= 0 && probability < 1, "dropout probability must lie in [0, 1)")
        self.probability = probability
        generator = SeededGenerator(seed: seed, stream: "dropout")
    }

    /// Restarts the mask sequence (used by gradient checks to repeat a mask).
    public func reseed(_ seed: UInt64) { generator = SeededGenerator(seed: seed, stream: "dropout") }

    public func initialize(_ store: ParameterStore, generator parent: inout SeededGenerator) {
        generator = SeededGenerator(seed: parent.next(), stream: "dropout")
    }

    public func forward(_ input: Matrix, mode: Mode, store: ParameterStore) -> Matrix {
        guard mode == .training, probability > 0 else {
            mask = []
            return input
        }
        let keep = 1 / (1 - probability)
        let threshold = Double(probability)
        // The same draws in the same order as one `nextUniform()` per value, on a local
        // copy of the generator (no exclusivity checks per draw), into reused buffers.
        var draws = generator
        let count = input.values.count
        if mask.count != count { mask = [Float](repeating: 0, count: count) }
        var output = input
        mask.withUnsafeMutableBufferPointer { mask in
            output.values.withUnsafeMutableBufferPointer { values in
                for index in 0..<count {
                    let factor: Float = draws.nextUniform() < threshold ? 0 : keep
                    mask[index] = factor
                    values[index] *= factor
                }
            }
        }
        generator = draws
        return output
    }

    public func backward(_ outputGradient: Matrix, store: ParameterStore) -> Matrix {
        guard !mask.isEmpty else { return outputGradient }
        var gradient = outputGradient
        mask.withUnsafeBufferPointer { mask in
            gradient.values.withUnsafeMutableBufferPointer { values in
                for index in 0..<values.count { values[index] *= mask[index] }
            }
        }
        return gradient
    }
}

import CPretextKernels

/// Updates every parameter of a `ParameterStore` from its gradient, in one loop.
///
/// With g the gradient (after optional clipping and L2 decay), η the scheduled rate:
/// - SGD: v ← μv + g; θ ← θ − ηv.
/// - Adam: m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; m̂ = m/(1−β₁ᵗ); v̂ = v/(1−β₂ᵗ);
///   θ ← θ − η·m̂/(√v̂ + ε).
/// - AdamW: as Adam with g undecayed, then θ ← θ − ηλθ (decoupled decay).
public final class Optimizer {
    public let config: OptimizerConfig
    private var first: [Float] = []    // momentum / Adam m, same layout as the store
    private var second: [Float] = []   // Adam v
    public private(set) var step = 0
    /// Total steps planned, for schedules.
    public var totalSteps: Int

    public init(config: OptimizerConfig, totalSteps: Int) throws {
        try config.validate()
        self.config = config
        self.totalSteps = totalSteps
    }

    /// The learning rate the next `update` uses.
    public var currentLearningRate: Float {
        config.learningRate * config.schedule.factor(step: step, totalSteps: totalSteps)
    }

    /// Applies one update. Returns the gradient norm before clipping when clipping is on
    /// (it is not computed otherwise: a full pass over the gradients per step).
    @discardableResult
    public func update(_ store: ParameterStore) -> Double? {
        let count = store.parameterCount
        if first.count != count {
            first = [Float](repeating: 0, count: count)
            second = [Float](repeating: 0, count: count)
        }
        var norm: Double? = nil
        var scale: Float = 1
        if let clip = config.gradientClipNorm {
            let total = store.gradientNorm()
            norm = total
            if total > Double(clip) { scale = Float(Double(clip) / (total + 1e-12)) }
        }
        let rate = currentLearningRate
        step += 1
        let decay = config.weightDecay
        switch config.method {
        case .sgd:
            let momentum = config.momentum
            store.values.withUnsafeMutableBufferPointer { theta in
                store.gradients.withUnsafeBufferPointer { gradient in
                    first.withUnsafeMutableBufferPointer { velocity in
                        for index in 0..<count {
                            let g = gradient[index] * scale + decay * theta[index]
                            velocity[index] = momentum * velocity[index] + g
                            theta[index] -= rate * velocity[index]
                        }
                    }
                }
            }
        case .adam, .adamW:
            let decoupled = config.method == .adamW
            let beta1 = config.beta1, beta2 = config.beta2, epsilon = config.epsilon
            // θ −= η·m̂/(√v̂ + ε) with m̂ = m/c₁, v̂ = v/c₂, folded into two constants.
            let correction1 = 1 - Float(pow(Double(beta1), Double(step)))
            let correction2 = 1 - Float(pow(Double(beta2), Double(step)))
            let stepSize = rate / correction1
            let inverseRootCorrection2 = 1 / correction2.squareRoot()
            let decayFactor = decoupled ? 1 - rate * decay : 1
            let l2 = decoupled ? 0 : decay
            // The element-wise loop runs in C (`CPretextKernels`): 8 lanes with AVX when the
            // CPU has it, the same operations per element either way.
            store.values.withUnsafeMutableBufferPointer { theta in
                store.gradients.withUnsafeBufferPointer { gradient in
                    first.withUnsafeMutableBufferPointer { m in
                        second.withUnsafeMutableBufferPointer { v in
                            pretext_adam_update(theta.baseAddress!, gradient.baseAddress!, m.baseAddress!, v.baseAddress!, count,
                                                scale, l2, beta1, beta2, stepSize, inverseRootCorrection2, epsilon, decayFactor)
                        }
                    }
                }
            }
        }
        return norm
    }
}

#if canImport(Glibc)
import Glibc
#endif

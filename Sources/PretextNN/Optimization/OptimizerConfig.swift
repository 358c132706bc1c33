/// Which optimiser, with its hyperparameters. Defaults follow each method's paper and
/// PyTorch's defaults.
public struct OptimizerConfig: Codable, Sendable, Equatable {
    public enum Method: String, Codable, Sendable, CaseIterable {
        /// SGD with (heavy-ball) momentum, L2 weight decay added to the gradient.
        case sgd
        /// Adam (Kingma & Ba 2015), L2 weight decay added to the gradient.
        case adam
        /// AdamW (Loshchilov & Hutter 2019): weight decay applied to the weights directly.
        case adamW = "adamw"
    }

    public var method: Method = .adam
    /// Step size. Range > 0; default 1e-3 (Adam's paper; SCARF uses it too).
    public var learningRate: Float = 1e-3
    /// SGD momentum μ. Range 0..<1; default 0.9.
    public var momentum: Float = 0.9
    /// Adam's β₁, β₂. Defaults 0.9, 0.999 (Kingma & Ba 2015).
    public var betas: (Float, Float) {
        get { (beta1, beta2) }
        set { (beta1, beta2) = newValue }
    }
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    /// Adam's ε. Default 1e-8.
    public var epsilon: Float = 1e-8
    /// Weight decay λ. Range ≥ 0; default 0 (AdamW users typically set 0.01–0.05).
    public var weightDecay: Float = 0
    /// Clip gradients to this global ℓ2 norm; nil = no clipping. Default nil.
    public var gradientClipNorm: Float? = nil
    public var schedule: LearningRateSchedule = .constant

    public init() {}

    public static func == (lhs: OptimizerConfig, rhs: OptimizerConfig) -> Bool {
        lhs.method == rhs.method && lhs.learningRate == rhs.learningRate && lhs.momentum == rhs.momentum
            && lhs.beta1 == rhs.beta1 && lhs.beta2 == rhs.beta2 && lhs.epsilon == rhs.epsilon
            && lhs.weightDecay == rhs.weightDecay && lhs.gradientClipNorm == rhs.gradientClipNorm && lhs.schedule == rhs.schedule
    }

    private enum CodingKeys: String, CodingKey {
        case method, learningRate, momentum, beta1, beta2, epsilon, weightDecay, gradientClipNorm, schedule
    }

    public func validate() throws {
        func check(_ ok: Bool, _ name: String, _ value: Float, _ range: String) throws {
            if !ok { throw TrainingError.invalidHyperparameter(name: name, value: "\(value)", expected: range) }
        }
        try check(learningRate.isFinite && learningRate > 0, "learningRate", learningRate, "a finite value > 0")
        try check(momentum >= 0 && momentum < 1, "momentum", momentum, "0 ≤ momentum < 1")
        try check(beta1 >= 0 && beta1 < 1, "beta1", beta1, "0 ≤ β₁ < 1")
        try check(beta2 >= 0 && beta2 < 1, "beta2", beta2, "0 ≤ β₂ < 1")
        try check(epsilon.isFinite && epsilon > 0, "epsilon", epsilon, "a finite value > 0")
        try check(weightDecay.isFinite && weightDecay >= 0, "weightDecay", weightDecay, "a finite value ≥ 0")
        if let clip = gradientClipNorm { try check(clip.isFinite && clip > 0, "gradientClipNorm", clip, "a finite value > 0") }
        try schedule.validate()
    }
}

/// How the learning rate changes with the step t (0-based) out of T total steps.
public enum LearningRateSchedule: Codable, Sendable, Equatable {
    /// η_t = η.
    case constant
    /// Linear warm-up over W steps, then cosine decay to η·minimumFactor at step T
    /// (Loshchilov & Hutter 2017; warm-up as in Goyal et al. 2017):
    /// η_t = η·(t+1)/W for t < W, else η·(m + (1 − m)·½(1 + cos(π·(t − W)/(T − W)))).
    case cosine(warmupSteps: Int, minimumFactor: Float)

    public func factor(step: Int, totalSteps: Int) -> Float {
        switch self {
        case .constant: return 1
        case .cosine(let warmup, let minimum):
            if step < warmup { return Float(step + 1) / Float(warmup) }
            let span = max(1, totalSteps - warmup)
            let progress = min(1, Float(step - warmup) / Float(span))
            return minimum + (1 - minimum) * 0.5 * (1 + cos(Float.pi * progress))
        }
    }

    func validate() throws {
        if case .cosine(let warmup, let minimum) = self {
            guard warmup >= 0 else { throw TrainingError.invalidHyperparameter(name: "warmupSteps", value: "\(warmup)", expected: "≥ 0") }
            guard minimum >= 0 && minimum <= 1 else {
                throw TrainingError.invalidHyperparameter(name: "minimumFactor", value: "\(minimum)", expected: "0...1")
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif

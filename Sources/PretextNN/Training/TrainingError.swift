import Foundation
/// Why training could not go on.
public enum TrainingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The loss became NaN or infinite.
    case diverged(epoch: Int, step: Int, loss: Double, learningRate: Float)
    case invalidHyperparameter(name: String, value: String, expected: String)
    case notEnoughData(reason: String)
    case notFitted(String)

    public var description: String {
        switch self {
        case .diverged(let epoch, let step, let loss, let rate):
            return "training diverged: the loss became \(loss) at epoch \(epoch), step \(step) (learning rate \(rate)).\n"
                + "  hint: lower the learning rate (e.g. \(rate / 10)), or clip gradients with a gradient clip norm."
        case .invalidHyperparameter(let name, let value, let expected):
            return "invalid \(name) \(value): expected \(expected)."
        case .notEnoughData(let reason):
            return "not enough data: \(reason)."
        case .notFitted(let what):
            return "\(what) is not fitted yet: call fit first."
        }
    }
}

/// Library users get the CLI's message from `localizedDescription`.
extension TrainingError: LocalizedError {
    public var errorDescription: String? { description }
}

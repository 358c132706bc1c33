/// A loss value with its gradient with respect to the model output.
public struct LossResult: Sendable {
    public var value: Double
    public var gradient: Matrix
}

/// A loss value with its gradient with respect to the model output.
public struct LossResult: Sendable {
    public var value: Double
    public var gradient: Matrix

    public init(value: Double, gradient: Matrix) {
        self.value = value
        self.gradient = gradient
    }
}

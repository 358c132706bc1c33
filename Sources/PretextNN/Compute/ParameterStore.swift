/// All of a model's numbers in flat buffers, with named views.
///
/// `values` holds the trainable parameters and `gradients` their gradients (same
/// layout), so zeroing, optimizer steps, clipping and saving are single loops.
/// `buffers` holds non-trainable state (BatchNorm running statistics), saved with the
/// model but never touched by optimizers.
public final class ParameterStore: @unchecked Sendable {
    public struct View: Sendable, Equatable, Codable {
        public var name: String
        public var shape: [Int]
        public var offset: Int
        public var count: Int { shape.reduce(1, *) }
        public var range: Range<Int> { offset..<(offset + count) }
    }

    public private(set) var views: [View] = []
    public private(set) var bufferViews: [View] = []
    public var values: [Float] = []
    public var gradients: [Float] = []
    public var buffers: [Float] = []

    public init() {}

    /// Adds a trainable tensor; returns its view.
    public func addParameter(_ name: String, shape: [Int]) -> View {
        let view = View(name: name, shape: shape, offset: values.count)
        views.append(view)
        values.append(contentsOf: repeatElement(0, count: view.count))
        gradients.append(contentsOf: repeatElement(0, count: view.count))
        return view
    }

    /// Adds a non-trainable tensor filled with `initial`; returns its view.
    public func addBuffer(_ name: String, shape: [Int], initial: Float) -> View {
        let view = View(name: name, shape: shape, offset: buffers.count)
        bufferViews.append(view)
        buffers.append(contentsOf: repeatElement(initial, count: view.count))
        return view
    }

    public var parameterCount: Int { values.count }

    /// Sets every gradient to 0, in blocks on the compute lanes.
    public func zeroGradients() {
        gradients.withUnsafeMutableBufferPointer { g in
            Lanes.forEachBlock(of: g.count, work: g.count) { block in
                (g.baseAddress! + block.lowerBound).update(repeating: 0, count: block.count)
            }
        }
    }

    /// ‖g‖₂ over every gradient, accumulated in Double in eight lanes (a fixed order,
    /// so the same gradients always give the same bits).
    public func gradientNorm() -> Double {
        gradients.withUnsafeBufferPointer { g in
            var lanes = SIMD8<Double>()
            let whole = g.count / 8 * 8
            var index = 0
            while index < whole {
                let x = SIMD8<Double>(SIMD8<Float>(g[index..<(index + 8)]))
                lanes += x * x
                index += 8
            }
            var total = lanes.sum()
            while index < g.count { total += Double(g[index]) * Double(g[index]); index += 1 }
            return total.squareRoot()
        }
    }
}

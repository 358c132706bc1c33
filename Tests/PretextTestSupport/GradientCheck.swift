import XCTest
import PretextData
import PretextNN

/// Central finite differences against analytic gradients.
///
/// The scalar is L = Σ y ⊙ R for a fixed random R (so dL/dy = R), accumulated in
/// Double; each checked coordinate c gets (L(c + h) − L(c − h)) / 2h and must agree
/// with the analytic value within `absolute + relative·max(|a|, |n|)`. The largest
/// difference is printed, as llm.c's tests do.
public struct GradientChecker {
    public var step: Float = 1e-2
    public var absolute: Double = 1e-3
    public var relative: Double = 3e-3
    public var samples = 40

    public init() {}

    public func random(_ rows: Int, _ columns: Int, _ generator: inout SeededGenerator, scale: Double = 1, awayFromZero: Double = 0) -> Matrix {
        Matrix(rows: rows, columns: columns, values: (0..<(rows * columns)).map { _ in
            var value = generator.nextNormal() * scale
            if abs(value) < awayFromZero { value = value < 0 ? value - awayFromZero : value + awayFromZero }
            return Float(value)
        })
    }

    /// Checks input and parameter gradients of `layer`.
    public func check(_ name: String, _ layer: Layer, rows: Int, columns: Int, mode: Mode = .training, seed: UInt64 = 1,
               awayFromZero: Double = 0, beforeForward: () -> Void = {}, file: StaticString = #filePath, line: UInt = #line) {
        var generator = SeededGenerator(seed: seed)
        let store = ParameterStore()
        layer.register(in: store, prefix: "")
        layer.initialize(store, generator: &generator)
        // Random parameters (not the tidy initial ones) so every term matters.
        for index in store.values.indices { store.values[index] += Float(generator.nextNormal() * 0.3) }
        let input = random(rows, columns, &generator, awayFromZero: awayFromZero)
        beforeForward()
        let output = layer.forward(input, mode: mode, store: store)
        let weights = random(output.rows, output.columns, &generator)
        store.zeroGradients()
        let inputGradient = layer.backward(weights, store: store)
        let analyticParameters = store.gradients

        func loss(_ x: Matrix) -> Double {
            beforeForward()
            let y = layer.forward(x, mode: mode, store: store)
            return zip(y.values, weights.values).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        }
        var worst = 0.0
        func compare(_ analytic: Float, _ numeric: Double, _ what: String) {
            let difference = abs(Double(analytic) - numeric)
            worst = max(worst, difference)
            XCTAssertLessThanOrEqual(difference, absolute + relative * max(abs(Double(analytic)), abs(numeric)),
                                     "\(name): \(what) analytic \(analytic) vs numeric \(numeric)", file: file, line: line)
        }
        for index in pick(input.values.count, &generator) {
            var plus = input, minus = input
            plus.values[index] += step
            minus.values[index] -= step
            compare(inputGradient.values[index], (loss(plus) - loss(minus)) / Double(2 * step), "dx[\(index)]")
        }
        for index in pick(store.values.count, &generator) {
            let original = store.values[index]
            store.values[index] = original + step
            let up = loss(input)
            store.values[index] = original - step
            let down = loss(input)
            store.values[index] = original
            compare(analyticParameters[index], (up - down) / Double(2 * step), "dθ[\(index)]")
        }
        print("gradient check \(name): largest difference \(worst)")
    }

    /// Checks ∂L/∂x of a scalar function given its analytic gradient.
    public func check(_ name: String, at point: Matrix, analytic: Matrix, value: (Matrix) -> Double,
               file: StaticString = #filePath, line: UInt = #line) {
        var generator = SeededGenerator(seed: 99)
        var worst = 0.0
        for index in pick(point.values.count, &generator) {
            var plus = point, minus = point
            plus.values[index] += step
            minus.values[index] -= step
            let numeric = (value(plus) - value(minus)) / Double(2 * step)
            let difference = abs(Double(analytic.values[index]) - numeric)
            worst = max(worst, difference)
            XCTAssertLessThanOrEqual(difference, absolute + relative * max(abs(Double(analytic.values[index])), abs(numeric)),
                                     "\(name): [\(index)] analytic \(analytic.values[index]) vs numeric \(numeric)", file: file, line: line)
        }
        print("gradient check \(name): largest difference \(worst)")
    }

    private func pick(_ count: Int, _ generator: inout SeededGenerator) -> [Int] {
        if count <= samples { return Array(0..<count) }
        var indices = Array(0..<count)
        generator.shuffle(&indices)
        return Array(indices.prefix(samples))
    }
}

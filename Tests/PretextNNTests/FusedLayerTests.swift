import XCTest
import PretextData
@testable import PretextNN

/// `Sequential` runs each Linear → ReLU pair as one fused pass (forward) and applies a
/// ReLU's mask inside the Linear above it (backward). Fused or not, the values must be
/// the same bits — on one lane and on several, split products or not.
final class FusedLayerTests: XCTestCase {
    private var savedLanes = 1

    override func setUp() { savedLanes = Lanes.count }
    override func tearDown() { BLAS.setThreads(savedLanes) }

    private func random(_ rows: Int, _ columns: Int, _ generator: inout SeededGenerator) -> Matrix {
        Matrix(rows: rows, columns: columns, values: (0..<(rows * columns)).map { _ in Float(generator.nextNormal()) })
    }

    /// Fails with the first differing index (not the whole arrays) when `a` and `b` differ in any bit.
    private func assertSameBits(_ a: [Float], _ b: [Float], _ message: String, line: UInt = #line) {
        guard a.count == b.count else { return XCTFail("\(message): \(a.count) vs \(b.count) values", line: line) }
        if let index = a.indices.first(where: { a[$0].bitPattern != b[$0].bitPattern }) {
            let differing = a.indices.filter { a[$0].bitPattern != b[$0].bitPattern }.count
            XCTFail("\(message): \(differing) of \(a.count) values differ, first at \(index): \(a[index]) vs \(b[index])", line: line)
        }
    }

    /// Linear(20→64) ReLU Linear(64→64) ReLU Linear(64→3), registered in a fresh store with seeded weights.
    private func makeLayers() -> (layers: [Layer], store: ParameterStore) {
        let layers: [Layer] = [Linear(20, 64), ReLU(), Linear(64, 64), ReLU(), Linear(64, 3)]
        let store = ParameterStore()
        for (index, layer) in layers.enumerated() { layer.register(in: store, prefix: "\(index).") }
        var generator = SeededGenerator(seed: 5)
        for layer in layers { layer.initialize(store, generator: &generator) }
        return (layers, store)
    }

    func testFusedLinearReLUGivesTheSameBitsAsTheLayersOneByOne() throws {
        _ = try BLAS.load()
        var generator = SeededGenerator(seed: 21)
        for lanes in [1, 2, 3] {
            BLAS.setThreads(lanes)
            // 5 rows: nothing split; 40: products split by columns; 300 and 512: by rows.
            for batch in [5, 40, 300, 512] {
                let x = random(batch, 20, &generator)
                let dy = random(batch, 3, &generator)
                // Separately: each layer's own forward and backward.
                let (separate, separateStore) = makeLayers()
                let separateOutput = separate.reduce(x) { $1.forward($0, mode: .training, store: separateStore) }
                let separateInputGradient = separate.reversed().reduce(dy) { $1.backward($0, store: separateStore) }
                // Fused, through Sequential: both the full backward and the one without the input gradient.
                let (layers, store) = makeLayers()
                let sequential = Sequential(layers)
                let output = sequential.forward(x, mode: .training, store: store)
                let inputGradient = sequential.backward(dy, store: store)
                let (layersAgain, storeAgain) = makeLayers()
                let again = Sequential(layersAgain)
                _ = again.forward(x, mode: .training, store: storeAgain)
                again.accumulateParameterGradients(dy, store: storeAgain)

                let context = "\(lanes) lanes, batch \(batch)"
                assertSameBits(output.values, separateOutput.values, "forward, \(context)")
                assertSameBits(inputGradient.values, separateInputGradient.values, "input gradient, \(context)")
                assertSameBits(store.gradients, separateStore.gradients, "parameter gradients, \(context)")
                assertSameBits(storeAgain.gradients, separateStore.gradients, "parameter gradients without dX, \(context)")
                XCTAssertTrue(output.values.contains { $0 != 0 } && store.gradients.contains { $0 != 0 }, "non-trivial values")
            }
        }
    }

    /// db is the column sum of dY with the rows added in order, whatever the lanes.
    func testBiasGradientAddsTheRowsInOrder() throws {
        _ = try BLAS.load()
        var generator = SeededGenerator(seed: 22)
        let x = random(300, 48, &generator), dy = random(300, 40, &generator)
        var expected = [Float](repeating: 0, count: 40)
        for row in 0..<300 { for column in 0..<40 { expected[column] += dy[row, column] } }
        for lanes in [1, 2] {
            BLAS.setThreads(lanes)
            let linear = Linear(48, 40)
            let store = ParameterStore()
            linear.register(in: store, prefix: "")
            _ = linear.forward(x, mode: .training, store: store)
            _ = linear.backward(dy, store: store)
            let bias = store.views.first { $0.name == "bias" }!
            assertSameBits(Array(store.gradients[bias.range]), expected, "\(lanes) lanes")
        }
    }

    /// ReLU keeps NaN (so a diverging run is caught by the NaN check) and sends no
    /// gradient through it, fused or not.
    func testReLUPassesNaNForwardAndBlocksItsGradient() throws {
        _ = try BLAS.load()
        let relu = ReLU()
        let store = ParameterStore()
        let y = relu.forward(Matrix(rows: 1, columns: 4, values: [.nan, -1, 0, 2]), mode: .training, store: store)
        XCTAssertTrue(y.values[0].isNaN)
        XCTAssertEqual(Array(y.values[1...]), [0, 0, 2])
        XCTAssertEqual(relu.backward(Matrix(rows: 1, columns: 4, values: [1, 1, 1, 1]), store: store).values, [0, 0, 0, 1])
    }
}

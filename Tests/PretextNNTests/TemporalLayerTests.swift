import XCTest
import PretextTestSupport
import PretextData
@testable import PretextNN

/// Gradient checks and causality for the series layers: causal convolution, time
/// pooling, the TCN encoder, and the masked MSE.
final class TemporalLayerTests: XCTestCase {
    let checker = GradientChecker()

    func testCausalConvolutionGradients() {
        // L = 7 steps of 3 channels; kernel 3 with dilation 2 reaches 4 steps back.
        checker.check("CausalConvolution d=2", CausalConvolution(inputChannels: 3, outputChannels: 4, kernelSize: 3, dilation: 2), rows: 3, columns: 21)
        checker.check("CausalConvolution d=1 K=1", CausalConvolution(inputChannels: 2, outputChannels: 5, kernelSize: 1, dilation: 1), rows: 2, columns: 10)
        checker.check("CausalConvolution receptive field beyond L", CausalConvolution(inputChannels: 1, outputChannels: 2, kernelSize: 4, dilation: 3), rows: 2, columns: 5)
    }

    func testCausalConvolutionMatchesTheDefinition() {
        // y[t] = b + Σ_j W[j] x[t − (K−1−j)d], one channel, written out by hand.
        let convolution = CausalConvolution(inputChannels: 1, outputChannels: 1, kernelSize: 2, dilation: 2)
        let store = ParameterStore()
        convolution.register(in: store, prefix: "")
        store.values = [0.5, 2, -1]   // W[0] (reaches t − 2), W[1] (t), bias
        let y = convolution.forward(Matrix(rows: 1, columns: 5, values: [1, 2, 3, 4, 5]), mode: .evaluation, store: store)
        let expected: [Float] = [1, 3, 5.5, 8, 10.5]   // 2x[t] + 0.5x[t−2] − 1
        XCTAssertEqual(y.values, expected)
    }

    func testTimePoolingGradients() {
        for kind in TimePooling.Kind.allCases {
            checker.check("TimePooling \(kind)", TimePooling(channels: 3, kind: kind), rows: 4, columns: 15)
        }
    }

    func testTCNEncoderGradientsAndCausality() throws {
        let config = TCNConfig(inputChannels: 2, width: 6, kernelSize: 3, dilations: [1, 2], pooling: .last)
        let network = try Network(architecture: .tcn(config), inputDimensions: 16, outputDimensions: 3, seed: 4)
        checker.check("TCN", network.root, rows: 3, columns: 16, awayFromZero: 0.05)

        // Causality: the per-step representation at t must not change when later steps do.
        let layers = Sequential(Array(network.root.layers.prefix(3)))   // conv, ReLU, residual block
        var generator = SeededGenerator(seed: 9)
        let x = checker.random(1, 16, &generator)
        var changed = x
        for index in 10..<16 { changed.values[index] += 5 }           // steps 5, 6, 7 of 8
        let a = layers.forward(x, mode: .evaluation, store: network.store)
        let b = layers.forward(changed, mode: .evaluation, store: network.store)
        XCTAssertEqual(Array(a.values[0..<(5 * 6)]), Array(b.values[0..<(5 * 6)]), "steps 0–4 see only the past")
        XCTAssertNotEqual(Array(a.values[(5 * 6)...]), Array(b.values[(5 * 6)...]))
        // The public per-step representation is the same computation (before pooling).
        XCTAssertEqual(network.stepRepresentations(x), a)
        XCTAssertEqual(network.stepRepresentations(x)?.columns, 8 * 6)
    }

    /// Steps, then pooling (and the projection), is the same network: the same outputs,
    /// and `accumulateStepGradients(backwardPooled(dy))` the same parameter gradients as
    /// `accumulateGradients(dy)` — so a loss on the step representations can be added.
    func testStepAndPooledPartsAreTheWholeNetwork() throws {
        let config = TCNConfig(inputChannels: 2, width: 5, kernelSize: 3, dilations: [1, 2], pooling: .lastAndMean)
        for output in [nil, 3] as [Int?] {
            let network = try Network(architecture: .tcn(config), inputDimensions: 14, outputDimensions: output, seed: 6)
            var generator = SeededGenerator(seed: 2)
            let x = checker.random(4, 14, &generator)
            let whole = network.forward(x, mode: .training)
            let dy = checker.random(whole.rows, whole.columns, &generator)
            network.store.zeroGradients()
            network.accumulateGradients(dy)
            let expected = network.store.gradients
            let steps = try XCTUnwrap(network.forwardSteps(x, mode: .training))
            XCTAssertEqual(steps, network.stepRepresentations(x))
            XCTAssertEqual(network.forwardPooled(steps, mode: .training), whole)
            network.store.zeroGradients()
            network.accumulateStepGradients(network.backwardPooled(dy))
            XCTAssertEqual(network.store.gradients, expected, "output \(String(describing: output))")
        }
        let mlp = try Network(architecture: .mlp(MLPConfig(depth: 1, hiddenWidth: 4)), inputDimensions: 14, outputDimensions: nil, seed: 1)
        XCTAssertNil(mlp.forwardSteps(Matrix(rows: 1, columns: 14, repeating: 0), mode: .training))
    }

    func testTCNRunsAtAnotherLengthWithTheSameWeights() throws {
        let network = try Network(architecture: .tcn(TCNConfig(inputChannels: 2, width: 4)), inputDimensions: 20, outputDimensions: nil, seed: 1)
        let longer = try network.resized(inputDimensions: 48)
        XCTAssertEqual(longer.store.values, network.store.values)
        XCTAssertEqual(longer.forward(Matrix(rows: 2, columns: 48, repeating: 0.3), mode: .evaluation).columns, 8)
        let mlp = try Network(architecture: .mlp(MLPConfig(depth: 1, hiddenWidth: 4)), inputDimensions: 20, outputDimensions: nil, seed: 1)
        XCTAssertThrowsError(try mlp.resized(inputDimensions: 48))
        XCTAssertThrowsError(try Network(architecture: .tcn(TCNConfig(inputChannels: 3)), inputDimensions: 20, outputDimensions: nil, seed: 1))
    }

    func testMaskedMeanSquaredError() {
        var generator = SeededGenerator(seed: 3)
        let predictions = checker.random(4, 3, &generator, scale: 2)
        var targets = checker.random(4, 3, &generator)
        targets.values[1] = .nan
        targets.values[7] = .nan
        let result = MaskedMeanSquaredError.compute(predictions: predictions, targets: targets)
        checker.check("MaskedMeanSquaredError", at: predictions, analytic: result.gradient) {
            MaskedMeanSquaredError.compute(predictions: $0, targets: targets).value
        }
        XCTAssertEqual(result.gradient.values[1], 0)
        var expected = 0.0
        for index in 0..<12 where index != 1 && index != 7 {
            expected += pow(Double(predictions.values[index] - targets.values[index]), 2)
        }
        XCTAssertEqual(result.value, expected / 10, accuracy: 1e-6)
    }
}

/// `Network.accumulateGradients` skips only the first layer's input gradient: the
/// parameter gradients equal `backward`'s bit for bit, for every architecture.
final class AccumulateGradientsTests: XCTestCase {
    func testSameParameterGradientsAsBackward() throws {
        let architectures: [(Architecture, Int)] = [
            (.mlp(MLPConfig(depth: 3, hiddenWidth: 32)), 20),
            (.resnet(ResNetConfig()), 12),
            (.linear, 7),
            (.tcn(TCNConfig(inputChannels: 2, width: 8, kernelSize: 3, dilations: [1, 2])), 24),
        ]
        for (architecture, inputs) in architectures {
            let network = try Network(architecture: architecture, inputDimensions: inputs, outputDimensions: 3, seed: 2)
            var generator = SeededGenerator(seed: 3)
            let x = Matrix(rows: 40, columns: inputs, values: (0..<(40 * inputs)).map { _ in Float(generator.nextNormal()) })
            let dy = Matrix(rows: 40, columns: 3, values: (0..<120).map { _ in Float(generator.nextNormal()) })
            network.store.zeroGradients()
            _ = network.forward(x, mode: .evaluation)
            network.backward(dy)
            let expected = network.store.gradients
            network.store.zeroGradients()
            _ = network.forward(x, mode: .evaluation)
            network.accumulateGradients(dy)
            XCTAssertEqual(network.store.gradients, expected, "\(architecture)")
            XCTAssertTrue(expected.contains { $0 != 0 }, "\(architecture)")
        }
    }
}

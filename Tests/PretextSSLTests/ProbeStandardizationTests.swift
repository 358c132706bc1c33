import XCTest
import PretextData
import PretextNN
@testable import PretextTransfer

/// A head trained on frozen embeddings reads them standardised, and the standardisation
/// is folded into it afterwards.
final class ProbeStandardizationTests: XCTestCase {
    /// Rows of class y ∈ {0, 1} whose features are 5 + 0.02·(s/2 + u/2), s = ±1 by class
    /// and u uniform in (−1, 1): far from zero, varying little — as a contrastive
    /// encoder's pooled features on Coffee — and each a noisy reading of the class.
    func offsetEmbeddings(rows: Int, columns: Int, seed: UInt64) -> (Matrix, [Int32]) {
        var generator = SeededGenerator(seed: seed)
        var x = Matrix(rows: rows, columns: columns)
        var labels: [Int32] = []
        for row in 0..<rows {
            let label = Int32(row % 2)
            for column in 0..<columns {
                let u = Float(generator.nextUniform() * 2 - 1)
                x[row, column] = 5 + 0.02 * ((label == 1 ? 0.5 : -0.5) + 0.5 * u)
            }
            labels.append(label)
        }
        return (x, labels)
    }

    func testStandardisedColumnsAndConstantOnesReadAsZero() {
        var (x, _) = offsetEmbeddings(rows: 40, columns: 3, seed: 1)
        for row in 0..<x.rows { x[row, 2] = 7 }
        let standardization = ProbeStandardization(fitting: x)
        let z = standardization.apply(x)
        for column in 0..<2 {
            let values = (0..<z.rows).map { Double(z[$0, column]) }
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
            XCTAssertEqual(mean, 0, accuracy: 1e-4)
            XCTAssertEqual(variance, 1, accuracy: 1e-3)
        }
        XCTAssertEqual(standardization.factor[2], 0, "a constant feature is read as 0")
        XCTAssertTrue((0..<z.rows).allSatisfy { z[$0, 2] == 0 })
    }

    /// The folded network on x gives what the original gave on (x − μ)·k, for a linear
    /// head and an MLP head.
    func testFoldingIntoTheFirstLayerPreservesTheOutputs() throws {
        let (x, _) = offsetEmbeddings(rows: 16, columns: 6, seed: 2)
        let standardization = ProbeStandardization(fitting: x)
        for architecture in [Architecture.linear, .mlp(MLPConfig(depth: 1, hiddenWidth: 8))] {
            let head = try Network(architecture: architecture, inputDimensions: 6, outputDimensions: 3, seed: 3)
            let expected = head.predict(standardization.apply(x))
            try head.foldInputAffine(shift: standardization.shift, factor: standardization.factor)
            let folded = head.predict(x)
            for (a, b) in zip(folded.values, expected.values) { XCTAssertEqual(a, b, accuracy: 2e-3 * max(1, abs(b))) }
        }
        let tcn = try Network(architecture: .tcn(TCNConfig()), inputDimensions: 24, outputDimensions: nil, seed: 0)
        XCTAssertThrowsError(try tcn.foldInputAffine(shift: [Float](repeating: 0, count: 24), factor: [Float](repeating: 1, count: 24)))
    }

    /// On offset, barely varying embeddings a linear probe of 300 Adam steps (SCARF’s
    /// learning rate) separates the classes; on the raw embeddings it could not (the
    /// reason for standardising).
    func testALinearProbeResolvesOffsetEmbeddings() throws {
        let (x, labels) = offsetEmbeddings(rows: 64, columns: 8, seed: 4)
        let encoder = try Network(architecture: .linear, inputDimensions: 8, outputDimensions: 8, seed: 5)
        for i in 0..<8 { for j in 0..<8 { encoder.store.values[i * 8 + j] = i == j ? 1 : 0 } }
        for i in 0..<8 { encoder.store.values[64 + i] = 0 }   // identity: embeddings = x
        let head = try Network(architecture: .linear, inputDimensions: 8, outputDimensions: 2, seed: 6)
        var config = FineTuneConfig()
        config.strategy = .linearProbe
        config.fixedEpochs = 300
        var training = config.training.withoutValidation(epochs: 300)
        training.batchSize = 64
        _ = try EncoderHeadTrainer(config, progress: nil).train(
            encoder: encoder, head: head, x: x, xValidation: Matrix(rows: 0, columns: 8), training: training,
            loss: { SoftmaxCrossEntropy.compute(logits: $0, labels: $1.map { labels[$0] }) }, validationLoss: { _ in 0 })
        let logits = head.predict(x)
        let correct = (0..<x.rows).filter { (logits[$0, 1] > logits[$0, 0]) == (labels[$0] == 1) }.count
        XCTAssertGreaterThanOrEqual(Double(correct) / Double(x.rows), 0.9, "the probe reads raw embeddings after folding")
    }
}

import XCTest
import PretextTestSupport
import PretextData
@testable import PretextNN

/// A finite-difference gradient check for every layer.
final class LayerGradientTests: XCTestCase {
    let checker = GradientChecker()

    func testLinear() {
        checker.check("Linear", Linear(7, 5), rows: 6, columns: 7)
        checker.check("Linear without bias", Linear(4, 3, bias: false), rows: 5, columns: 4)
    }

    func testReLU() {
        // Inputs kept away from the kink at 0, where the derivative is undefined.
        checker.check("ReLU", ReLU(), rows: 4, columns: 6, awayFromZero: 0.05)
    }

    func testGELU() { checker.check("GELU", GELU(), rows: 4, columns: 6) }

    func testDropoutWithAFixedMask() {
        let dropout = Dropout(probability: 0.3)
        checker.check("Dropout", dropout, rows: 5, columns: 6, beforeForward: { dropout.reseed(7) })
        let store = ParameterStore()
        let x = Matrix(rows: 2, columns: 3, values: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(dropout.forward(x, mode: .evaluation, store: store), x, "dropout is the identity in evaluation")
    }

    func testLayerNorm() { checker.check("LayerNorm", LayerNorm(6), rows: 4, columns: 6) }

    func testBatchNormTrainingAndEvaluation() {
        checker.check("BatchNorm (training)", BatchNorm(5), rows: 8, columns: 5)
        checker.check("BatchNorm (evaluation)", BatchNorm(5), rows: 8, columns: 5, mode: .evaluation)
    }

    func testResidualBlockAndSequential() {
        let block = ResidualBlock(width: 5, hiddenWidth: 8, normalization: .layer, hiddenDropout: 0, residualDropout: 0, seed: 3)
        checker.check("ResidualBlock", block, rows: 4, columns: 5, awayFromZero: 0.05)
        let mlp = Sequential([Linear(6, 8), GELU(), LayerNorm(8), Linear(8, 3)])
        checker.check("Sequential", mlp, rows: 5, columns: 6)
    }
}

/// A finite-difference gradient check for every loss.
final class LossGradientTests: XCTestCase {
    let checker = GradientChecker()

    func testSoftmaxCrossEntropyWithAndWithoutWeights() {
        var generator = SeededGenerator(seed: 5)
        let logits = checker.random(6, 4, &generator, scale: 2)
        let labels: [Int32] = [0, 3, 1, 2, 3, 0]
        for weights in [nil, [Float]([0.5, 2, 1, 1.5])] {
            let result = SoftmaxCrossEntropy.compute(logits: logits, labels: labels, classWeights: weights)
            checker.check("SoftmaxCrossEntropy", at: logits, analytic: result.gradient) {
                SoftmaxCrossEntropy.compute(logits: $0, labels: labels, classWeights: weights).value
            }
        }
        // Uniform logits give log C.
        let uniform = SoftmaxCrossEntropy.compute(logits: Matrix(rows: 2, columns: 4), labels: [1, 2])
        XCTAssertEqual(uniform.value, log(4), accuracy: 1e-6)
    }

    func testLogisticLoss() {
        var generator = SeededGenerator(seed: 6)
        let logits = checker.random(8, 1, &generator, scale: 3)
        let labels: [Int32] = [0, 1, 1, 0, 1, 0, 0, 1]
        let result = LogisticLoss.compute(logits: logits, labels: labels, classWeights: [1, 3])
        checker.check("LogisticLoss", at: logits, analytic: result.gradient) {
            LogisticLoss.compute(logits: $0, labels: labels, classWeights: [1, 3]).value
        }
        XCTAssertEqual(LogisticLoss.compute(logits: Matrix(rows: 1, columns: 1), labels: [1]).value, log(2), accuracy: 1e-9)
    }

    func testMeanSquaredErrorAndHuber() {
        var generator = SeededGenerator(seed: 7)
        let predictions = checker.random(5, 2, &generator, scale: 2)
        let targets = checker.random(5, 2, &generator)
        let mse = MeanSquaredError.compute(predictions: predictions, targets: targets)
        checker.check("MeanSquaredError", at: predictions, analytic: mse.gradient) {
            MeanSquaredError.compute(predictions: $0, targets: targets).value
        }
        let huber = HuberLoss.compute(predictions: predictions, targets: targets, delta: 0.7)
        checker.check("HuberLoss", at: predictions, analytic: huber.gradient) {
            HuberLoss.compute(predictions: $0, targets: targets, delta: 0.7).value
        }
    }

    func testInfoNCEBothViews() {
        var generator = SeededGenerator(seed: 8)
        let anchors = checker.random(6, 5, &generator)
        let positives = checker.random(6, 5, &generator)
        for temperature: Float in [1.0, 0.5] {
            let result = InfoNCE.compute(anchors: anchors, positives: positives, temperature: temperature)
            checker.check("InfoNCE anchors τ=\(temperature)", at: anchors, analytic: result.anchorGradient) {
                InfoNCE.compute(anchors: $0, positives: positives, temperature: temperature).value
            }
            checker.check("InfoNCE positives τ=\(temperature)", at: positives, analytic: result.positiveGradient) {
                InfoNCE.compute(anchors: anchors, positives: $0, temperature: temperature).value
            }
        }
    }

    /// MCL's loss: its gradient with respect to components and mixtures alike, and a lower
    /// loss when each mixture's embedding lies between its own two components.
    func testMixupContrast() {
        var generator = SeededGenerator(seed: 9)
        let z = checker.random(9, 5, &generator)   // B = 3: z¹, z², zᵐ
        let weights: [Float] = [0.9, 0.2, 0.5]
        for temperature: Float in [1.0, 0.5] {
            let result = MixupContrast.compute(stacked: z, weights: weights, temperature: temperature)
            checker.check("MixupContrast τ=\(temperature)", at: z, analytic: result.gradient) {
                MixupContrast.compute(stacked: $0, weights: weights, temperature: temperature).value
            }
        }
        var mixed = z
        for row in 0..<3 {
            for column in 0..<5 {
                mixed[6 + row, column] = weights[row] * z[row, column] + (1 - weights[row]) * z[3 + row, column]
            }
        }
        XCTAssertLessThan(MixupContrast.compute(stacked: mixed, weights: weights, temperature: 0.5).value,
                          MixupContrast.compute(stacked: z, weights: weights, temperature: 0.5).value)
    }

    /// The parts of a batch (as ranks hold them) give, summed, the loss and gradients of
    /// the whole batch: `InfoNCE.rows` per part, the positives' contributions added, then
    /// back through the positives' normalisation — equal to `compute(stacked:)`, whose
    /// gradient the finite-difference checks above cover. Parts of 0, 1 and several rows.
    func testInfoNCEByPartsEqualsTheWholeBatch() {
        var generator = SeededGenerator(seed: 10)
        let batch = 7, width = 5
        let anchors = checker.random(batch, width, &generator), positives = checker.random(batch, width, &generator)
        let whole = InfoNCE.compute(stacked: Matrix(rows: 2 * batch, columns: width, values: anchors.values + positives.values),
                                    temperature: 0.5)
        for cuts in [[0, 7], [0, 3, 7], [0, 0, 1, 4, 7]] {
            let (normalized, norms) = InfoNCE.normalizeRows(positives)
            var lossSum = 0.0
            var anchorGradient: [Float] = []
            var positiveHat = [Float](repeating: 0, count: batch * width)
            for (start, end) in zip(cuts, cuts.dropFirst()) where end > start {
                let part = Matrix(rows: end - start, columns: width, values: Array(anchors.values[(start * width)..<(end * width)]))
                let result = InfoNCE.rows(anchors: part, normalizedPositives: normalized, offset: start, temperature: 0.5)
                lossSum += result.lossSum
                anchorGradient += result.anchorGradient.values
                for index in positiveHat.indices { positiveHat[index] += result.positiveGradient.values[index] }
            }
            let positiveGradient = InfoNCE.backThroughNormalization(Matrix(rows: batch, columns: width, values: positiveHat),
                                                                    normalized: normalized, norms: norms)
            XCTAssertEqual(lossSum / Double(batch), whole.value, accuracy: 1e-6, "\(cuts)")
            for (index, value) in (anchorGradient + positiveGradient.values).enumerated() {
                XCTAssertEqual(value, whole.gradient.values[index], accuracy: 1e-6, "\(cuts): gradient \(index)")
            }
        }
    }

    /// Identical views score lower than unrelated ones; the value matches the formula
    /// computed independently in Double.
    func testInfoNCEValue() {
        var generator = SeededGenerator(seed: 9)
        let anchors = checker.random(8, 4, &generator)
        let unrelated = checker.random(8, 4, &generator)
        let same = InfoNCE.compute(anchors: anchors, positives: anchors, temperature: 0.5).value
        let different = InfoNCE.compute(anchors: anchors, positives: unrelated, temperature: 0.5).value
        XCTAssertLessThan(same, different)
        // Reference in Double.
        func unit(_ m: Matrix, _ row: Int) -> [Double] {
            let v = (0..<m.columns).map { Double(m[row, $0]) }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return v.map { $0 / norm }
        }
        var reference = 0.0
        for i in 0..<8 {
            let scores = (0..<8).map { j in zip(unit(anchors, i), unit(unrelated, j)).reduce(0) { $0 + $1.0 * $1.1 } / 0.5 }
            reference += log(scores.reduce(0) { $0 + exp($1) }) - scores[i]
        }
        XCTAssertEqual(different, reference / 8, accuracy: 1e-5)
    }
}

final class VICRegTests: XCTestCase {
    func testGradientsOfBothViews() {
        let checker = GradientChecker()
        var generator = SeededGenerator(seed: 21)
        // Small scale so some columns fall under the variance hinge and some do not.
        let x = checker.random(8, 5, &generator, scale: 0.8)
        let y = checker.random(8, 5, &generator, scale: 0.8)
        let result = VICReg.compute(x, y)
        checker.check("VICReg first view", at: x, analytic: result.firstGradient) { VICReg.compute($0, y).value }
        checker.check("VICReg second view", at: y, analytic: result.secondGradient) { VICReg.compute(x, $0).value }
    }

    /// The variance term rises when embeddings collapse toward one point.
    func testVarianceTermRisesWhenEmbeddingsCollapse() {
        var generator = SeededGenerator(seed: 22)
        let spread = GradientChecker().random(64, 8, &generator, scale: 1.5)
        var collapsed = spread
        for index in collapsed.values.indices { collapsed.values[index] *= 0.01 }
        let healthy = VICReg.compute(spread, spread)
        let degenerate = VICReg.compute(collapsed, collapsed)
        XCTAssertGreaterThan(degenerate.variance, healthy.variance + 0.5)
        XCTAssertEqual(degenerate.invariance, 0)
        XCTAssertEqual(degenerate.variance, 1 - (0.0001 + 0.0001 * 2.25).squareRoot(), accuracy: 0.01)
    }
}

import XCTest
@testable import PretextNN
import PretextData

/// Temperature scaling finds the NLL minimum, softens overconfidence, and leaves a
/// calibrated model near T = 1.
final class TemperatureScalingTests: XCTestCase {
    /// Logits of a model that is right 70% of the time but says 99%: T well above 1, and
    /// the fitted T is the minimum of the NLL on a fine grid.
    func testOverconfidentLogitsAreSoftened() {
        var generator = SeededGenerator(seed: 5)
        var values: [Float] = [], labels: [Int32] = []
        var right = 0
        for _ in 0..<400 {
            let predicted = Int32(generator.nextInt(below: 3))
            let truth = generator.nextUniform() < 0.7 ? predicted : (predicted + 1 + Int32(generator.nextInt(below: 2))) % 3
            for k in 0..<3 { values.append(k == predicted ? 5 : 0) }
            labels.append(truth)
            if truth == predicted { right += 1 }
        }
        let logits = Matrix(rows: 400, columns: 3, values: values)
        let temperature = TemperatureScaling.fit(logits: logits, labels: labels)
        XCTAssertGreaterThan(temperature, 2)
        let fitted = TemperatureScaling.negativeLogLikelihood(logits: logits, labels: labels, temperature: temperature)
        XCTAssertLessThan(fitted, TemperatureScaling.negativeLogLikelihood(logits: logits, labels: labels, temperature: 1) - 0.5)
        for grid in stride(from: 0.5, through: 20, by: 0.01) {
            XCTAssertLessThanOrEqual(fitted, TemperatureScaling.negativeLogLikelihood(logits: logits, labels: labels, temperature: Float(grid)) + 1e-9)
        }
        XCTAssertEqual(TemperatureScaling.derivative(beta: 1 / Double(temperature), logits: logits, labels: labels), 0, accuracy: 1e-6)
        // Closed form for this shape: p(top) = e^{5β} / (e^{5β} + 2) = 0.7 at the optimum.
        let beta = 1 / Double(temperature)
        XCTAssertEqual(exp(5 * beta) / (exp(5 * beta) + 2), Double(right) / 400, accuracy: 1e-6)
    }

    /// Labels drawn from softmax(z) itself: the model is calibrated, T ≈ 1.
    func testCalibratedLogitsKeepTemperatureNearOne() {
        var generator = SeededGenerator(seed: 9)
        var values: [Float] = [], labels: [Int32] = []
        for _ in 0..<8_000 {
            let z = (0..<4).map { _ in Float(generator.nextNormal() * 2) }
            let exponentials = z.map { exp(Double($0)) }
            var draw = generator.nextUniform() * exponentials.reduce(0, +)
            var label: Int32 = 3
            for (k, e) in exponentials.enumerated() {
                if draw < e { label = Int32(k); break }
                draw -= e
            }
            values += z
            labels.append(label)
        }
        let temperature = TemperatureScaling.fit(logits: Matrix(rows: 8_000, columns: 4, values: values), labels: labels)
        XCTAssertEqual(temperature, 1, accuracy: 0.08)
        // Calibrated logits are as confident as they are right: the accuracy bound does not bind.
        XCTAssertEqual(TemperatureScaling.calibrate(logits: Matrix(rows: 8_000, columns: 4, values: values), labels: labels), temperature)
    }

    /// Every one of 28 out-of-fold rows right with huge logits: the NLL wants T at its
    /// lower bound (certainty); `calibrate` raises T until the mean confidence is the
    /// rule-of-succession accuracy 29/30, and no further.
    func testAllCorrectRowsAreNotCalledCertain() {
        var generator = SeededGenerator(seed: 4)
        var values: [Float] = [], labels: [Int32] = []
        for row in 0..<28 {
            let label = Int32(row % 2)
            let margin = Float(20 + 10 * generator.nextUniform())
            values += label == 0 ? [margin, 0] : [0, margin]
            labels.append(label)
        }
        let logits = Matrix(rows: 28, columns: 2, values: values)
        let fitted = TemperatureScaling.fit(logits: logits, labels: labels, range: 1...1000)
        XCTAssertEqual(fitted, 1)
        let calibrated = TemperatureScaling.calibrate(logits: logits, labels: labels, range: 1...1000)
        XCTAssertGreaterThan(calibrated, 5)
        XCTAssertEqual(TemperatureScaling.meanConfidence(logits, temperature: Double(calibrated)), 29.0 / 30.0, accuracy: 1e-4)
        // One row wrong among them: the bound is (27 + 1) / 30, lower still.
        labels[0] = 1
        let oneWrong = TemperatureScaling.calibrate(logits: logits, labels: labels, range: 1...1000)
        XCTAssertLessThanOrEqual(TemperatureScaling.meanConfidence(logits, temperature: Double(oneWrong)), 28.0 / 30.0 + 1e-4)
    }

    func testPredictionsDoNotChangeAndEdgesClamp() {
        let logits = Matrix(rows: 2, columns: 2, values: [3, -1, 0.5, 2])
        let scaled = TemperatureScaling.apply(logits, temperature: 4)
        XCTAssertEqual(scaled.values, [0.75, -0.25, 0.125, 0.5])
        // Every label the model ranks last: the best temperature is the largest allowed.
        XCTAssertEqual(TemperatureScaling.fit(logits: logits, labels: [1, 0]), Float(TemperatureScaling.range.upperBound))
        XCTAssertEqual(TemperatureScaling.fit(logits: Matrix(rows: 0, columns: 2, values: []), labels: []), 1)
        // Every label ranked first: the likelihood wants T → 0; a lower bound holds it.
        XCTAssertEqual(TemperatureScaling.fit(logits: logits, labels: [0, 1]), Float(TemperatureScaling.range.lowerBound))
        XCTAssertEqual(TemperatureScaling.fit(logits: logits, labels: [0, 1], range: 1...1000), 1)
    }
}

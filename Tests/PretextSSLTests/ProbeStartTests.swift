import XCTest
import Foundation
import PretextData
import PretextNN
import PretextSSL
@testable import PretextTransfer

/// A linear probe starts at the constant that minimises the training loss (W = 0, b = the
/// class log-shares), so early stopping on a small hold-out can keep the class prior
/// rather than a random projection of the embeddings.
final class ProbeStartTests: XCTestCase {
    func objective(labels: [Int32], weighted: Bool) -> SupervisedObjective {
        SupervisedObjective(task: .multiclassClassification, labels: { $0.map { labels[$0] } }, targets: { _ in [] },
                            validationLabels: [], validationTargets: [],
                            classWeights: weighted ? SupervisedObjective.classWeights(counts: [3, 1, 0]) : nil)
    }

    func testConstantOutputIsTheLossMinimisingConstant() {
        let labels: [Int32] = [0, 1, 0, 0]
        let shares = objective(labels: labels, weighted: false).constantOutput(count: 4, classes: 3)
        XCTAssertEqual(shares[0], Float(log(3.0 / 4)), accuracy: 1e-6)
        XCTAssertEqual(shares[1], Float(log(1.0 / 4)), accuracy: 1e-6)
        XCTAssertEqual(shares[2], Float(log(0.5 / 4)), accuracy: 1e-6, "a class without rows: finite, below the rarest")
        // Softmax of the constant is the training rows' class shares (up to the empty class).
        let exps = shares.map { exp(Double($0)) }, total = exps.reduce(0, +)
        XCTAssertEqual(exps[0] / total, 0.75 / 1.125, accuracy: 1e-6)
        XCTAssertEqual(objective(labels: labels, weighted: true).constantOutput(count: 4, classes: 3), [0, 0, 0],
                       "class weights give every class the same total weight: uniform")
        let targets: [Float] = [0.5, -1.5, 2.0]
        let regression = SupervisedObjective(task: .regression, labels: { _ in [] }, targets: { $0.map { targets[$0] } },
                                             validationLabels: [], validationTargets: [], classWeights: nil)
        XCTAssertEqual(regression.constantOutput(count: 3, classes: 1)[0], 1.0 / 3, accuracy: 1e-6)
    }

    /// Read in slices, the counts of a long label column are exact.
    func testConstantOutputCountsEveryRowOfALongColumn() {
        let count = 150_001
        let objective = SupervisedObjective(task: .binaryClassification, labels: { $0.map { Int32($0 % 3 == 0 ? 1 : 0) } },
                                            targets: { _ in [] }, validationLabels: [], validationTargets: [], classWeights: nil)
        let output = objective.constantOutput(count: count, classes: 2)
        XCTAssertEqual(output[1], Float(log(50_001.0 / Double(count))), accuracy: 1e-6)
        XCTAssertEqual(output[0], Float(log(100_000.0 / Double(count))), accuracy: 1e-6)
    }

    func testSetConstantMakesALinearNetworkConstant() throws {
        let network = try Network(architecture: .linear, inputDimensions: 5, outputDimensions: 2, seed: 1)
        try network.setConstant([0.25, -1])
        var x = Matrix(rows: 3, columns: 5)
        for index in x.values.indices { x.values[index] = Float(index) - 7 }
        let y = network.predict(x)
        for row in 0..<3 { XCTAssertEqual([y[row, 0], y[row, 1]], [0.25, -1]) }
        let mlp = try Network(architecture: .mlp(MLPConfig(depth: 1, hiddenWidth: 4)), inputDimensions: 5, outputDimensions: 2, seed: 1)
        XCTAssertThrowsError(try mlp.setConstant([0, 0]), "only a single Linear layer can be set to a constant")
        XCTAssertThrowsError(try network.setConstant([0, 0, 0]), "one value per output")
    }

    /// Features that carry nothing about a 72/28 target: the early-stopped probe must end
    /// near the class prior — predicting the majority class, with the prior's log loss —
    /// not near a random projection of the embeddings (from a random start it ended below
    /// the majority share, as on credit_data at 5% labels).
    func testOnUninformativeFeaturesTheProbeKeepsTheClassPrior() throws {
        let rows = 700
        var generator = SeededGenerator(seed: 11)
        var features: [Column] = []
        for index in 0..<8 {
            features.append(Column(name: "x\(index)", type: .numeric,
                                   storage: .numeric((0..<rows).map { _ in Float(generator.nextUniform() * 2 - 1) })))
        }
        let codes = (0..<rows).map { _ in Int32(generator.nextUniform() < 0.72 ? 0 : 1) }
        let target = Column(name: "target", type: .categorical, role: .target, storage: .categorical(codes: codes, vocabulary: ["a", "b"]))
        let table = Table(columns: features + [target], source: "noise.csv")
        let encoder = try Pretrainer(config: quickScarf(seed: 1, epochs: 2, width: 64)).fit(table)
        var config = FineTuneConfig()
        config.strategy = .linearProbe
        let test = Array(200..<rows)
        var logLoss = 0.0, majority = 0
        for seed in 0..<3 {
            config.seed = UInt64(seed)
            let start = seed * 50
            let model = try FineTuner(config: config).fit(encoder: encoder, table: table, rows: Array(start..<(start + 125)),
                                                          validationRows: Array((start + 125)..<(start + 156)))
            let predictions = try model.predictions(table.selecting(rows: test)).predictions
            let probabilities = predictions.probabilities!
            for (position, row) in test.enumerated() {
                logLoss -= log(Double(probabilities[position, Int(codes[row])])) / Double(test.count * 3)
            }
            majority += predictions.labels.filter { $0 == "a" }.count
        }
        let share = Double(codes[test.first!...].filter { $0 == 0 }.count) / Double(test.count)
        let entropy = -(share * log(share) + (1 - share) * log(1 - share))
        XCTAssertLessThan(logLoss, entropy + 0.03, "test log loss near the prior's entropy \(entropy)")
        XCTAssertGreaterThan(Double(majority) / Double(test.count * 3), 0.9, "the majority class predicted for nearly every row")
    }
}

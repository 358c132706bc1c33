import Foundation
import XCTest
import PretextTestSupport
import PretextData
@testable import PretextNN

/// Small settings so the suite stays fast; margins are set well below what these
/// models reach, so the tests check learning, not luck.
func smallConfig(seed: UInt64 = 0, epochs: Int = 60) -> SupervisedConfig {
    var config = SupervisedConfig()
    config.architecture = .mlp(MLPConfig(depth: 2, hiddenWidth: 64, dropout: 0.1))
    config.training.maximumEpochs = epochs
    config.training.patience = 10
    config.training.batchSize = 64
    config.seed = seed
    return config
}

final class SupervisedTests: XCTestCase {
    func testClassifierLearnsBreastCancer() throws {
        let table = try loadTable("breast_cancer.csv")
        let split = try DatasetSplit.make(table, task: .binaryClassification)
        let model = try MLPClassifier(config: smallConfig()).fit(table, rows: split.train, validationRows: split.validation)
        let predictions = try model.predict(table.selecting(rows: split.test))
        let truth = split.test.map { table.target!.text(at: $0) }
        let accuracy = Double(zip(predictions, truth).filter { $0 == $1 }.count) / Double(truth.count)
        print("breast cancer MLP test accuracy \(accuracy)")
        XCTAssertGreaterThan(accuracy, 0.92, "test accuracy \(accuracy)")
        let probabilities = try model.predictProbabilities(table.selecting(rows: split.test))
        for row in 0..<probabilities.rows {
            XCTAssertEqual((0..<probabilities.columns).reduce(Float(0)) { $0 + probabilities[row, $1] }, 1, accuracy: 1e-5)
        }
        XCTAssertGreaterThan(model.fitted!.history.bestEpoch, 0)
    }

    func testRegressorLearnsDiabetes() throws {
        let table = try loadTable("diabetes.csv")
        let split = try DatasetSplit.make(table, task: .regression)
        let model = try MLPRegressor(config: smallConfig()).fit(table, rows: split.train, validationRows: split.validation)
        let predictions = try model.predict(table.selecting(rows: split.test))
        let truth = split.test.map { Double(table.target!.floatValues![$0]) }
        let mean = truth.reduce(0, +) / Double(truth.count)
        let residual = zip(predictions, truth).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        let total = truth.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        print("diabetes MLP test R² \(1 - residual / total)")
        XCTAssertGreaterThan(1 - residual / total, 0.25, "test R²")
    }

    func testSameSeedGivesBitwiseIdenticalWeights() throws {
        let table = try loadTable("wine.csv")
        let first = try MLPClassifier(config: smallConfig(seed: 4, epochs: 15)).fit(table)
        let second = try MLPClassifier(config: smallConfig(seed: 4, epochs: 15)).fit(table)
        let other = try MLPClassifier(config: smallConfig(seed: 5, epochs: 15)).fit(table)
        XCTAssertEqual(first.fitted!.network.store.values, second.fitted!.network.store.values)
        XCTAssertNotEqual(first.fitted!.network.store.values, other.fitted!.network.store.values)
        XCTAssertEqual(try first.predictProbabilities(table), try second.predictProbabilities(table))
    }

    func testDivergenceStopsWithATypedError() throws {
        let table = try loadTable("diabetes.csv")
        var config = smallConfig()
        config.optimizer.method = .sgd
        config.optimizer.learningRate = 1e6
        XCTAssertThrowsError(try MLPRegressor(config: config).fit(table)) { error in
            guard case TrainingError.diverged(let epoch, _, _, let rate) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(epoch, 1)
            XCTAssertEqual(rate, 1e6)
            XCTAssertTrue("\(error)".contains("lower the learning rate"))
        }
    }

    func testEarlyStoppingRestoresTheBestEpoch() throws {
        let table = try loadTable("wine.csv")
        var config = smallConfig(epochs: 300)
        config.training.patience = 5
        let model = try MLPClassifier(config: config).fit(table)
        let history = model.fitted!.history
        XCTAssertTrue(history.stoppedEarly)
        XCTAssertEqual(history.epochs.count, history.bestEpoch + 5)
        let best = history.epochs[history.bestEpoch - 1].validationLoss!
        XCTAssertEqual(history.epochs.compactMap(\.validationLoss).min(), best)
    }

    func testInvalidHyperparametersAreTypedErrors() throws {
        let table = try loadTable("wine.csv")
        for mutate in [{ (c: inout SupervisedConfig) in c.optimizer.learningRate = -1 },
                       { (c: inout SupervisedConfig) in c.optimizer.learningRate = .nan },
                       { (c: inout SupervisedConfig) in c.training.batchSize = 0 },
                       { (c: inout SupervisedConfig) in c.architecture = .mlp(MLPConfig(depth: 0, hiddenWidth: 4)) }] {
            var config = smallConfig()
            mutate(&config)
            XCTAssertThrowsError(try MLPClassifier(config: config).fit(table)) { error in
                guard case TrainingError.invalidHyperparameter = error else { return XCTFail("\(error)") }
            }
        }
    }
}

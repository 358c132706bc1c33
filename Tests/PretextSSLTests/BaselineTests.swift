import Foundation
import XCTest
import PretextTestSupport
import PretextData
import PretextNN
import PretextTransfer
@testable import PretextBaselines

final class GradientBoostedTreesTests: XCTestCase {
    func quickTrees(trials: Int = 2) -> GradientBoostedTreesConfig {
        var config = GradientBoostedTreesConfig()
        config.trials = trials
        config.maximumRounds = 200
        config.patience = 20
        return config
    }

    func testLearnsEveryTaskAndRoundTripsThroughTheModelLoader() throws {
        let folder = NSTemporaryDirectory() + "pretext-xgb-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for (name, floor) in [("breast_cancer.csv", 0.9), ("wine.csv", 0.85), ("credit_data.csv", 0.74), ("diabetes.csv", 0.2)] {
            let table = try loadTable(name)
            let task = try TaskType.infer(for: table.target!, path: name)
            let split = try DatasetSplit.make(table, task: task)
            let model = try GradientBoostedTrees(config: quickTrees()).fit(table, rows: split.train, validationRows: split.validation)
            XCTAssertGreaterThan(model.rounds, 0)
            XCTAssertNotNil(model.validationScore)
            let test = table.selecting(rows: split.test)
            let predictions = try model.predictions(test).predictions
            let score: Double
            if task.isClassification {
                score = accuracy(predictions.labels, table, rows: split.test)
                for row in 0..<predictions.probabilities!.rows {
                    let sum = (0..<predictions.classNames.count).reduce(Float(0)) { $0 + predictions.probabilities![row, $1] }
                    XCTAssertEqual(sum, 1, accuracy: 1e-5)
                }
            } else {
                let truth = split.test.map { Double(table.target!.floatValues![$0]) }
                let mean = truth.reduce(0, +) / Double(truth.count)
                let residual = zip(predictions.values, truth).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
                score = 1 - residual / truth.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            }
            print("\(name): XGBoost test score \(score) (\(model.rounds) rounds, depth \(model.parameters.maxDepth))")
            XCTAssertGreaterThan(score, floor, name)
            let path = folder + "/\(name).safetensors"
            try model.save(to: path)
            let loaded = try ModelLoader.loadPredictor(from: path)
            XCTAssertEqual(try loaded.predictions(test).predictions, predictions, name)
        }
    }

    func testMissingValuesGoToXGBoostAsMissingAndSeedsRepeat() throws {
        let table = try loadTable("credit_data.csv")   // has missing incomes, assets, debts
        let a = try GradientBoostedTrees(config: quickTrees(trials: 2)).fit(table)
        let b = try GradientBoostedTrees(config: quickTrees(trials: 2)).fit(table)
        XCTAssertEqual(try a.predictions(table).predictions, try b.predictions(table).predictions)
        let (features, _) = try a.preprocessor!.transform(table)
        XCTAssertTrue(features.values.contains { $0.isNaN }, "missing numbers stay NaN for the trees")
        XCTAssertFalse(a.preprocessor!.featureNames.contains { $0.hasSuffix("__missing") })
    }

    func testTinyBudgetsTrainWithoutValidationAndErrorsAreTyped() throws {
        let table = try loadTable("wine.csv")
        let model = try GradientBoostedTrees(config: quickTrees()).fit(table, rows: Array(0..<12) + Array(60..<72) + Array(140..<152))
        XCTAssertNil(model.validationScore)
        XCTAssertEqual(model.rounds, 100)
        var bad = quickTrees()
        bad.maximumRounds = 0
        XCTAssertThrowsError(try GradientBoostedTrees(config: bad).fit(table))
        XCTAssertThrowsError(try GradientBoostedTrees().predictions(table)) { error in
            guard case TrainingError.notFitted = error else { return XCTFail("\(error)") }
        }
    }
}

import Foundation
import XCTest
import PretextTestSupport
import PretextData
import PretextNN
import PretextTransfer
@testable import PretextBaselines
import PretextAuto

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

    /// Every budget is tuned: a hold-out from 150 rows, cross-validation below (only on the
    /// given rows), XGBoost's defaults only when a class has a single row.
    func testEveryBudgetIsTunedAndErrorsAreTyped() throws {
        let table = try loadTable("wine.csv")
        let budget = Array(0..<12) + Array(60..<72) + Array(140..<152)
        let small = try GradientBoostedTrees(config: quickTrees()).fit(table, rows: budget)
        XCTAssertEqual(small.tuning, Tuning(method: .crossValidation, candidates: 3, folds: 5, repeats: 2))
        XCTAssertNotNil(small.validationScore)
        XCTAssertGreaterThan(small.rounds, 0)
        XCTAssertLessThanOrEqual(small.rounds, 200)
        // The search sees only the budget rows: other rows' labels do not change the choice.
        var relabeled = table
        guard case .categorical(var codes, let vocabulary) = relabeled.target!.storage else { return XCTFail("a categorical target") }
        for row in codes.indices where !budget.contains(row) { codes[row] = (codes[row] + 1) % Int32(vocabulary.count) }
        relabeled.columns[relabeled.columns.firstIndex { $0.role == .target }!].storage = .categorical(codes: codes, vocabulary: vocabulary)
        let same = try GradientBoostedTrees(config: quickTrees()).fit(relabeled, rows: budget)
        XCTAssertEqual(same.parameters, small.parameters)
        XCTAssertEqual(same.rounds, small.rounds)
        XCTAssertEqual(same.validationScore, small.validationScore)
        // One thread or several: the same choice.
        var oneThread = quickTrees()
        oneThread.threads = 1
        XCTAssertEqual(try GradientBoostedTrees(config: oneThread).fit(table, rows: budget).parameters, small.parameters)

        let large = try GradientBoostedTrees(config: quickTrees()).fit(table)
        XCTAssertEqual(large.tuning?.method, .holdOut)
        let single = try GradientBoostedTrees(config: quickTrees()).fit(table, rows: [0, 1, 2, 60, 61, 62, 140])
        XCTAssertEqual(single.tuning?.method, .defaults)
        XCTAssertNil(single.validationScore)
        XCTAssertEqual(single.rounds, 100)

        var bad = quickTrees()
        bad.maximumRounds = 0
        XCTAssertThrowsError(try GradientBoostedTrees(config: bad).fit(table))
        XCTAssertThrowsError(try GradientBoostedTrees().predictions(table)) { error in
            guard case TrainingError.notFitted = error else { return XCTFail("\(error)") }
        }
    }

    /// Fixed parameters replace the search (one candidate) and keep early stopping; the
    /// lag forecaster's later steps use them, so only its first step searches.
    func testFixedParametersSkipTheSearch() throws {
        let table = try loadTable("wine.csv")
        var fixed = TreeParameters()
        fixed.maxDepth = 3
        fixed.learningRate = 0.1
        var config = quickTrees(trials: 5)
        config.fixedParameters = fixed
        let model = try GradientBoostedTrees(config: config).fit(table)
        XCTAssertEqual(model.parameters, fixed)
        XCTAssertEqual(model.tuning?.method, .holdOut)
        XCTAssertEqual(model.tuning?.candidates, 1)
        XCTAssertLessThanOrEqual(model.rounds, 200)
        let searched = try GradientBoostedTrees(config: quickTrees(trials: 5)).fit(table)
        XCTAssertEqual(searched.tuning?.candidates, 6)
    }

    /// The preprocessing can be fitted on more rows than the labeled ones (e.g. every
    /// non-test row): the same statistics as a preprocessor fitted on those rows.
    func testPreprocessingRowsAreThoseGiven() throws {
        let table = try loadTable("credit_data.csv")
        let budget = Array(0..<40), pool = Array(0..<3000)
        let trees = try GradientBoostedTrees(config: quickTrees(trials: 0)).fit(table, rows: budget, preprocessingRows: pool)
        let expected = try Preprocessor(config: GradientBoostedTrees.treePreprocessing).fit(table, rows: pool)
        XCTAssertEqual(trees.preprocessor, expected)
        XCTAssertNotEqual(try GradientBoostedTrees(config: quickTrees(trials: 0)).fit(table, rows: budget).preprocessor, expected)
        var config = SupervisedConfig()
        config.training.maximumEpochs = 2
        let mlp = try MLPClassifier(config: config).fit(table, rows: budget, preprocessingRows: pool)
        XCTAssertEqual(mlp.fitted?.preprocessor, try Preprocessor(config: config.preprocessing).fit(table, rows: pool))
    }
}

import Foundation
import XCTest
import PretextTestSupport
import PretextData
import PretextNN
import PretextBaselines
@testable import PretextSSL
@testable import PretextTransfer

/// Model selection on the budget rows alone, then calibration.
final class FineTuneSelectorTests: XCTestCase {
    func quickSelector(epochs: Int = 30) -> FineTuneSelector {
        var config = FineTuneConfig()
        config.training.maximumEpochs = epochs
        config.training.batchSize = 32
        config.frozenEpochs = 10
        config.headWidth = 32
        var selection = FineTuneSelectionConfig()
        selection.learningRates = [1e-3, 1e-4]
        selection.folds = 3
        selection.repeats = 1
        return FineTuneSelector(config: config, selection: selection)
    }

    func testCrossValidationChoosesOnTheBudgetRowsAndRefits() throws {
        let table = try loadTable("wine.csv")
        let encoder = try Pretrainer(config: quickScarf(seed: 1, epochs: 3, width: 32)).fit(table)
        let budget = Array(0..<10) + Array(60..<70) + Array(131..<141)
        let model = try quickSelector().fit(encoder: encoder, table: table, rows: budget)
        let selection = try XCTUnwrap(model.selection)
        XCTAssertEqual(selection.method, .crossValidation)
        XCTAssertEqual(selection.folds, 3)
        XCTAssertEqual(selection.candidates.count, 6)
        XCTAssertEqual(Set(selection.candidates.map(\.strategy)), Set(FineTuneConfig.Strategy.allCases))
        let chosen = selection.candidates[selection.chosen]
        XCTAssertEqual(chosen.loss, selection.candidates.map(\.loss).min())
        XCTAssertEqual(model.config.strategy, chosen.strategy)
        XCTAssertEqual(model.config.optimizer.learningRate, chosen.learningRate)
        XCTAssertEqual(model.config.fixedEpochs, chosen.epochs)
        XCTAssertEqual(model.history.epochs.count, chosen.epochs, "refit for exactly the chosen epochs")
        XCTAssertTrue(model.history.epochs.allSatisfy { $0.validationLoss == nil }, "the refit validates on nothing")
        XCTAssertEqual(model.temperature, selection.temperature)
        XCTAssertGreaterThan(model.temperature, 0)
        // Only the budget rows' labels matter: relabel every other row, same choice and model.
        var relabeled = table
        let targetIndex = relabeled.columns.firstIndex { $0.role == .target }!
        guard case .categorical(var codes, let vocabulary) = relabeled.columns[targetIndex].storage else { return XCTFail() }
        for row in codes.indices where !budget.contains(row) { codes[row] = (codes[row] + 1) % Int32(vocabulary.count) }
        relabeled.columns[targetIndex].storage = .categorical(codes: codes, vocabulary: vocabulary)
        let again = try quickSelector().fit(encoder: encoder, table: relabeled, rows: budget)
        XCTAssertEqual(again.selection, selection)
        XCTAssertEqual(try again.predictions(table).predictions, try model.predictions(table).predictions)
    }

    func testLargeBudgetsUseAHoldOutAndTheFileKeepsTheChoice() throws {
        let table = try loadTable("credit_data.csv")
        let encoder = try Pretrainer(config: quickScarf(seed: 2, epochs: 2, width: 32)).fit(table)
        var selector = quickSelector(epochs: 8)
        selector.selection.strategies = [.linearProbe, .full]
        selector.selection.learningRates = [1e-3]
        let model = try selector.fit(encoder: encoder, table: table, rows: Array(0..<400))
        XCTAssertEqual(model.selection?.method, .holdOut)
        XCTAssertEqual(model.selection?.validationRows, 80)
        XCTAssertEqual(model.selection?.candidates.count, 2)
        let path = NSTemporaryDirectory() + "pretext-selected-\(UUID().uuidString).safetensors"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.save(to: path)
        let loaded = try TabularModel.load(from: path)
        XCTAssertEqual(loaded.selection, model.selection)
        XCTAssertEqual(loaded.temperature, model.temperature)
        XCTAssertEqual(try loaded.predictions(table).predictions, try model.predictions(table).predictions)
    }

    /// A fine-tuned network at a small budget is overconfident; the fitted temperature
    /// lowers its test log loss (the test rows take no part in the fit).
    func testCalibrationLowersTestLogLoss() throws {
        let table = try loadTable("credit_data.csv")
        let split = try DatasetSplit.make(table, task: .binaryClassification)
        let encoder = try Pretrainer(config: quickScarf(seed: 3, epochs: 4, width: 64)).fit(table, rows: split.pretraining)
        var selector = quickSelector(epochs: 60)
        selector.selection.strategies = [.full]
        selector.selection.learningRates = [1e-3]
        selector.selection.folds = 5
        let model = try selector.fit(encoder: encoder, table: table, rows: Array(split.train.prefix(60)))
        let test = table.selecting(rows: split.test)
        let labels = try model.target.classIndices(table, rows: split.test)
        let (logits, _) = try model.outputs(test)
        let calibrated = TemperatureScaling.negativeLogLikelihood(logits: logits, labels: labels, temperature: model.temperature)
        let raw = TemperatureScaling.negativeLogLikelihood(logits: logits, labels: labels, temperature: 1)
        print("credit_data, 60 rows: temperature \(model.temperature), test log loss \(raw) → \(calibrated)")
        XCTAssertLessThan(calibrated, raw)
    }

    func testFixedEpochsCountBothPhasesOfFreezeThenUnfreeze() throws {
        let table = try loadTable("wine.csv")
        let encoder = try Pretrainer(config: quickScarf(seed: 4, epochs: 2, width: 16)).fit(table)
        var config = FineTuneConfig()
        config.strategy = .freezeThenUnfreeze
        config.frozenEpochs = 5
        config.headWidth = 16
        for (fixed, expected) in [(3, 3), (5, 5), (9, 9)] {
            config.fixedEpochs = fixed
            let model = try FineTuner(config: config).fit(encoder: encoder, table: table, rows: Array(0..<178))
            XCTAssertEqual(model.history.epochs.count, expected)
            XCTAssertTrue(model.history.epochs.allSatisfy { $0.validationLoss == nil })
        }
        // The encoder moves only once the joint phase starts.
        config.fixedEpochs = 5
        XCTAssertEqual(try FineTuner(config: config).fit(encoder: encoder, table: table).encoder.store.values, encoder.network.store.values)
        config.fixedEpochs = 6
        XCTAssertNotEqual(try FineTuner(config: config).fit(encoder: encoder, table: table).encoder.store.values, encoder.network.store.values)
    }
}

import Foundation
import XCTest
import PretextTestSupport
import PretextData
import PretextNN
import PretextSSL
import PretextTransfer
import PretextBaselines
@testable import PretextAuto

/// `auto` scores every candidate on the same rows, picks the lowest loss, and the model
/// file says so.
final class AutoModelTests: XCTestCase {
    func quickAuto(seed: UInt64 = 0) -> AutoConfig { quickAutoConfig(seed: seed) }

    func testChoosesTheLowestValidationLossAndTheFileKeepsTheChoice() throws {
        let table = try loadTable("wine.csv")
        let budget = Array(0..<10) + Array(60..<70) + Array(131..<141)
        var config = quickAuto()
        config.ensembleSize = 1  // single winners here; EnsembleTests covers averaging
        let chosen = try AutoModel(config: config).fit(table, rows: budget)
        let choice = try XCTUnwrap(chosen.choice)
        XCTAssertEqual(choice.candidates.map(\.name), ["scarf", "scratch", "xgboost", "linear", "scarf+self-training"])
        XCTAssertEqual(choice.candidates.first { $0.name == choice.chosen }?.loss, choice.candidates.map(\.loss).min())
        XCTAssertEqual(choice.validation, "3-fold stratified cross-validation × 1 on the labeled rows")
        // XGBoost was scored on the same folds: its own tuning says cross-validation with the same k and repeats.
        var trees = quickAuto().trees
        trees.crossValidationFolds = 3
        trees.crossValidationRepeats = 1
        let alone = try GradientBoostedTrees(config: trees).fit(table, rows: budget)
        XCTAssertEqual(alone.tuning?.folds, 3)
        XCTAssertEqual(choice.candidates.first { $0.name == "xgboost" }?.loss, alone.validationScore)
        // Saved and loaded through the loader every command uses.
        let path = NSTemporaryDirectory() + "pretext-auto-\(UUID().uuidString).safetensors"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try chosen.save(to: path, idColumns: [])
        let loaded = try ModelLoader.loadPredictor(from: path)
        XCTAssertEqual((loaded as? TabularModel)?.choice ?? (loaded as? GradientBoostedTrees)?.choice
                       ?? (loaded as? MLPClassifier)?.fitted?.choice, choice)
        XCTAssertEqual(try loaded.predictions(table).predictions, try chosen.predictor.predictions(table).predictions)
        // Same seed, same choice and predictions.
        let again = try AutoModel(config: config).fit(table, rows: budget)
        XCTAssertEqual(again.choice, choice)
        XCTAssertEqual(try again.predictor.predictions(table).predictions, try chosen.predictor.predictions(table).predictions)
        XCTAssertTrue(choice.summary.last!.hasPrefix("chose \(choice.chosen): the lowest validation loss"))
    }

    /// Ranked by calibrated out-of-fold log loss, the record's losses are each candidate's
    /// out-of-fold log loss as the ensemble step measures it, and the lowest wins.
    func testChoosingByCalibratedOutOfFoldLoss() throws {
        let table = try loadTable("wine.csv")
        let budget = Array(0..<10) + Array(60..<70) + Array(131..<141)
        var config = quickAuto()
        config.ensembleSize = 1
        config.candidates = [.scarf, .scratch, .xgboost, .linear]
        let byCurve = try XCTUnwrap(AutoModel(config: config).fit(table, rows: budget).choice)
        config.chooseBy = .calibratedOutOfFold
        var logged: [String] = []
        let byCalibrated = try XCTUnwrap(AutoModel(config: config, log: { logged.append($0) }).fit(table, rows: budget).choice)
        XCTAssertEqual(byCalibrated.validation, byCurve.validation + "; ranked by the log loss of calibrated out-of-fold probabilities")
        XCTAssertEqual(byCalibrated.candidates.map(\.name), byCurve.candidates.map(\.name))
        XCTAssertEqual(byCalibrated.candidates.first { $0.name == byCalibrated.chosen }?.loss, byCalibrated.candidates.map(\.loss).min())
        // Calibrated losses are not the curves' minima (a network's curve goes far lower).
        XCTAssertNotEqual(byCalibrated.candidates.map(\.loss), byCurve.candidates.map(\.loss))
        XCTAssertTrue(byCalibrated.candidates.allSatisfy { $0.loss > 0 && $0.loss.isFinite })
    }

    /// Up to `crossValidationUpTo` labeled rows (default 1,000) every candidate is scored
    /// by cross-validation — 160 rows would once have gone to a 32-row hold-out; above
    /// it, by the hold-out.
    func testCrossValidatesUpToTheThresholdAndHoldsOutAbove() throws {
        let table = try loadTable("wine.csv")
        let budget = Array(0..<160)
        var config = quickAuto()
        config.candidates = [.scratch, .linear]
        let crossValidated = try XCTUnwrap(AutoModel(config: config).fit(table, rows: budget).choice)
        XCTAssertEqual(crossValidated.validation, "3-fold stratified cross-validation × 1 on the labeled rows")
        XCTAssertEqual(config.minimumValidationRows(validationFraction: 0.2), 201)
        config.crossValidationUpTo = 100
        XCTAssertEqual(config.minimumValidationRows(validationFraction: 0.2), 30, "never below the fine-tuning's own minimum")
        config.candidates = [.scratch]
        let heldOut = try XCTUnwrap(AutoModel(config: config).fit(table, rows: budget).choice)
        XCTAssertEqual(heldOut.validation, "a stratified hold-out of 32 labeled rows")
    }

    func testOneCandidateAndTooFewRowsFallBackToFixedSettings() throws {
        let table = try loadTable("wine.csv")
        var config = quickAuto()
        config.candidates = [.xgboost]
        let trees = try AutoModel(config: config).fit(table, rows: Array(0..<12) + Array(60..<72) + Array(131..<143))
        guard case .trees = trees else { return XCTFail("xgboost alone must give trees") }
        // A class with one labeled row: nothing validates; the first candidate with fixed settings.
        config.candidates = [.scratch, .xgboost]
        let fallback = try AutoModel(config: config).fit(table, rows: [0, 1, 2, 60, 61, 62, 131])
        XCTAssertEqual(fallback.choice?.chosen, "scratch")
        XCTAssertEqual(fallback.choice?.candidates, [])
        // With pretraining among the candidates (in any position), the rule is SCARF +
        // linear probe with fixed settings: the encoder stays as pretraining left it.
        config.candidates = [.xgboost, .linear, .selfTraining]
        let probe = try AutoModel(config: config).fit(table, rows: [0, 1, 2, 60, 61, 62, 131])
        guard case .network(let model) = probe else { return XCTFail("the fallback must be the SCARF network") }
        XCTAssertEqual(model.config.strategy, .linearProbe)
        XCTAssertEqual(model.choice?.chosen, "scarf")
        XCTAssertTrue(model.choice?.validation.contains("linear probe with fixed settings") == true, model.choice?.validation ?? "")
        var pretraining = config.pretraining
        pretraining.seed = config.seed
        let pretrained = try Pretrainer(config: pretraining).fit(table, rows: Array(0..<table.rowCount))
        XCTAssertEqual(model.encoder.store.values, pretrained.network.store.values,
                       "a linear probe leaves the pretrained encoder unchanged")
        // Calibrated on leave-one-out predictions of the six rows whose class has another
        // labeled row (row 131's class has one): the same fixed-settings probe without
        // each, its logits for that row, the cross-validated case's temperature rule.
        var settings = config.fineTune
        settings.seed = config.seed
        settings.strategy = .linearProbe
        let budget = [0, 1, 2, 60, 61, 62, 131]
        var logits: [Float] = [], labels: [Int32] = []
        for row in budget.dropLast() {
            let without = try FineTuner(config: settings).fit(encoder: pretrained, table: table, rows: budget.filter { $0 != row })
            logits += try without.outputs(table.selecting(rows: [row])).0.values
            labels += try without.target.classIndices(table, rows: [row])
        }
        let expected = TemperatureScaling.calibrate(logits: Matrix(rows: 6, columns: 3, values: logits), labels: labels,
                                                    range: 1...TemperatureScaling.range.upperBound)
        XCTAssertEqual(model.temperature, expected)
        XCTAssertGreaterThanOrEqual(model.temperature, 1)
        XCTAssertTrue(model.choice?.validation.contains("from leave-one-out predictions") == true, model.choice?.validation ?? "")
        // One row per class: nothing to leave out, the probe as trained.
        let single = try AutoModel(config: config).fit(table, rows: [0, 60, 131])
        guard case .network(let uncalibrated) = single else { return XCTFail("the fallback must be the SCARF network") }
        XCTAssertEqual(uncalibrated.temperature, 1)
        config.candidates = []
        XCTAssertThrowsError(try AutoModel(config: config).fit(table, rows: [0, 1]))
    }
}

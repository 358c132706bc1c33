import Foundation
import XCTest
import PretextTestSupport
import PretextData
import PretextNN
import PretextSSL
@testable import PretextTransfer
@testable import PretextAuto

/// Self-training: confident, class-balanced pseudo-labels; the unlabeled rows' own
/// targets are never read; the candidate is scored on the same folds as the others.
final class SelfTrainingTests: XCTestCase {
    func testPseudoLabelsAreConfidentClassBalancedAndMostConfidentFirst() {
        // Six unlabeled rows (ids 10…15), three classes.
        let probabilities = Matrix(rows: 6, columns: 3, values: [
            0.90, 0.05, 0.05,   // 10 → class 0, 0.90
            0.97, 0.02, 0.01,   // 11 → class 0, 0.97
            0.80, 0.10, 0.10,   // 12 → class 0, 0.80
            0.10, 0.85, 0.05,   // 13 → class 1, 0.85
            0.40, 0.30, 0.30,   // 14 → below the threshold
            0.05, 0.05, 0.90,   // 15 → class 2, 0.90
        ])
        let quotas = PseudoLabels.quotas(labels: [0, 0, 1, 2], classes: 3, ratio: 1)
        XCTAssertEqual(quotas, [2, 1, 1])
        let chosen = PseudoLabels.select(probabilities: probabilities, rows: Array(10...15), quotas: quotas, minimumConfidence: 0.75)
        XCTAssertEqual(chosen.map(\.row), [11, 10, 13, 15], "class 0 keeps its two most confident; 12 is over quota; 14 is unsure")
        XCTAssertEqual(chosen.map(\.label), [0, 0, 1, 2])
        XCTAssertEqual(PseudoLabels.quotas(labels: [0, 1, 1], classes: 2, ratio: 1.5), [2, 3])
    }

    func testPseudoLabeledTableCopiesClassValuesAndTouchesNothingElse() throws {
        let table = try loadTable("penguins.csv")
        let target = try TargetEncoder.fit(table, rows: Array(0..<table.rowCount), task: try TaskType.infer(for: table.target!, path: "penguins"))
        let rows = [0, 200, 300]
        let labels = try target.classIndices(table, rows: rows)
        let unlabeled = [5, 6, 7]
        let copy = try SelfTrainer.pseudoLabeled(table, [(5, labels[1]), (7, labels[2])], like: rows, labels: labels)
        XCTAssertEqual(copy.target!.text(at: 5), table.target!.text(at: 200))
        XCTAssertEqual(copy.target!.text(at: 7), table.target!.text(at: 300))
        XCTAssertEqual(copy.target!.text(at: 6), table.target!.text(at: 6))
        for column in table.columns where column.role != .target { XCTAssertEqual(copy[column.name], column) }
        XCTAssertEqual(unlabeled.count, 3)
    }

    /// The unlabeled rows' true classes (compare hides them; a user's file may not have
    /// them) must not change anything: scrambling them gives the same model.
    func testHiddenLabelsOfUnlabeledRowsAreNeverRead() throws {
        var table = try loadTable("wine.csv")
        let budget = Array(0..<8) + Array(60..<68) + Array(131..<139)
        var config = AutoConfig()
        config.pretraining = quickScarf(seed: 1, epochs: 2, width: 16)
        config.fineTune.training.maximumEpochs = 60
        config.fineTune.headWidth = 16
        config.selection.learningRates = [1e-3]
        config.selection.strategies = [.full]
        config.selection.folds = 3
        config.selection.repeats = 1
        config.candidates = [.selfTraining]
        config.selfTraining.minimumConfidence = 0   // every row eligible: the quota decides
        config.seed = 1
        let first = try AutoModel(config: config).fit(table, rows: budget)
        let choice = try XCTUnwrap(first.choice)
        XCTAssertEqual(choice.candidates.map(\.name), ["scarf+self-training"])
        XCTAssertEqual(choice.validation, "3-fold stratified cross-validation × 1 on the labeled rows")
        XCTAssertTrue(choice.candidates[0].loss.isFinite)
        XCTAssertTrue(choice.candidates[0].detail.contains("pseudo-labels"), choice.candidates[0].detail)
        let pseudoCount = Int(choice.candidates[0].detail.split(separator: ",").first { $0.contains("pseudo-labels") }!
            .trimmingCharacters(in: .whitespaces).split(separator: " ")[0])!
        XCTAssertTrue((1...24).contains(pseudoCount), "at most the quota, one per labeled row: \(pseudoCount)")

        // Scramble every non-budget row's class.
        let budgetSet = Set(budget)
        guard case .categorical(var codes, let vocabulary) = table.target!.storage else { return XCTFail("wine's target is categorical") }
        for row in 0..<table.rowCount where !budgetSet.contains(row) { codes[row] = (codes[row] + 1) % Int32(vocabulary.count) }
        let index = table.columns.firstIndex { $0.role == .target }!
        table.columns[index].storage = .categorical(codes: codes, vocabulary: vocabulary)
        try assertSame(first, config: config, table: table, budget: budget)
    }

    private func assertSame(_ first: AutoChoice, config: AutoConfig, table: Table, budget: [Int]) throws {
        let second = try AutoModel(config: config).fit(table, rows: budget)
        XCTAssertEqual(second.choice, first.choice)
        XCTAssertEqual(try second.predictor.predictions(table).predictions, try first.predictor.predictions(table).predictions)
    }

    /// With every row labeled there is nothing to pseudo-label: the model is SCARF with a
    /// linear probe at fixed settings (auto's rule when nothing validates), and its record
    /// says so rather than "self-training".
    func testNoUnlabeledRowsIsSaidAndNotCalledSelfTraining() throws {
        let table = try loadTable("wine.csv")
        var config = AutoConfig()
        config.pretraining = quickScarf(seed: 1, epochs: 2, width: 16)
        config.fineTune.training.maximumEpochs = 5
        config.candidates = [.selfTraining]
        let chosen = try AutoModel(config: config).fit(table, rows: Array(0..<table.rowCount))
        let choice = try XCTUnwrap(chosen.choice)
        XCTAssertEqual(choice.chosen, "scarf")
        XCTAssertTrue(choice.validation.contains("self-training was not possible"), choice.validation)
    }

    func testSelfTrainingRefusesRegression() throws {
        let table = try loadTable("diabetes.csv")
        var config = AutoConfig()
        config.candidates = [.selfTraining]
        XCTAssertThrowsError(try AutoModel(config: config).fit(table, rows: Array(0..<30))) {
            XCTAssertTrue("\($0)".contains("classification"), "\($0)")
        }
    }
}

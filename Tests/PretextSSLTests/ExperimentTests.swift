import XCTest
import PretextTestSupport
import PretextData
import PretextNN
import PretextSSL
import PretextTransfer
@testable import PretextReport

final class ExperimentTests: XCTestCase {
    func testRunsEveryCellOnNestedBudgetsAndSummarises() throws {
        let table = try loadTable("wine.csv")
        var configuration = LabelEfficiencyExperiment.Configuration()
        configuration.seeds = 2
        configuration.budgets = [.fraction(0.1), .fraction(1)]
        configuration.scarf = quickScarf(seed: 0, epochs: 5, width: 32)
        configuration.fineTune.training.maximumEpochs = 60
        configuration.fineTune.training.batchSize = 32
        configuration.fineTune.epochsWithoutValidation = 60
        configuration.fineTune.headWidth = 32
        configuration.supervised.architecture = .mlp(MLPConfig(depth: 1, hiddenWidth: 32))
        configuration.supervised.training.maximumEpochs = 10
        configuration.supervised.epochsWithoutValidation = 10
        configuration.trees.trials = 1
        configuration.trees.maximumRounds = 50
        configuration.trees.roundsWithoutValidation = 20
        var logged: [String] = []
        let cells = try LabelEfficiencyExperiment(configuration: configuration) { logged.append($0) }.run(table)
        XCTAssertEqual(cells.count, 2 * 2 * 5)
        XCTAssertEqual(logged.count, 20)
        XCTAssertTrue(logged[0].hasPrefix("cell 1/20: seed 0, 10% labels"))
        // Budgets: 10% of the 124 training rows of a 70/10/20 split, and all of them.
        XCTAssertEqual(Set(cells.filter { $0.budget == "10%" }.map(\.labeledRows)), [12])
        XCTAssertEqual(Set(cells.filter { $0.budget == "100%" }.map(\.labeledRows)), [124])
        for cell in cells {
            // At 100% every method learns: above the majority class's 0.40 (well above for the
            // fully trained ones; the linear ones get only a few steps at these settings).
            let fullyTrained: [LabelEfficiencyExperiment.Method] = [.xgboost, .scratch, .scarfFull]
            if cell.budget == "100%" { XCTAssertGreaterThan(cell.scores.accuracy!, fullyTrained.contains(cell.method) ? 0.75 : 0.5, "\(cell)") }
            // Pretraining time is counted once per seed for the pretrained methods only.
            XCTAssertEqual(cell.pretrainingSeconds > 0, cell.method.objective != nil, "\(cell)")
            XCTAssertEqual(cell.tuning != nil, cell.method == .xgboost, "\(cell)")
        }
        XCTAssertTrue(cells.filter { $0.method == .xgboost && $0.budget == "10%" }.allSatisfy { $0.tuning!.contains("cross-validation") })
        let report = ComparisonReport(cells: cells, table: table, budgets: ["10%", "100%"],
                                      methods: LabelEfficiencyExperiment.Method.defaults, settings: [:])
        XCTAssertEqual(report.budgets.map(\.labeledRows), [12, 124])
        XCTAssertEqual(report.budgets[0].methods.map(\.method), ["xgboost", "linear", "scratch", "scarf-linear-probe", "scarf-full"])
        XCTAssertEqual(report.budgets[0].verdicts.count, 4 + 3)   // 4 against XGBoost, 3 against the same network from scratch
        XCTAssertTrue(report.budgets.allSatisfy { $0.verdicts.allSatisfy { $0.adjustedP >= $0.p } })
    }

    /// `--development`: the cells learn and test on the split carved from the rows the
    /// seed's test part leaves (wine: 142 of 178 → 99 training rows, not 124), and the
    /// report says so.
    func testADevelopmentRunNeverReadsTheTestRows() throws {
        let table = try loadTable("wine.csv")
        var configuration = LabelEfficiencyExperiment.Configuration()
        configuration.seeds = 1
        configuration.budgets = [.fraction(1)]
        configuration.methods = [.linear]
        XCTAssertNil(configuration.settingsSummary["split"])
        configuration.split.development = true
        let cells = try LabelEfficiencyExperiment(configuration: configuration).run(table)
        XCTAssertEqual(cells.map(\.labeledRows), [99])
        XCTAssertGreaterThan(cells[0].scores.accuracy!, 0.8)
        XCTAssertTrue(configuration.settingsSummary["split"]?.contains("set aside unread") == true)
    }

    /// `recordCandidates` keeps each of `auto`'s candidates, refit on the budget rows and
    /// scored on the cell's test rows: the served candidate's record has the cell's scores,
    /// the test probabilities give the recorded scores, and every candidate's out-of-fold
    /// predictions are on the same labeled rows (what `scripts/auto-rule-study.py` pairs).
    func testRecordedCandidatesAreAutosAlternatives() throws {
        let table = try loadTable("wine.csv")
        var configuration = LabelEfficiencyExperiment.Configuration()
        configuration.seeds = 1
        configuration.budgets = [.fraction(0.25)]
        configuration.methods = [.auto]
        configuration.split.development = true
        let quick = quickAutoConfig()
        (configuration.scarf, configuration.fineTune, configuration.selection, configuration.trees)
            = (quick.pretraining, quick.fineTune, quick.selection, quick.trees)
        XCTAssertNil(try LabelEfficiencyExperiment(configuration: configuration).run(table)[0].candidates, "off by default")
        configuration.recordCandidates = true
        let cell = try LabelEfficiencyExperiment(configuration: configuration).run(table)[0]
        let records = try XCTUnwrap(cell.candidates)
        XCTAssertEqual(records.map(\.name), ["scarf", "scratch", "xgboost", "linear", "scarf+self-training"])
        let tuning = try XCTUnwrap(cell.tuning)
        if let served = records.first(where: { tuning.hasPrefix("chose \($0.name) (") }) {
            XCTAssertEqual(served.scores, cell.scores, "the served candidate's record is the cell")
        } else {
            XCTAssertTrue(tuning.hasPrefix("chose ensemble"), tuning)
        }
        let testRows = try XCTUnwrap(records[0].testClasses).count
        XCTAssertGreaterThan(testRows, 20, "the development split's test part of wine's 142 non-test rows")
        let outOfFoldRows = try XCTUnwrap(records[0].outOfFoldRows)
        XCTAssertEqual(Set(outOfFoldRows).count, cell.labeledRows, "every labeled row predicted out of fold")
        for record in records {
            XCTAssertTrue(tuning.contains("\(record.name) \(String(format: "%.3f", record.loss))"), "\(record.name): its selection loss")
            XCTAssertEqual(record.outOfFoldRows, outOfFoldRows, "\(record.name): the same folds")
            XCTAssertTrue(try XCTUnwrap(record.outOfFoldProbabilities).allSatisfy { $0 > 0 && $0 <= 1 })
            let classes = try XCTUnwrap(record.classNames).count, probabilities = try XCTUnwrap(record.testProbabilities)
            XCTAssertEqual(probabilities.count, testRows * classes)
            let truth = try XCTUnwrap(record.testClasses)
            var correct = 0
            for row in 0..<testRows {
                let p = probabilities[(row * classes)..<((row + 1) * classes)]
                XCTAssertEqual(Double(p.reduce(0, +)), 1, accuracy: 1e-4)
                if p.firstIndex(of: p.max()!)! - row * classes == truth[row] { correct += 1 }
            }
            XCTAssertEqual(Double(correct) / Double(testRows), record.scores.accuracy!, accuracy: 1e-12, record.name)
        }
    }

    func testScoresAndSummaries() {
        let predictions = Predictions(classNames: ["a", "b"], task: .binaryClassification,
                                      probabilities: Matrix(rows: 4, columns: 2, values: [0.9, 0.1, 0.2, 0.8, 0.6, 0.4, 0.3, 0.7]))
        let scores = Scores.classification(predictions, truth: ["a", "b", "b", "b"])
        XCTAssertEqual(scores.accuracy, 0.75)
        // F1(a) = 2·1/(2+1+0) = 2/3; F1(b) = 2·2/(4+0+1) = 0.8.
        XCTAssertEqual(scores.macroF1!, (2.0 / 3 + 0.8) / 2, accuracy: 1e-12)
        XCTAssertEqual(scores.logLoss!, -(log(0.9) + log(0.8) + log(0.4) + log(0.7)) / 4, accuracy: 1e-6)
        let regression = Scores.regression([1, 2, 3], truth: [1, 2, 5])
        XCTAssertEqual(regression.rmse!, (4.0 / 3).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(regression.mae!, 2.0 / 3, accuracy: 1e-12)
        let summary = Summary([1, 2, 3, 4])
        XCTAssertEqual(summary.mean, 2.5)
        XCTAssertEqual(summary.standardDeviation, (5.0 / 3).squareRoot(), accuracy: 1e-12)
    }
}

final class ObjectiveMethodTests: XCTestCase {
    func testMethodNamesParseAndSupervisedNeedsAnUpstreamColumn() throws {
        typealias Method = LabelEfficiencyExperiment.Method
        XCTAssertEqual(Method(rawValue: "vicreg-linear-probe")?.objective, .vicreg)
        XCTAssertEqual(Method(rawValue: "scarf+reconstruct-freeze-then-unfreeze")?.strategy, .freezeThenUnfreeze)
        XCTAssertEqual(Method(rawValue: "scarf+reconstruct-full")?.title, "SCARF+reconstruction + full fine-tune")
        XCTAssertNil(Method(rawValue: "simclr-full"))
        XCTAssertNil(Method(rawValue: "scarf-partial"))
        XCTAssertEqual(Method(rawValue: "xgboost"), .xgboost)

        let table = try loadTable("penguins.csv")
        var configuration = LabelEfficiencyExperiment.Configuration()
        configuration.seeds = 1
        configuration.budgets = [.fraction(0.5)]
        configuration.methods = [Method(rawValue: "supervised-linear-probe")!, Method(rawValue: "vicreg-full")!]
        configuration.scarf = quickScarf(seed: 0, epochs: 3, width: 16)
        configuration.fineTune.training.maximumEpochs = 3
        XCTAssertThrowsError(try LabelEfficiencyExperiment(configuration: configuration).run(table))
        configuration.upstreamColumn = "island"
        let cells = try LabelEfficiencyExperiment(configuration: configuration).run(table)
        XCTAssertEqual(cells.map(\.method.rawValue), ["supervised-linear-probe", "vicreg-full"])
        XCTAssertTrue(cells.allSatisfy { $0.scores.accuracy! > 0.3 })
    }
}

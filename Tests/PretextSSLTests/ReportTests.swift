import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
import PretextTestSupport
import PretextData
import PretextNN
@testable import PretextReport

final class StatisticsTests: XCTestCase {
    /// Reference values from scipy.stats.ttest_rel(a, b) (SciPy 1.17.1).
    func testPairedTMatchesSciPy() {
        let cases: [([Double], [Double], Double, Double)] = [
            ([0.81, 0.79, 0.84, 0.80, 0.83], [0.78, 0.80, 0.79, 0.77, 0.80], 2.653613888015109, 0.05676723381232179),
            ([0.5, 0.52, 0.49], [0.51, 0.50, 0.52], -0.45883146774112354, 0.6913933000758161),
            ([1.0, 2.0, 3.0, 4.0, 5.5, 6.1], [0.9, 2.2, 2.7, 4.4, 5.0, 6.0], 0.49999999999999856, 0.63829887164093),
        ]
        for (a, b, t, p) in cases {
            let result = Statistics.pairedT(a, b)
            XCTAssertEqual(result.t, t, accuracy: 1e-9)
            XCTAssertEqual(result.p, p, accuracy: 1e-9)
            XCTAssertEqual(result.degreesOfFreedom, Double(a.count - 1))
        }
        // Differences that do not vary: never p = 0. All zero → 1; all alike → the sign
        // test's 2^(1−n) (scipy.stats.binomtest(5, 5).pvalue = 0.0625).
        XCTAssertEqual(Statistics.pairedT([1, 1, 1], [1, 1, 1]).p, 1)
        XCTAssertEqual(Statistics.pairedT([2, 3, 4, 5, 6], [1, 2, 3, 4, 5]).p, 0.0625)
        XCTAssertEqual(Statistics.pairedT([0.7, 0.7, 0.7], [0.8, 0.8, 0.8]).p, 0.25)
        XCTAssertEqual(Statistics.pairedT([1], [2]).p, 1)
        // Pairing matters: an unpaired test sees two overlapping samples, the paired one a
        // consistent +0.01 with a little noise.
        XCTAssertLessThan(Statistics.pairedT([0.70, 0.80, 0.90, 0.75], [0.69, 0.79, 0.885, 0.74]).p, 0.01)
    }

    /// Holm (1979) worked by hand: sorted p · (m − rank), made monotone.
    func testHolmAdjustment() {
        let adjusted = Statistics.holm([0.01, 0.04, 0.03, 0.005])
        for (value, expected) in zip(adjusted, [0.03, 0.06, 0.06, 0.02]) { XCTAssertEqual(value, expected, accuracy: 1e-12) }
        for (value, expected) in zip(Statistics.holm([0.2, 0.9, 0.01]), [0.4, 0.9, 0.03]) { XCTAssertEqual(value, expected, accuracy: 1e-12) }
        XCTAssertEqual(Statistics.holm([0.6, 0.7]), [1, 1])
        // A p that passes alone can fail once several verdicts are made together.
        let verdicts = Statistics.pairedVerdicts([([2, 3, 4, 5, 6.1], [1, 2, 3, 4, 5]), ([1, 2, 3, 4, 5], [1, 2, 3, 4, 5])])
        XCTAssertLessThan(verdicts[0].p, 0.05)
        XCTAssertEqual(verdicts[0].adjustedP, min(1, 2 * verdicts[0].p), accuracy: 1e-12)
        XCTAssertEqual(verdicts[1].outcome, "tie")
        XCTAssertEqual(Statistics.pairedVerdicts([([0.5], [0.4])])[0].outcome, "untested")
        XCTAssertEqual(Statistics.pairedVerdicts([([1, 2, 3], [1.5, 2.6, 3.4])], higherIsBetter: false)[0].difference, -0.5, accuracy: 1e-12)
    }

    func testConfidenceHalfWidth() {
        // 95% half-width: t(0.975, 4) = 2.7764451051977934 times s/√n.
        XCTAssertEqual(Statistics.confidenceHalfWidth([1, 2, 3, 4, 5]), 2.7764451051977934 * 2.5.squareRoot() / 5.0.squareRoot(), accuracy: 1e-9)
    }
}

final class ReportTests: XCTestCase {
    /// Fixed cells (no training) so the rendering is deterministic.
    func sampleReport(seeds: Int = 3) -> ComparisonReport {
        let target = Column(name: "label", type: .categorical, role: .target,
                            storage: .categorical(codes: [0, 1, 0, 1, -1, 0], vocabulary: ["no", "yes"]))
        let feature = Column(name: "x", type: .numeric, storage: .numeric([1, 2, 3, 4, 5, 6]))
        let table = Table(columns: [feature, target], source: "data/sample.csv")
        let methods: [LabelEfficiencyExperiment.Method] = [.xgboost, .scratch, .scarfFull]
        let accuracy: [LabelEfficiencyExperiment.Method: [String: [Double]]] = [
            .xgboost: ["5%": [0.80, 0.81, 0.79], "100%": [0.95, 0.96, 0.94]],
            .scratch: ["5%": [0.78, 0.80, 0.79], "100%": [0.93, 0.94, 0.95]],
            .scarfFull: ["5%": [0.86, 0.88, 0.85], "100%": [0.90, 0.92, 0.89]],
        ]
        var cells: [LabelEfficiencyExperiment.Cell] = []
        for method in methods {
            for budget in ["5%", "100%"] {
                for (seed, value) in accuracy[method]![budget]!.prefix(seeds).enumerated() {
                    cells.append(.init(method: method, budget: budget, seed: seed, labeledRows: budget == "5%" ? 20 : 400,
                                       scores: Scores(accuracy: value, macroF1: value - 0.02, logLoss: 1 - value),
                                       seconds: 1, pretrainingSeconds: method == .scarfFull ? 12 : 0,
                                       tuning: method == .xgboost ? "21 settings by 5-fold stratified cross-validation × 2, refit on all rows" : nil))
                }
            }
        }
        return ComparisonReport(cells: cells, table: table, budgets: ["5%", "100%"], methods: methods, settings: ["seed": "0"])
    }

    func golden(_ text: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name)")
        if ProcessInfo.processInfo.environment["PRETEXT_RECORD_GOLDEN"] == "1" {
            try text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        XCTAssertEqual(text, try String(contentsOf: url, encoding: .utf8), "golden \(name); re-record with PRETEXT_RECORD_GOLDEN=1", file: file, line: line)
    }

    func testMarkdownAndJSONMatchTheGoldenFiles() throws {
        let report = sampleReport()
        try golden(report.markdown(), "report.md")
        try golden(String(decoding: try report.json(), as: UTF8.self), "report.json")
        // The conclusion states the verdicts in words.
        XCTAssertTrue(report.conclusion[0].contains("SCARF + full fine-tune beat XGBoost by 6.3"), report.conclusion[0])
        XCTAssertTrue(report.conclusion[0].contains("Pretraining helped"), report.conclusion[0])
        XCTAssertTrue(report.conclusion[1].contains("XGBoost beat SCARF + full fine-tune by 4.7"), report.conclusion[1])
        XCTAssertTrue(report.conclusion[1].contains("Pretraining hurt") || report.conclusion[1].contains("no significant difference"), report.conclusion[1])
    }

    func testOneSeedIsNotCalledATie() {
        let report = sampleReport(seeds: 1)
        XCTAssertTrue(report.budgets.allSatisfy { $0.verdicts.allSatisfy { $0.outcome == "untested" } })
        XCTAssertTrue(report.conclusion[0].contains("SCARF + full fine-tune vs XGBoost: +6.0 accuracy points (one seed, so no significance test)."),
                      report.conclusion[0])
    }

    func testSVGIsXMLWithOneSeriesPerMethod() throws {
        let report = sampleReport()
        final class Counter: NSObject, XMLParserDelegate {
            var series: [String] = []
            var polylines = 0
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
                if name == "g", attributes["class"] == "series" { series.append(attributes["data-method"] ?? "") }
                if name == "polyline" { polylines += 1 }
            }
        }
        let counter = Counter()
        let parser = XMLParser(data: Data(report.svg().utf8))
        parser.delegate = counter
        XCTAssertTrue(parser.parse(), "the SVG must be well-formed XML")
        XCTAssertEqual(counter.series, ["xgboost", "scratch", "scarf-full"])
        XCTAssertEqual(counter.polylines, 3)
        let html = report.html()
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertFalse(html.contains("<script"), "no scripts")
        XCTAssertFalse(html.contains("http://") && !html.contains("http://www.w3.org/2000/svg"), "no external resources")
    }

    func testInterruptedRunsResumeFromFinishedCells() throws {
        let table = try loadTable("wine.csv")
        let cache = NSTemporaryDirectory() + "pretext-cells-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: cache) }
        var configuration = LabelEfficiencyExperiment.Configuration()
        configuration.seeds = 1
        configuration.budgets = [.fraction(1)]
        configuration.methods = [.xgboost, .linear]
        configuration.trees.trials = 1
        configuration.trees.maximumRounds = 50
        configuration.supervised.training.maximumEpochs = 5
        configuration.cacheDirectory = cache
        let first = try LabelEfficiencyExperiment(configuration: configuration).run(table)
        // Simulate an interruption: one cell's file is lost.
        try FileManager.default.removeItem(atPath: cache + "/seed0-100pct-linear.json")
        var logged: [String] = []
        let second = try LabelEfficiencyExperiment(configuration: configuration) { logged.append($0) }.run(table)
        // Identical results; only the recomputed cell's wall time differs.
        XCTAssertEqual(second.map(\.scores), first.map(\.scores))
        XCTAssertEqual(second[0], first[0])
        XCTAssertTrue(logged[0].contains("kept from an earlier run"))
        XCTAssertFalse(logged[1].contains("kept from an earlier run"))
        // Other settings do not reuse the cells.
        configuration.trees.maximumRounds = 60
        var third: [String] = []
        _ = try LabelEfficiencyExperiment(configuration: configuration) { third.append($0) }.run(table)
        XCTAssertFalse(third.contains { $0.contains("kept") })
    }
}

final class AUCTests: XCTestCase {
    /// Positives score 0.35, 0.8, 0.4; negatives 0.1, 0.4, 0.2. Pairs won: 2 + 3 + 2.5
    /// (0.4 vs 0.4 ties for a half) = 7.5 of 9; scipy.stats.mannwhitneyu gives U = 7.5.
    func testROCAUCWithTiesMatchesScikitLearn() {
        let auc = Scores.rocAUC(scores: [0.1, 0.4, 0.35, 0.8, 0.4, 0.2], positives: [false, false, true, true, true, false])
        XCTAssertEqual(auc!, 7.5 / 9.0, accuracy: 1e-12)
        XCTAssertNil(Scores.rocAUC(scores: [0.1, 0.2], positives: [true, true]))
    }
}

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
    /// Reference values from scipy.stats.ttest_ind(a, b, equal_var=False) and t.ppf.
    func testWelchMatchesSciPy() {
        let cases: [([Double], [Double], Double, Double)] = [
            ([0.91, 0.93, 0.92, 0.95, 0.90], [0.88, 0.89, 0.90, 0.87, 0.91], 2.8736848324284017, 0.02152400418154039),
            ([1, 2, 3, 4], [2, 4, 6, 8, 10, 12], -2.713602101199873, 0.03182444378084147),
            ([0.5, 0.52], [0.51, 0.49, 0.50], 0.8660254037844386, 0.4920962956395106),
        ]
        for (a, b, t, p) in cases {
            let result = Statistics.welch(a, b)
            XCTAssertEqual(result.t, t, accuracy: 1e-9)
            XCTAssertEqual(result.p, p, accuracy: 1e-9)
        }
        XCTAssertEqual(Statistics.welch([1, 1, 1], [1, 1, 1]).p, 1)
        XCTAssertEqual(Statistics.welch([1, 1, 1], [2, 2, 2]).p, 0)
        XCTAssertEqual(Statistics.welch([1], [2, 3]).p, 1)
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
        let methods: [LabelEfficiencyExperiment.Method] = [.xgboost, .mlp, .scarfFull]
        let accuracy: [LabelEfficiencyExperiment.Method: [String: [Double]]] = [
            .xgboost: ["5%": [0.80, 0.81, 0.79], "100%": [0.95, 0.96, 0.94]],
            .mlp: ["5%": [0.78, 0.80, 0.79], "100%": [0.93, 0.94, 0.95]],
            .scarfFull: ["5%": [0.86, 0.87, 0.85], "100%": [0.90, 0.91, 0.89]],
        ]
        var cells: [LabelEfficiencyExperiment.Cell] = []
        for method in methods {
            for budget in ["5%", "100%"] {
                for (seed, value) in accuracy[method]![budget]!.prefix(seeds).enumerated() {
                    cells.append(.init(method: method, budget: budget, seed: seed, labeledRows: budget == "5%" ? 20 : 400,
                                       scores: Scores(accuracy: value, macroF1: value - 0.02, logLoss: 1 - value),
                                       seconds: 1, fingerprint: "f"))
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
        XCTAssertTrue(report.conclusion[0].contains("SCARF + full fine-tune beat XGBoost by 6.0"), report.conclusion[0])
        XCTAssertTrue(report.conclusion[0].contains("Pretraining helped"), report.conclusion[0])
        XCTAssertTrue(report.conclusion[1].contains("XGBoost beat SCARF + full fine-tune by 5.0"), report.conclusion[1])
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
        XCTAssertEqual(counter.series, ["xgboost", "mlp", "scarf-full"])
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

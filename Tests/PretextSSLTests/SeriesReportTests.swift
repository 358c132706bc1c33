import XCTest
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PretextReport

/// The series report: summaries, verdicts for a lower-is-better metric, and rendering.
final class SeriesReportTests: XCTestCase {
    func report() -> SeriesReport {
        var cells: [SeriesReport.Cell] = []
        for seed in 0..<4 {
            let jitter = Double(seed) * 0.01
            cells.append(.init(method: "seasonal-naive", point: "all history", size: 120, seed: seed, metrics: ["MASE": 1.2], seconds: 0))
            cells.append(.init(method: "scratch", point: "all history", size: 120, seed: seed, metrics: ["MASE": 0.90 + jitter + (seed % 2 == 0 ? 0.004 : -0.004)], seconds: 1))
            cells.append(.init(method: "pretrained-full", point: "all history", size: 120, seed: seed, metrics: ["MASE": 0.70 + jitter], seconds: 1))
        }
        return SeriesReport(title: "t", dataset: "d.csv", task: "forecasting", setup: ["s"], xAxis: "history", primaryMetric: "MASE",
                            higherIsBetter: false, metricOrder: ["MASE"], cells: cells, points: ["all history"],
                            methods: ["seasonal-naive", "scratch", "pretrained-full"],
                            titles: ["seasonal-naive": "Seasonal naive", "scratch": "Scratch", "pretrained-full": "Pretrained"],
                            scratch: "scratch", baselines: ["seasonal-naive"], references: ["ref"])
    }

    func testLowerIsBetterVerdictsAndSummaries() throws {
        let report = report()
        let point = try XCTUnwrap(report.points.first)
        XCTAssertEqual(point.methods.map(\.method), ["seasonal-naive", "scratch", "pretrained-full"])
        XCTAssertEqual(point.methods[1].metrics["MASE"]!.mean, 0.915, accuracy: 1e-12)
        // Lower MASE wins: the pretrained model beats both the scratch model and the best baseline.
        XCTAssertEqual(point.verdicts.map(\.against), ["scratch", "seasonal-naive"])
        XCTAssertEqual(point.verdicts.map(\.outcome), ["win", "win"])
        XCTAssertEqual(point.verdicts[0].difference, -0.2, accuracy: 1e-12)
        XCTAssertTrue(report.conclusion[0].contains("best mean MASE was Pretrained's (0.715)"), report.conclusion[0])
        XCTAssertTrue(report.markdown().contains("| Pretrained | 0.715 ± 0.013 | 1.0 |"), report.markdown())
    }

    func testOneSeedIsNotCalledATie() throws {
        let cells = report().points[0].methods.map {
            SeriesReport.Cell(method: $0.method, point: "all history", size: 120, seed: 0, metrics: ["MASE": $0.values[0]], seconds: 0)
        }
        let single = SeriesReport(title: "t", dataset: "d.csv", task: "forecasting", setup: [], xAxis: "history", primaryMetric: "MASE",
                                  higherIsBetter: false, metricOrder: ["MASE"], cells: cells, points: ["all history"],
                                  methods: ["seasonal-naive", "scratch", "pretrained-full"], titles: [:], scratch: "scratch",
                                  baselines: ["seasonal-naive"], references: [])
        XCTAssertEqual(single.points[0].verdicts.map(\.outcome), ["untested", "untested"])
        XCTAssertTrue(single.conclusion[0].contains("(one seed, so no significance test)"), single.conclusion[0])
    }

    func testRenderingIsWellFormedAndSelfContained() throws {
        let report = report()
        final class Counter: NSObject, XMLParserDelegate {
            var series: [String] = []
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
                if name == "g", attributes["class"] == "series" { series.append(attributes["data-method"] ?? "") }
            }
        }
        let counter = Counter()
        let parser = XMLParser(data: Data(report.svg().utf8))
        parser.delegate = counter
        XCTAssertTrue(parser.parse())
        XCTAssertEqual(counter.series, ["seasonal-naive", "scratch", "pretrained-full"])
        let html = report.html()
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>") && !html.contains("<script"))
        let decoded = try JSONDecoder().decode(SeriesReport.self, from: Data(try report.json()))
        XCTAssertEqual(decoded.markdown(), report.markdown())
    }
}

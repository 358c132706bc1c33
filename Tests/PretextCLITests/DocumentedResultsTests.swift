import Foundation
import XCTest

/// The results tables in README.md and the walkthroughs are copies of committed reports;
/// this test keeps them from going stale. Every Markdown table with a "mean ± sd" cell is
/// preceded by a marker naming its sources,
///
///     <!-- results: results/italy_power_demand results/coffee | accuracy -->
///
/// and its columns are, in order, every report × every point (label budget, history) of
/// that report × every metric named. Each row's first cell is a method's title in the
/// reports; each other cell must be what the report says, formatted as the scripts print
/// it: `mean ± sd` to 3 decimals, with `[mean − c95, mean + c95]` when the cell shows an
/// interval, `–` where the method did not run.
final class DocumentedResultsTests: XCTestCase {
    struct Marker {
        var reports: [String]
        var metrics: [String]
        var line: Int
    }

    /// One report's points, each a map from method title to metric summaries.
    typealias Report = [[String: [String: [String: Double]]]]

    static func report(_ directory: String, root: URL) throws -> Report {
        let url = root.appendingPathComponent(directory).appendingPathComponent("report.json")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
        // Series reports list "points", tabular reports "budgets"; both hold "methods".
        let points = (json["points"] ?? json["budgets"]) as? [[String: Any]] ?? []
        return points.map { point in
            var methods: [String: [String: [String: Double]]] = [:]
            for method in point["methods"] as? [[String: Any]] ?? [] {
                guard let title = method["title"] as? String else { continue }
                methods[title] = method["metrics"] as? [String: [String: Double]] ?? [:]
            }
            return methods
        }
    }

    static func cells(_ line: String) -> [String] {
        line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
            .map { $0.replacingOccurrences(of: "**", with: "").trimmingCharacters(in: .whitespaces) }
    }

    static func expected(_ summary: [String: Double]?, shown: String) -> String {
        guard let summary, let mean = summary["mean"], let sd = summary["standardDeviation"] else { return "–" }
        var text = String(format: "%.3f ± %.3f", mean, sd)
        if shown.contains("["), let half = summary["confidence95"] {
            text += String(format: " [%.3f, %.3f]", mean - half, mean + half)
        }
        return text
    }

    /// Mismatches between the marked tables of one Markdown file and their reports.
    static func mismatches(in file: String, root: URL = repositoryRoot) throws -> (checked: Int, problems: [String]) {
        let lines = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            .components(separatedBy: "\n")
        var problems: [String] = []
        var checked = 0
        var marker: Marker? = nil
        var index = 0
        while index < lines.count {
            let line = lines[index]
            if line.hasPrefix("<!-- results:") {
                let body = line.dropFirst("<!-- results:".count).replacingOccurrences(of: "-->", with: "")
                let parts = body.split(separator: "|")
                marker = Marker(reports: parts.first.map { $0.split(separator: " ").map(String.init) } ?? [],
                                metrics: parts.count > 1 ? parts[1].split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init) : [],
                                line: index + 1)
                index += 1
                continue
            }
            guard line.hasPrefix("|") else {
                if marker != nil && !line.trimmingCharacters(in: .whitespaces).isEmpty {
                    problems.append("\(file):\(marker!.line): marker not followed by a table")
                    marker = nil
                }
                index += 1
                continue
            }
            let start = index
            var table: [String] = []
            while index < lines.count && lines[index].hasPrefix("|") { table.append(lines[index]); index += 1 }
            guard let found = marker else {
                if table.contains(where: { $0.contains("±") }) {
                    problems.append("\(file):\(start + 1): a results table without a `<!-- results: … -->` marker")
                }
                continue
            }
            marker = nil
            checked += 1
            let reports = try found.reports.map { try report($0, root: root) }
            let columns = reports.flatMap { points in points.flatMap { point in found.metrics.map { (point, $0) } } }
            let header = cells(table[0])
            guard header.count - 1 == columns.count else {
                problems.append("\(file):\(start + 1): \(header.count - 1) columns, the marker's reports give \(columns.count)")
                continue
            }
            for (offset, row) in table.dropFirst(2).enumerated() {
                let values = cells(row)
                guard values.count == header.count else {
                    problems.append("\(file):\(start + 3 + offset): \(values.count) cells, the header has \(header.count)")
                    continue
                }
                let title = values[0]
                guard columns.contains(where: { $0.0[title] != nil }) else {
                    problems.append("\(file):\(start + 3 + offset): no method titled \"\(title)\" in \(found.reports.joined(separator: ", "))")
                    continue
                }
                for ((point, metric), shown) in zip(columns, values.dropFirst()) {
                    let wanted = expected(point[title]?[metric], shown: shown)
                    if shown != wanted {
                        problems.append("\(file):\(start + 3 + offset): \(title), \(metric): shows \(shown), the report says \(wanted)")
                    }
                }
            }
        }
        return (checked, problems)
    }

    func testResultsTablesMatchTheirReports() throws {
        let notebooks = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("notebooks-md").path)
            .filter { $0.hasSuffix(".md") }.sorted().map { "notebooks-md/\($0)" }
        var checked = 0
        for file in ["README.md"] + notebooks {
            let result = try Self.mismatches(in: file)
            checked += result.checked
            for problem in result.problems { XCTFail(problem) }
        }
        XCTAssertGreaterThanOrEqual(checked, 5, "the README's and walkthroughs' results tables were not found")
    }

    /// The checker itself: a stale cell, a missing marker, a wrong column count, an unknown
    /// method and a short row are caught.
    func testTheCheckerCatchesStaleCells() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("documented-\(UUID().uuidString)")
        let reportDirectory = directory.appendingPathComponent("results/demo")
        try FileManager.default.createDirectory(at: reportDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let json = #"{"points": [{"methods": [{"title": "A", "metrics": {"accuracy": {"mean": 0.5, "standardDeviation": 0.01, "confidence95": 0.02}}}]}]}"#
        try json.write(to: reportDirectory.appendingPathComponent("report.json"), atomically: true, encoding: .utf8)
        let marker = "<!-- results: results/demo | accuracy -->"
        let cases: [(String, Int)] = [
            ("\(marker)\n| method | acc |\n|---|---:|\n| A | 0.500 ± 0.010 |\n", 0),
            ("\(marker)\n| method | acc |\n|---|---:|\n| **A** | 0.500 ± 0.010 [0.480, 0.520] |\n", 0),
            ("\(marker)\n| method | acc |\n|---|---:|\n| A | 0.510 ± 0.010 |\n", 1),
            ("| method | acc |\n|---|---:|\n| A | 0.500 ± 0.010 |\n", 1),
            ("\(marker)\n| method | acc | more |\n|---|---:|---:|\n| A | 0.500 ± 0.010 | x |\n", 1),
            ("\(marker)\n| method | acc |\n|---|---:|\n| B | 0.500 ± 0.010 |\n", 1),
            ("\(marker)\n| method | acc |\n|---|---:|\n| A |\n", 1),
        ]
        for (text, count) in cases {
            try text.write(to: directory.appendingPathComponent("doc.md"), atomically: true, encoding: .utf8)
            let result = try Self.mismatches(in: "doc.md", root: directory)
            XCTAssertEqual(result.problems.count, count, "\(text): \(result.problems)")
            XCTAssertEqual(result.checked, text.hasPrefix("<!--") ? 1 : 0)
        }
    }
}

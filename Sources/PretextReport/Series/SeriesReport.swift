import Foundation

/// What `pretext series compare` reports — for classification the label-efficiency
/// curve, for forecasting error against how much history of the target series is
/// available — with verdicts (a paired t-test over seeds, Holm-adjusted p < 0.05 across
/// each point's verdicts) and a conclusion in plain words. Codable: `report.json` is this value.
public struct SeriesReport: Codable, Sendable {
    public struct MethodResult: Codable, Sendable {
        public var method: String
        public var title: String
        public var metrics: [String: ComparisonReport.MetricSummary]
        /// The primary metric per seed.
        public var values: [Double]
        public var seconds: Double
    }

    public struct Verdict: Codable, Sendable {
        public var method: String
        public var against: String
        /// "win", "tie" or "loss" for `method`; "untested" with fewer than two seeds.
        public var outcome: String
        public var difference: Double
        /// The paired t-test's p, and Holm's adjustment over the point's verdicts (which decides).
        public var p: Double
        public var adjustedP: Double
    }

    /// One point of the x axis: a label budget, or an amount of history.
    public struct Point: Codable, Sendable {
        public var label: String
        /// Labeled series, or history steps.
        public var size: Int
        public var methods: [MethodResult]
        public var verdicts: [Verdict]
    }

    public var title: String
    public var dataset: String
    public var task: String
    public var setup: [String]
    public var xAxis: String
    public var primaryMetric: String
    public var higherIsBetter: Bool
    public var metricOrder: [String]
    public var points: [Point]
    public var references: [String]
    public var conclusion: [String]

    public struct Cell: Codable, Sendable, Equatable {
        public var method: String
        public var point: String
        public var size: Int
        public var seed: Int
        public var metrics: [String: Double]
        public var seconds: Double

        public init(method: String, point: String, size: Int, seed: Int, metrics: [String: Double], seconds: Double) {
            self.method = method
            self.point = point
            self.size = size
            self.seed = seed
            self.metrics = metrics
            self.seconds = seconds
        }
    }

    /// Summaries and verdicts from cells. `titles` names methods; every pretrained
    /// method (`pretrained-…`, `contrastive-…`) and `auto` is compared against `scratch`
    /// and the best baseline in `baselines`.
    public init(title: String, dataset: String, task: String, setup: [String], xAxis: String, primaryMetric: String, higherIsBetter: Bool,
                metricOrder: [String], cells: [Cell], points: [String], methods: [String], titles: [String: String],
                scratch: String, baselines: [String], references: [String]) {
        self.title = title
        self.dataset = dataset
        self.task = task
        self.setup = setup
        self.xAxis = xAxis
        self.primaryMetric = primaryMetric
        self.higherIsBetter = higherIsBetter
        self.metricOrder = metricOrder
        self.references = references
        self.points = points.map { point in
            let mine = cells.filter { $0.point == point }
            let results = methods.compactMap { method -> MethodResult? in
                let runs = mine.filter { $0.method == method }.sorted { $0.seed < $1.seed }
                guard !runs.isEmpty else { return nil }
                var metrics: [String: ComparisonReport.MetricSummary] = [:]
                for name in metricOrder {
                    let values = runs.compactMap { $0.metrics[name] }.filter { $0.isFinite }
                    guard values.count == runs.count else { continue }
                    let summary = Summary(values)
                    metrics[name] = .init(mean: summary.mean, standardDeviation: summary.standardDeviation,
                                          confidence95: Statistics.confidenceHalfWidth(values))
                }
                return MethodResult(method: method, title: titles[method] ?? method, metrics: metrics,
                                    values: runs.map { $0.metrics[primaryMetric] ?? .nan },
                                    seconds: runs.reduce(0) { $0 + $1.seconds } / Double(runs.count))
            }
            let sign = higherIsBetter ? 1.0 : -1.0
            let bestBaseline = results.filter { baselines.contains($0.method) }
                .max { sign * Summary($0.values).mean < sign * Summary($1.values).mean }
            // Pretrained methods against the scratch model and the best baseline, paired by seed.
            func perSeed(_ method: String) -> [Int: Double] {
                Dictionary(mine.filter { $0.method == method }.map { ($0.seed, $0.metrics[primaryMetric] ?? .nan) }) { first, _ in first }
            }
            var pairs: [(method: String, against: String, values: [Double], reference: [Double])] = []
            for result in results where result.method.hasPrefix("pretrained") || result.method.hasPrefix("contrastive") || result.method == "auto" {
                for reference in [results.first { $0.method == scratch }, bestBaseline].compactMap({ $0 }) {
                    let values = perSeed(result.method), base = perSeed(reference.method)
                    let seeds = values.keys.filter { base[$0] != nil }.sorted()
                    pairs.append((result.method, reference.method, seeds.map { values[$0]! }, seeds.map { base[$0]! }))
                }
            }
            let tested = Statistics.pairedVerdicts(pairs.map { ($0.values, $0.reference) }, higherIsBetter: higherIsBetter)
            let verdicts = zip(pairs, tested).map { pair, verdict in
                Verdict(method: pair.method, against: pair.against, outcome: verdict.outcome, difference: verdict.difference,
                        p: verdict.p, adjustedP: verdict.adjustedP)
            }
            return Point(label: point, size: mine.first?.size ?? 0, methods: results, verdicts: verdicts)
        }
        conclusion = []
        conclusion = makeConclusion(titles: titles)
    }

    private func makeConclusion(titles: [String: String]) -> [String] {
        points.map { point in
            let sign = higherIsBetter ? 1.0 : -1.0
            guard let best = point.methods.max(by: { sign * Summary($0.values).mean < sign * Summary($1.values).mean }) else { return "" }
            var sentence = "At \(point.label) the best mean \(primaryMetric) was \(best.title)'s (\(String(format: "%.3f", Summary(best.values).mean)))."
            for verdict in point.verdicts {
                let name = titles[verdict.method] ?? verdict.method, other = titles[verdict.against] ?? verdict.against
                let p = String(format: "%.2g", verdict.adjustedP)
                switch verdict.outcome {
                case "win": sentence += " \(name) beat \(other) (\(primaryMetric) \(String(format: "%+.3f", verdict.difference)), p = \(p))."
                case "loss": sentence += " \(other) beat \(name) (\(primaryMetric) \(String(format: "%+.3f", -verdict.difference)), p = \(p))."
                case "untested": sentence += " \(name) vs \(other): difference \(String(format: "%+.3f", verdict.difference)) (one seed, so no significance test)."
                default: sentence += " \(name) and \(other) were level (difference \(String(format: "%+.3f", verdict.difference)), p = \(p))."
                }
            }
            return sentence
        }
    }

    /// `report.md`.
    public func markdown() -> String {
        var lines = ["# \(title)", "", "## Conclusion", ""]
        lines += conclusion.map { "- \($0)" }
        if !references.isEmpty {
            lines += ["", "## Where this stands", ""]
            lines += references.map { "- \($0)" }
        }
        lines += ["", "## Setup", ""]
        lines += setup.map { "- \($0)" }
        lines.append("")
        for point in points {
            let metrics = metricOrder.filter { metric in point.methods.contains { $0.metrics[metric] != nil } }
            lines.append("## \(point.label)")
            lines.append("")
            lines.append("| method | " + metrics.joined(separator: " | ") + " | seconds |")
            lines.append("|---|" + metrics.map { _ in "---:" }.joined(separator: "|") + "|---:|")
            for result in point.methods {
                let cells = metrics.map { metric in
                    result.metrics[metric].map { String(format: "%.3f ± %.3f", $0.mean, $0.standardDeviation) } ?? ""
                }
                lines.append("| \(result.title) | " + cells.joined(separator: " | ") + String(format: " | %.1f |", result.seconds))
            }
            lines.append("")
        }
        lines.append("Mean ± standard deviation over seeds. \(higherIsBetter ? "Higher" : "Lower") \(primaryMetric) is better. Verdicts: paired t-test over seeds, Holm-adjusted p < 0.05 across each point's verdicts.")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `report.json`: every number.
    public func json() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return Array(try encoder.encode(self))
    }

    /// The chart: mean primary metric per method at each point (evenly spaced), error
    /// bars of one standard deviation.
    public func svg(width: Double = 640, height: Double = 360) -> String {
        let methods = points.flatMap { $0.methods.map(\.method) }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let series = methods.map { method in
            LineChart.Series(key: method, title: points.flatMap(\.methods).first { $0.method == method }?.title ?? method,
                             points: points.enumerated().compactMap { position, point in
                                 point.methods.first { $0.method == method }?.metrics[primaryMetric].map {
                                     LineChart.Point(x: Double(position), mean: $0.mean, deviation: $0.standardDeviation)
                                 }
                             })
        }
        return LineChart(series: series, xTicks: points.enumerated().map { (Double($0.offset), $0.element.label) }, xLabel: xAxis,
                         yLabel: "\(primaryMetric) (\(higherIsBetter ? "higher" : "lower") is better)").svg(width: width, height: height)
    }

    /// `report.html`: one self-contained page with the chart and the tables.
    public func html() -> String {
        let escape = ComparisonReport.escape
        var body = ["<h1>\(escape(title))</h1>", "<h2>Conclusion</h2>", "<ul>"] + conclusion.map { "<li>\(escape($0))</li>" } + ["</ul>"]
        if !references.isEmpty { body += ["<h2>Where this stands</h2>", "<ul>"] + references.map { "<li>\(escape($0))</li>" } + ["</ul>"] }
        body += ["<h2>\(escape(primaryMetric)) by \(escape(xAxis))</h2>", svg(), "<h2>Setup</h2>", "<ul>"] + setup.map { "<li>\(escape($0))</li>" } + ["</ul>"]
        for point in points {
            let metrics = metricOrder.filter { metric in point.methods.contains { $0.metrics[metric] != nil } }
            body.append("<h2>\(escape(point.label))</h2>")
            body.append("<table><tr><th>method</th>" + metrics.map { "<th>\(escape($0))</th>" }.joined() + "<th>seconds</th></tr>")
            for result in point.methods {
                body.append("<tr><td>\(escape(result.title))</td>" + metrics.map { metric in
                    result.metrics[metric].map { String(format: "<td>%.3f ± %.3f</td>", $0.mean, $0.standardDeviation) } ?? "<td></td>"
                }.joined() + String(format: "<td>%.1f</td></tr>", result.seconds))
            }
            body.append("</table>")
        }
        body.append("<p>Mean ± standard deviation over seeds. Every number is in report.json.</p>")
        return LineChart.page(title: "Pretext report: \(dataset)", body: body)
    }
}

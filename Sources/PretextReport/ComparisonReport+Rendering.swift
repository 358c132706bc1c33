import Foundation

public extension ComparisonReport {
    /// `report.md`: setup, one results table per budget, verdicts, conclusion.
    func markdown() -> String {
        var lines = ["# Does pretraining help on \(setup.dataset)?", ""]
        lines.append("## Conclusion")
        lines.append("")
        lines += conclusion.map { "- \($0)" }
        lines.append("")
        lines.append("## Setup")
        lines.append("")
        lines.append("- Data: `\(setup.dataset)`, \(setup.rows) rows (\(setup.labeledRows) labeled, \(setup.unlabeledRows) unlabeled), \(setup.task)"
                     + (setup.classes.isEmpty ? "" : " with classes \(setup.classes.joined(separator: ", "))") + ".")
        lines.append("- Seeds: \(setup.seeds); each seed has its own stratified split (70% train, 10% validation — unused — and 20% test) and its own SCARF pretraining on every non-test row.")
        lines.append("- Label budgets: " + setup.budgets.map { "\($0) = \(setup.labeledRowsPerBudget[$0] ?? 0) rows" }.joined(separator: ", ") + "; every method sees exactly these labeled rows, and fits its preprocessing on the features of every non-test row (no labels).")
        lines.append("- \"Same network from scratch\" is the fine-tuned network itself (encoder and head, optimizer, epochs, stopping rule) from its initial weights, so the difference to SCARF + full fine-tune is what pretraining added.")
        lines.append("- Settings: " + setup.settings.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "; ") + ".")
        lines.append("")
        let metrics = Self.metricOrder.filter { metric in budgets.first?.methods.first?.metrics[metric] != nil }
        for budget in budgets {
            lines.append("## \(budget.budget) labels (\(budget.labeledRows) rows)")
            lines.append("")
            lines.append("| method | " + metrics.joined(separator: " | ") + " | seconds | pretraining seconds |")
            lines.append("|---|" + metrics.map { _ in "---:" }.joined(separator: "|") + "|---:|---:|")
            for result in budget.methods {
                let cells = metrics.map { metric -> String in
                    guard let summary = result.metrics[metric] else { return "" }
                    let interval = metric == primaryMetric
                        ? String(format: " [%.3f, %.3f]", summary.mean - summary.confidence95, summary.mean + summary.confidence95) : ""
                    return String(format: "%.3f ± %.3f", summary.mean, summary.standardDeviation) + interval
                }
                let pretraining = result.pretrainingSeconds > 0 ? String(format: "%.1f", result.pretrainingSeconds) : "—"
                lines.append("| \(result.title) | " + cells.joined(separator: " | ") + String(format: " | %.1f | ", result.seconds) + pretraining + " |")
            }
            lines.append("")
            for result in budget.methods where !result.tuning.isEmpty {
                lines.append("How \(result.title) chose its settings: " + result.tuning.joined(separator: "; ") + ".")
                lines.append("")
            }
            if !budget.verdicts.isEmpty {
                lines.append("Verdicts on \(primaryMetric) (paired t-test over seeds, Holm-adjusted p < 0.05 across this budget's \(budget.verdicts.count) verdicts):")
                lines.append("")
                for verdict in budget.verdicts {
                    let title = LabelEfficiencyExperiment.Method(rawValue: verdict.method)?.title ?? verdict.method
                    let against = LabelEfficiencyExperiment.Method(rawValue: verdict.against)?.title ?? verdict.against
                    lines.append(String(format: "- %@ vs %@: **%@** (%+.3f, p = %.3g, adjusted %.3g)", title, against, verdict.outcome,
                                        verdict.difference, verdict.p, verdict.adjustedP))
                }
                lines.append("")
            }
        }
        lines.append("Mean ± standard deviation over seeds; for \(primaryMetric), the 95% confidence interval of the mean in brackets (Student's t). Seconds: a fit's mean wall time; pretraining seconds: the mean wall time of the pretraining its encoder needed, once per seed and shared by every budget and strategy (p-values in the conclusion are Holm-adjusted).")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `report.json`: every number.
    func json() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return Array(try encoder.encode(self))
    }

    /// The label-efficiency chart: mean primary metric against labeled rows (log axis),
    /// one polyline per method, error bars of one standard deviation.
    func svg(width: Double = 640, height: Double = 360) -> String {
        let series = setup.methods.map { method in
            LineChart.Series(key: method, title: LabelEfficiencyExperiment.Method(rawValue: method)?.title ?? method,
                             points: budgets.compactMap { budget in
                                 budget.methods.first { $0.method == method }?.metrics[primaryMetric].map {
                                     LineChart.Point(x: log10(Double(max(1, budget.labeledRows))), mean: $0.mean, deviation: $0.standardDeviation)
                                 }
                             })
        }
        return LineChart(series: series,
                         xTicks: budgets.map { (log10(Double(max(1, $0.labeledRows))), "\($0.budget) (\($0.labeledRows))") },
                         xLabel: "label budget (labeled rows, log scale)", yLabel: "test \(primaryMetric)").svg(width: width, height: height)
    }

    /// `report.html`: one self-contained page (no network, no scripts) with the chart
    /// and the tables.
    func html() -> String {
        var body = ["<h1>Does pretraining help on \(Self.escape(setup.dataset))?</h1>", "<h2>Conclusion</h2>", "<ul>"]
        body += conclusion.map { "<li>\(Self.escape($0))</li>" }
        body += ["</ul>", "<h2>Label efficiency</h2>", svg()]
        let metrics = Self.metricOrder.filter { metric in budgets.first?.methods.first?.metrics[metric] != nil }
        for budget in budgets {
            body.append("<h2>\(Self.escape(budget.budget)) labels (\(budget.labeledRows) rows)</h2>")
            body.append("<table><tr><th>method</th>" + metrics.map { "<th>\(Self.escape($0))</th>" }.joined() + "<th>seconds</th><th>pretraining seconds</th></tr>")
            for result in budget.methods {
                body.append("<tr><td>\(Self.escape(result.title))</td>" + metrics.map { metric in
                    result.metrics[metric].map { String(format: "<td>%.3f ± %.3f</td>", $0.mean, $0.standardDeviation) } ?? "<td></td>"
                }.joined() + String(format: "<td>%.1f</td>", result.seconds)
                    + (result.pretrainingSeconds > 0 ? String(format: "<td>%.1f</td></tr>", result.pretrainingSeconds) : "<td>—</td></tr>"))
            }
            body.append("</table>")
        }
        body.append("<p>Mean ± standard deviation over \(setup.seeds) seeds. Every number is in report.json.</p>")
        return LineChart.page(title: "Pretext report: \(setup.dataset)", body: body)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

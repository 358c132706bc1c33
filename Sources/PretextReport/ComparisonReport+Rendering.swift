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
        lines.append("- Label budgets: " + setup.budgets.map { "\($0) = \(setup.labeledRowsPerBudget[$0] ?? 0) rows" }.joined(separator: ", ") + "; every method sees exactly these labeled rows.")
        lines.append("- Settings: " + setup.settings.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "; ") + ".")
        lines.append("")
        let metrics = Self.metricOrder.filter { metric in budgets.first?.methods.first?.metrics[metric] != nil }
        for budget in budgets {
            lines.append("## \(budget.budget) labels (\(budget.labeledRows) rows)")
            lines.append("")
            lines.append("| method | " + metrics.joined(separator: " | ") + " | seconds |")
            lines.append("|---|" + metrics.map { _ in "---:" }.joined(separator: "|") + "|---:|")
            for result in budget.methods {
                let cells = metrics.map { metric -> String in
                    guard let summary = result.metrics[metric] else { return "" }
                    let interval = metric == primaryMetric
                        ? String(format: " [%.3f, %.3f]", summary.mean - summary.confidence95, summary.mean + summary.confidence95) : ""
                    return String(format: "%.3f ± %.3f", summary.mean, summary.standardDeviation) + interval
                }
                lines.append("| \(result.title) | " + cells.joined(separator: " | ") + String(format: " | %.1f |", result.seconds))
            }
            lines.append("")
            if !budget.verdicts.isEmpty {
                lines.append("Verdicts on \(primaryMetric) (Welch's t-test, p < 0.05):")
                lines.append("")
                for verdict in budget.verdicts {
                    let title = LabelEfficiencyExperiment.Method(rawValue: verdict.method)?.title ?? verdict.method
                    let against = verdict.against == "xgboost" ? "XGBoost" : "MLP from scratch"
                    lines.append(String(format: "- %@ vs %@: **%@** (%+.3f, p = %.3g)", title, against, verdict.outcome, verdict.difference, verdict.p))
                }
                lines.append("")
            }
        }
        lines.append("Mean ± standard deviation over seeds; for \(primaryMetric), the 95% confidence interval of the mean in brackets (Student's t).")
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
        let left = 60.0, right = 190.0, top = 20.0, bottom = 50.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let rows = budgets.map { Double(max(1, $0.labeledRows)) }
        let logMin = log10(rows.min() ?? 1), logMax = log10(rows.max() ?? 10)
        let all = budgets.flatMap { $0.methods.compactMap { $0.metrics[primaryMetric] } }
        var low = all.map { $0.mean - $0.standardDeviation }.min() ?? 0
        var high = all.map { $0.mean + $0.standardDeviation }.max() ?? 1
        if high - low < 1e-9 { low -= 0.05; high += 0.05 }
        let pad = (high - low) * 0.05
        low -= pad; high += pad
        let inset = 24.0   // keep points and error bars off the axes
        func x(_ labeled: Int) -> Double {
            logMax > logMin ? left + inset + (log10(Double(max(1, labeled))) - logMin) / (logMax - logMin) * (plotWidth - 2 * inset)
                : left + plotWidth / 2
        }
        func y(_ value: Double) -> Double { top + (high - value) / (high - low) * plotHeight }
        let colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"]
        var parts = ["<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">",
                     "<rect x=\"0\" y=\"0\" width=\"\(Int(width))\" height=\"\(Int(height))\" fill=\"white\"/>",
                     "<line x1=\"\(left)\" y1=\"\(top + plotHeight)\" x2=\"\(left + plotWidth)\" y2=\"\(top + plotHeight)\" stroke=\"black\"/>",
                     "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(top + plotHeight)\" stroke=\"black\"/>"]
        for tick in 0...4 {
            let value = low + (high - low) * Double(tick) / 4
            parts.append(String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.3f</text>", left - 6, y(value) + 4, value))
            parts.append(String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>", left, y(value), left + plotWidth, y(value)))
        }
        for budget in budgets {
            parts.append(String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%@ (%d)</text>", x(budget.labeledRows), top + plotHeight + 18,
                                Self.escape(budget.budget), budget.labeledRows))
        }
        parts.append(String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">label budget (labeled rows, log scale)</text>", left + plotWidth / 2, height - 8))
        parts.append(String(format: "<text x=\"14\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 14 %.1f)\">test %@</text>",
                            top + plotHeight / 2, top + plotHeight / 2, Self.escape(primaryMetric)))
        for (index, method) in setup.methods.enumerated() {
            let color = colors[index % colors.count]
            let points = budgets.compactMap { budget -> (Int, MetricSummary)? in
                budget.methods.first { $0.method == method }?.metrics[primaryMetric].map { (budget.labeledRows, $0) }
            }
            guard !points.isEmpty else { continue }
            let title = LabelEfficiencyExperiment.Method(rawValue: method)?.title ?? method
            var series = ["<g class=\"series\" data-method=\"\(Self.escape(method))\">"]
            series.append("<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\""
                          + points.map { String(format: "%.1f,%.1f", x($0.0), y($0.1.mean)) }.joined(separator: " ") + "\"/>")
            for (labeled, summary) in points {
                series.append(String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%@\"/>", x(labeled), y(summary.mean - summary.standardDeviation),
                                     x(labeled), y(summary.mean + summary.standardDeviation), color))
                series.append(String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%@\"/>", x(labeled), y(summary.mean), color))
            }
            let legendY = top + 16 * Double(index) + 8
            series.append(String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%@\" stroke-width=\"2\"/>",
                                 left + plotWidth + 12, legendY, left + plotWidth + 32, legendY, color))
            series.append(String(format: "<text x=\"%.1f\" y=\"%.1f\">%@</text>", left + plotWidth + 38, legendY + 4, Self.escape(title)))
            series.append("</g>")
            parts += series
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
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
            body.append("<table><tr><th>method</th>" + metrics.map { "<th>\(Self.escape($0))</th>" }.joined() + "<th>seconds</th></tr>")
            for result in budget.methods {
                body.append("<tr><td>\(Self.escape(result.title))</td>" + metrics.map { metric in
                    result.metrics[metric].map { String(format: "<td>%.3f ± %.3f</td>", $0.mean, $0.standardDeviation) } ?? "<td></td>"
                }.joined() + String(format: "<td>%.1f</td></tr>", result.seconds))
            }
            body.append("</table>")
        }
        body.append("<p>Mean ± standard deviation over \(setup.seeds) seeds. Every number is in report.json.</p>")
        let style = "body{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222}table{border-collapse:collapse;margin:1em 0}"
            + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}"
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Pretext report: \(Self.escape(setup.dataset))</title><style>\(style)</style></head><body>\n"
            + body.joined(separator: "\n") + "\n</body></html>\n"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

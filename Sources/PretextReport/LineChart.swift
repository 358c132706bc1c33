import Foundation

/// A self-contained SVG line chart for reports: one polyline per method through the mean
/// at each x, error bars of one standard deviation, horizontal grid lines, the legend on
/// the right. Each method is a `<g class="series" data-method="…">` so tests and tools
/// can find it.
struct LineChart {
    struct Point {
        /// Position on the x axis in chart units (e.g. log10 of labeled rows, or an index).
        var x: Double
        var mean: Double
        var deviation: Double
    }

    struct Series {
        var key: String
        var title: String
        var points: [Point]
    }

    var series: [Series]
    /// Labels under the x axis at chart-unit positions.
    var xTicks: [(x: Double, label: String)]
    var xLabel: String
    var yLabel: String

    static let colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"]

    func svg(width: Double = 640, height: Double = 360) -> String {
        let left = 60.0, right = 190.0, top = 20.0, bottom = 50.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let all = series.flatMap(\.points)
        var low = all.map { $0.mean - $0.deviation }.min() ?? 0
        var high = all.map { $0.mean + $0.deviation }.max() ?? 1
        if high - low < 1e-9 { low -= 0.05; high += 0.05 }
        let pad = (high - low) * 0.05
        low -= pad; high += pad
        let xs = xTicks.map(\.x) + all.map(\.x)
        let xMin = xs.min() ?? 0, xMax = xs.max() ?? 1
        let inset = 24.0   // keep points and error bars off the axes
        func x(_ value: Double) -> Double {
            xMax > xMin ? left + inset + (value - xMin) / (xMax - xMin) * (plotWidth - 2 * inset) : left + plotWidth / 2
        }
        func y(_ value: Double) -> Double { top + (high - value) / (high - low) * plotHeight }
        let escape = ComparisonReport.escape
        var parts = ["<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">",
                     "<rect x=\"0\" y=\"0\" width=\"\(Int(width))\" height=\"\(Int(height))\" fill=\"white\"/>",
                     "<line x1=\"\(left)\" y1=\"\(top + plotHeight)\" x2=\"\(left + plotWidth)\" y2=\"\(top + plotHeight)\" stroke=\"black\"/>",
                     "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(top + plotHeight)\" stroke=\"black\"/>"]
        for tick in 0...4 {
            let value = low + (high - low) * Double(tick) / 4
            parts.append(String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.3f</text>", left - 6, y(value) + 4, value))
            parts.append(String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>", left, y(value), left + plotWidth, y(value)))
        }
        for tick in xTicks {
            parts.append(String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%@</text>", x(tick.x), top + plotHeight + 18, escape(tick.label)))
        }
        parts.append(String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%@</text>", left + plotWidth / 2, height - 8, escape(xLabel)))
        parts.append(String(format: "<text x=\"14\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 14 %.1f)\">%@</text>",
                            top + plotHeight / 2, top + plotHeight / 2, escape(yLabel)))
        for (index, line) in series.enumerated() where !line.points.isEmpty {
            let color = Self.colors[index % Self.colors.count]
            parts.append("<g class=\"series\" data-method=\"\(escape(line.key))\">")
            parts.append("<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\""
                         + line.points.map { String(format: "%.1f,%.1f", x($0.x), y($0.mean)) }.joined(separator: " ") + "\"/>")
            for point in line.points {
                parts.append(String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%@\"/>", x(point.x), y(point.mean - point.deviation),
                                    x(point.x), y(point.mean + point.deviation), color))
                parts.append(String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%@\"/>", x(point.x), y(point.mean), color))
            }
            let legendY = top + 16 * Double(index) + 8
            parts.append(String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%@\" stroke-width=\"2\"/>",
                                left + plotWidth + 12, legendY, left + plotWidth + 32, legendY, color))
            parts.append(String(format: "<text x=\"%.1f\" y=\"%.1f\">%@</text>", left + plotWidth + 38, legendY + 4, escape(line.title)))
            parts.append("</g>")
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    /// A report page: no scripts, no external resources.
    static func page(title: String, body: [String]) -> String {
        let style = "body{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222}table{border-collapse:collapse;margin:1em 0}"
            + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}"
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>\(ComparisonReport.escape(title))</title><style>\(style)</style></head><body>\n"
            + body.joined(separator: "\n") + "\n</body></html>\n"
    }
}

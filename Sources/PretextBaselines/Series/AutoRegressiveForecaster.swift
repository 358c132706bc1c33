import Foundation
import PretextData
import PretextNN

/// An autoregressive model per series and channel, its order chosen by AIC — the
/// classical statistical anchor for forecasting (statsmodels' `ar_select_order` +
/// `AutoReg` with a constant).
///
/// For each order p = 0 … P (P = min(`maximumOrder`, ⌊(n − 1)/3⌋) for n observed steps),
/// y[t] = c + Σᵢ₌₁…ₚ φᵢ·y[t − i] + ε is fitted by least squares on the same steps
/// t = P … n − 1 (so every order is scored on the same observations), and the order with
/// the smallest AIC = m·ln(RSS/m) + 2(p + 1) wins (m = n − P). Forecasts are recursive:
/// each predicted step feeds the next. Missing steps inside the history are filled with
/// the last observed value before them; steps before the first observation are dropped.
public struct AutoRegressiveForecaster: Forecaster {
    /// The largest order considered. Default 24 (two years of monthly lags).
    public var maximumOrder: Int

    public init(maximumOrder: Int = 24) {
        self.maximumOrder = max(0, maximumOrder)
    }

    public var name: String { "ar" }

    /// The fitted model of one channel: intercept and coefficients φ₁ … φₚ.
    public struct Fit: Sendable, Equatable {
        public var intercept: Double
        public var coefficients: [Double]
        public var aic: Double
    }

    public func forecast(history: SeriesCollection, horizon: Int) throws -> [SeriesForecast] {
        try history.series.indices.map { index in
            let series = history.series[index]
            var channels: [[Float]] = []
            for channel in 0..<series.channels {
                var observed: [Double] = []
                var last: Double?
                for step in 0..<series.length {
                    let value = Double(series.value(step, channel))
                    if value.isNaN {
                        if let last { observed.append(last) }
                    } else {
                        observed.append(value)
                        last = value
                    }
                }
                guard !observed.isEmpty else {
                    throw SeriesError.tooShort(path: history.source, series: series.id, length: 0, needed: 1, purpose: "an autoregressive forecast")
                }
                let fit = Self.select(observed, maximumOrder: maximumOrder)
                channels.append(Self.extend(observed, fit: fit, horizon: horizon).map(Float.init))
            }
            var values: [Float] = []
            for h in 0..<horizon { for channel in channels { values.append(channel[h]) } }
            return SeriesForecast(id: series.id, times: history.futureTimes(of: index, horizon: horizon), values: values)
        }
    }

    /// The AIC-chosen fit on `y`.
    public static func select(_ y: [Double], maximumOrder: Int) -> Fit {
        let largest = min(maximumOrder, (y.count - 1) / 3)
        var best: Fit? = nil
        for order in 0...max(0, largest) {
            guard let fit = fit(y, order: order, start: largest) else { continue }
            if best == nil || fit.aic < best!.aic { best = fit }
        }
        return best ?? Fit(intercept: y.last ?? 0, coefficients: [], aic: .infinity)
    }

    /// Least squares of y[t] on 1, y[t − 1], …, y[t − order] for t = start … n − 1.
    static func fit(_ y: [Double], order: Int, start: Int) -> Fit? {
        let m = y.count - start
        guard m >= order + 2 else { return nil }
        let width = order + 1
        var normal = [Double](repeating: 0, count: width * width), right = [Double](repeating: 0, count: width)
        var row = [Double](repeating: 1, count: width)
        for t in start..<y.count {
            for i in 0..<order { row[i + 1] = y[t - 1 - i] }
            for a in 0..<width {
                right[a] += row[a] * y[t]
                for b in 0..<width { normal[a * width + b] += row[a] * row[b] }
            }
        }
        // A whisper of ridge keeps a collinear (e.g. constant) history solvable.
        let trace = (0..<width).reduce(0.0) { $0 + normal[$1 * width + $1] }
        for a in 0..<width { normal[a * width + a] += 1e-10 * max(trace, 1) }
        guard let beta = solve(normal, right, n: width) else { return nil }
        var rss = 0.0
        for t in start..<y.count {
            var prediction = beta[0]
            for i in 0..<order { prediction += beta[i + 1] * y[t - 1 - i] }
            rss += (y[t] - prediction) * (y[t] - prediction)
        }
        let aic = Double(m) * log(max(rss, 1e-300) / Double(m)) + 2 * Double(width)
        return Fit(intercept: beta[0], coefficients: Array(beta.dropFirst()), aic: aic)
    }

    /// `horizon` recursive forecasts after `y`.
    static func extend(_ y: [Double], fit: Fit, horizon: Int) -> [Double] {
        var path = y
        for _ in 0..<horizon {
            var next = fit.intercept
            for (i, phi) in fit.coefficients.enumerated() { next += phi * path[path.count - 1 - i] }
            path.append(next)
        }
        return Array(path.suffix(horizon))
    }

    /// Gaussian elimination with partial pivoting on the n × n system A x = b.
    static func solve(_ matrix: [Double], _ vector: [Double], n: Int) -> [Double]? {
        var a = matrix, b = vector
        for column in 0..<n {
            var pivot = column
            for row in column..<n where abs(a[row * n + column]) > abs(a[pivot * n + column]) { pivot = row }
            guard abs(a[pivot * n + column]) > 1e-300 else { return nil }
            if pivot != column {
                for j in 0..<n { a.swapAt(column * n + j, pivot * n + j) }
                b.swapAt(column, pivot)
            }
            for row in (column + 1)..<n {
                let factor = a[row * n + column] / a[column * n + column]
                guard factor != 0 else { continue }
                for j in column..<n { a[row * n + j] -= factor * a[column * n + j] }
                b[row] -= factor * b[column]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            var value = b[row]
            for j in (row + 1)..<n { value -= a[row * n + j] * x[j] }
            x[row] = value / a[row * n + row]
        }
        return x.allSatisfy(\.isFinite) ? x : nil
    }
}

import Foundation
import PretextData
import PretextNN

/// The Theta method (Assimakopoulos & Nikolopoulos 2000) in the form Hyndman & Billah
/// (2003) showed it to be — simple exponential smoothing with drift — as R's
/// `forecast::thetaf` and sktime's `ThetaForecaster` compute it; a strong statistical
/// anchor (it won the M3 competition).
///
/// Per series and channel (missing steps filled with the last observed value):
/// 1. Seasonality test (when the season m > 1 and n ≥ 2m): with r_k the sample
///    autocorrelations, the series is seasonal when
///    |r_m| > 1.645 · √((1 + 2 Σ_{k<m} r_k²) / n) (90%, as `thetaf`). Then it is divided
///    by the classical multiplicative seasonal indices (centred moving average of
///    length m, or 2×m when m is even; indices averaged per position and scaled to mean
///    1) — additive indices when a value is ≤ 0.
/// 2. SES on the adjusted series: ℓ_t = α y_t + (1 − α) ℓ_{t−1}, with α ∈ [10⁻⁴, 1 − 10⁻⁴]
///    and the initial level ℓ₀ minimising the one-step squared errors (ℓ₀ in closed form
///    for each α; α by a grid of 100 then golden-section search).
/// 3. Drift: b = the least-squares slope of the adjusted series on t;
///    ŷ_{n+h} = ℓ_n + (b/2)·(h − 1 + (1 − (1 − α)ⁿ)/α), then reseasonalised.
public struct ThetaForecaster: Forecaster {
    public var season: Int

    public init(season: Int) { self.season = max(1, season) }
    public var name: String { "theta" }

    public func forecast(history: SeriesCollection, horizon: Int) throws -> [SeriesForecast] {
        try history.series.indices.map { index in
            let series = history.series[index]
            var channels: [[Double]] = []
            for channel in 0..<series.channels {
                var observed: [Double] = [], last: Double?
                for step in 0..<series.length {
                    let value = Double(series.value(step, channel))
                    if !value.isNaN { last = value }
                    if let last { observed.append(last) }
                }
                guard observed.count >= 2 else {
                    throw SeriesError.tooShort(path: history.source, series: series.id, length: observed.count, needed: 2, purpose: "a Theta forecast")
                }
                channels.append(Self.forecast(observed, season: season, horizon: horizon))
            }
            var values: [Float] = []
            for h in 0..<horizon { for channel in channels { values.append(Float(channel[h])) } }
            return SeriesForecast(id: series.id, times: history.futureTimes(of: index, horizon: horizon), values: values)
        }
    }

    /// The `horizon` forecasts after `y` (no missing values).
    static func forecast(_ y: [Double], season: Int, horizon: Int) -> [Double] {
        let n = y.count
        let indices = isSeasonal(y, season: season) ? seasonalIndices(y, season: season) : nil
        let multiplicative = y.allSatisfy { $0 > 0 }
        let adjusted = indices.map { s in y.indices.map { multiplicative ? y[$0] / s[$0 % season] : y[$0] - s[$0 % season] } } ?? y
        let (alpha, level) = smoothing(adjusted)
        let slope = leastSquaresSlope(adjusted)
        let drift = slope / 2 * (1 - pow(1 - alpha, Double(n))) / alpha
        return (1...max(1, horizon)).map { h in
            let value = level + slope / 2 * Double(h - 1) + drift
            guard let indices else { return value }
            let s = indices[(n + h - 1) % season]
            return multiplicative ? value * s : value + s
        }
    }

    /// |r_m| > 1.645·√((1 + 2Σ_{k<m} r_k²)/n), when m > 1 and n ≥ 2m.
    static func isSeasonal(_ y: [Double], season: Int) -> Bool {
        let n = y.count
        guard season > 1, n >= 2 * season else { return false }
        let mean = y.reduce(0, +) / Double(n)
        let variance = y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        guard variance > 0 else { return false }
        func r(_ lag: Int) -> Double {
            var sum = 0.0
            for t in lag..<n { sum += (y[t] - mean) * (y[t - lag] - mean) }
            return sum / variance
        }
        let spread = (1..<season).reduce(0.0) { $0 + r($1) * r($1) }
        return abs(r(season)) > 1.6448536269514722 * ((1 + 2 * spread) / Double(n)).squareRoot()
    }

    /// Classical decomposition's seasonal indices (length `season`): multiplicative
    /// (mean 1) when every value is positive, else additive (mean 0).
    static func seasonalIndices(_ y: [Double], season m: Int) -> [Double] {
        let n = y.count, multiplicative = y.allSatisfy { $0 > 0 }
        // Centred moving average: weights 1/m over m values (odd m), or ½, 1, …, 1, ½ over m + 1 (even m).
        let half = m / 2
        var sums = [Double](repeating: 0, count: m), counts = [Double](repeating: 0, count: m)
        for t in half..<(n - half) {
            var trend = 0.0
            if m % 2 == 1 {
                for j in (t - half)...(t + half) { trend += y[j] }
                trend /= Double(m)
            } else {
                for j in (t - half + 1)..<(t + half) { trend += y[j] }
                trend = (trend + 0.5 * (y[t - half] + y[t + half])) / Double(m)
            }
            sums[t % m] += multiplicative ? y[t] / trend : y[t] - trend
            counts[t % m] += 1
        }
        var indices = (0..<m).map { counts[$0] > 0 ? sums[$0] / counts[$0] : (multiplicative ? 1 : 0) }
        let mean = indices.reduce(0, +) / Double(m)
        indices = indices.map { multiplicative ? $0 / mean : $0 - mean }
        return indices
    }

    /// α and the final level ℓ_n of SES fitted by one-step squared error, ℓ₀ optimal for
    /// each α.
    static func smoothing(_ y: [Double]) -> (alpha: Double, level: Double) {
        func fit(_ alpha: Double) -> (sse: Double, level: Double) {
            // One-step prediction of y_t is c_t + d_t·ℓ₀; SSE is quadratic in ℓ₀.
            var c = 0.0, d = 1.0, numerator = 0.0, denominator = 0.0
            var predictions: [(Double, Double)] = []
            predictions.reserveCapacity(y.count)
            for value in y {
                predictions.append((c, d))
                numerator += d * (value - c)
                denominator += d * d
                c = alpha * value + (1 - alpha) * c
                d *= 1 - alpha
            }
            let initial = numerator / denominator
            var sse = 0.0
            for (value, (c, d)) in zip(y, predictions) { sse += (value - c - d * initial) * (value - c - d * initial) }
            return (sse, c + d * initial)
        }
        let low = 1e-4, high = 1 - 1e-4
        var best = low, bestSSE = Double.infinity
        for step in 0..<100 {
            let alpha = low + (high - low) * Double(step) / 99
            let sse = fit(alpha).sse
            if sse < bestSSE { (best, bestSSE) = (alpha, sse) }
        }
        var a = max(low, best - (high - low) / 99), b = min(high, best + (high - low) / 99)
        let ratio = (5.0.squareRoot() - 1) / 2
        for _ in 0..<60 {
            let x1 = b - ratio * (b - a), x2 = a + ratio * (b - a)
            if fit(x1).sse <= fit(x2).sse { b = x2 } else { a = x1 }
        }
        let alpha = fit((a + b) / 2).sse <= bestSSE ? (a + b) / 2 : best
        return (alpha, fit(alpha).level)
    }

    /// The least-squares slope of y on t = 0 … n − 1.
    static func leastSquaresSlope(_ y: [Double]) -> Double {
        let n = Double(y.count), meanT = (n - 1) / 2, meanY = y.reduce(0, +) / n
        var covariance = 0.0, variance = 0.0
        for (t, value) in y.enumerated() {
            covariance += (Double(t) - meanT) * (value - meanY)
            variance += (Double(t) - meanT) * (Double(t) - meanT)
        }
        return variance > 0 ? covariance / variance : 0
    }
}

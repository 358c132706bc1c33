import Foundation
import PretextData

/// Forecast errors over the observed future values (lower is better):
/// - MAE = mean |F − A|, RMSE = √mean (F − A)²;
/// - sMAPE = mean 200·|F − A| / (|A| + |F|), in percent (pairs with A = F = 0 skipped);
/// - MASE = MAE / mean_t |y[t] − y[t−m]| over the series before the forecast origin
///   (Hyndman & Koehler 2006), with m the season length (m = 1 when that past is not
///   longer than one season). Below 1: better than the in-sample seasonal-naive forecast.
/// Multi-channel forecasts average each score over channels (MASE scaled per channel).
public struct ForecastScores: Codable, Sendable, Equatable {
    public var mae: Double
    public var rmse: Double
    public var smape: Double
    public var mase: Double

    public init(mae: Double, rmse: Double, smape: Double, mase: Double) {
        self.mae = mae
        self.rmse = rmse
        self.smape = smape
        self.mase = mase
    }

    /// Scores of `forecast` ((H, C) values) against `actual` ((H, C), NaN = missing), with
    /// `history` the series before the origin (the MASE scale).
    public static func compute(forecast: [Float], actual: [Float], history: TimeSeries, season: Int) -> ForecastScores? {
        let channels = history.channels
        var totals = (mae: 0.0, rmse: 0.0, smape: 0.0, mase: 0.0), used = 0
        for channel in 0..<channels {
            var absolute = 0.0, squared = 0.0, symmetric = 0.0, symmetricCount = 0, count = 0
            for step in 0..<(actual.count / channels) {
                let a = Double(actual[step * channels + channel]), f = Double(forecast[step * channels + channel])
                guard !a.isNaN, !f.isNaN else { continue }
                absolute += abs(f - a)
                squared += (f - a) * (f - a)
                if abs(a) + abs(f) > 0 { symmetric += 200 * abs(f - a) / (abs(a) + abs(f)); symmetricCount += 1 }
                count += 1
            }
            guard count > 0 else { continue }
            let m = history.length > season ? season : 1
            var scaleSum = 0.0, scaleCount = 0
            for t in m..<max(m, history.length) {
                let now = Double(history.value(t, channel)), before = Double(history.value(t - m, channel))
                guard !now.isNaN, !before.isNaN else { continue }
                scaleSum += abs(now - before)
                scaleCount += 1
            }
            let scale = scaleCount > 0 ? scaleSum / Double(scaleCount) : .nan
            totals.mae += absolute / Double(count)
            totals.rmse += (squared / Double(count)).squareRoot()
            totals.smape += symmetricCount > 0 ? symmetric / Double(symmetricCount) : 0
            totals.mase += scale > 0 ? absolute / Double(count) / scale : .nan
            used += 1
        }
        guard used > 0 else { return nil }
        let n = Double(used)
        return ForecastScores(mae: totals.mae / n, rmse: totals.rmse / n, smape: totals.smape / n, mase: totals.mase / n)
    }

    /// The mean of several scores (e.g. over origins and series).
    public static func mean(_ scores: [ForecastScores]) -> ForecastScores {
        let n = Double(max(1, scores.count))
        return ForecastScores(mae: scores.reduce(0) { $0 + $1.mae } / n, rmse: scores.reduce(0) { $0 + $1.rmse } / n,
                              smape: scores.reduce(0) { $0 + $1.smape } / n, mase: scores.reduce(0) { $0 + $1.mase } / n)
    }
}

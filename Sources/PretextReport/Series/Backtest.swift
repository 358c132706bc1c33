import PretextData

/// A rolling-origin backtest without look-ahead.
///
/// Fold k (k = folds−1 … 0) puts each series' forecast origin at T − H − k·step: the
/// forecaster receives a *copy of the series cut at the origin* (optionally only its last
/// `historyLimit` steps) and nothing else, forecasts H steps, and is scored against the
/// H values after the origin. The last fold's forecasts end at the series' end.
///
/// MASE is scaled by the seasonal-naive error over *everything before the origin*, even
/// when the forecaster was given only the last `historyLimit` steps: the scale is known at
/// the origin (no look-ahead), and one scale per fold keeps scores comparable across
/// history lengths.
public struct Backtest: Sendable {
    public var horizon: Int
    public var folds: Int
    /// Steps between origins; default the horizon (non-overlapping test stretches).
    public var step: Int
    /// Season length for MASE.
    public var season: Int
    /// Keep only this many steps before each origin (nil: all).
    public var historyLimit: Int?

    public init(horizon: Int, folds: Int = 3, step: Int? = nil, season: Int, historyLimit: Int? = nil) {
        self.horizon = horizon
        self.folds = folds
        self.step = step ?? horizon
        self.season = season
        self.historyLimit = historyLimit
    }

    public struct Fold: Sendable {
        /// Origin index per series (the first forecast step).
        public var origins: [Int]
        public var history: SeriesCollection
        /// Every series cut at its origin, whatever the history limit: the MASE scale.
        public var past: SeriesCollection
        public var actual: [[Float]]   // per series (H, C)
    }

    /// The folds: histories (what a forecaster may see) and the held-back actuals.
    public func folds(of collection: SeriesCollection) throws -> [Fold] {
        try (0..<folds).reversed().map { k in
            var history = collection, past = collection
            var origins: [Int] = [], actual: [[Float]] = []
            for (index, series) in collection.series.enumerated() {
                let origin = series.length - horizon - k * step
                guard origin >= 2 else {
                    throw SeriesError.tooShort(path: collection.source, series: series.id, length: series.length,
                                               needed: horizon + k * step + 2, purpose: "a backtest with \(folds) folds of \(horizon) steps")
                }
                past.series[index] = series.prefix(origin)
                history.series[index] = historyLimit.map { past.series[index].suffix($0) } ?? past.series[index]
                origins.append(origin)
                actual.append(Array(series.values[(origin * series.channels)..<((origin + horizon) * series.channels)]))
            }
            return Fold(origins: origins, history: history, past: past, actual: actual)
        }
    }

    /// Scores of `forecaster` on every fold: the mean over series per fold.
    public func run(_ collection: SeriesCollection, forecaster: Forecaster) throws -> [ForecastScores] {
        try folds(of: collection).map { fold in
            let forecasts = try forecaster.forecast(history: fold.history, horizon: horizon)
            let scores = zip(forecasts, zip(fold.actual, fold.past.series)).compactMap { forecast, pair in
                ForecastScores.compute(forecast: forecast.values, actual: pair.0, history: pair.1, season: season)
            }
            return ForecastScores.mean(scores)
        }
    }
}

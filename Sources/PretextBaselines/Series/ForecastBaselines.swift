import PretextData
import PretextNN

/// ŷ[T+h] = y[T]: the last observed value of each channel, repeated.
public struct NaiveForecaster: Forecaster {
    public init() {}
    public var name: String { "naive" }

    public func forecast(history: SeriesCollection, horizon: Int) throws -> [SeriesForecast] {
        try SeasonalNaiveForecaster(season: 1).forecast(history: history, horizon: horizon)
    }
}

/// ŷ[T+h] = y[T + h − m·⌈h/m⌉]: the value one season earlier (the last observed
/// season, repeated). Missing values fall back to the latest observed value before them.
public struct SeasonalNaiveForecaster: Forecaster {
    public var season: Int

    public init(season: Int) { self.season = max(1, season) }
    public var name: String { season == 1 ? "naive" : "seasonal-naive" }

    public func forecast(history: SeriesCollection, horizon: Int) throws -> [SeriesForecast] {
        try history.series.indices.map { index in
            let series = history.series[index]
            guard series.length > 0 else {
                throw SeriesError.tooShort(path: history.source, series: series.id, length: 0, needed: 1, purpose: "a naive forecast")
            }
            var values: [Float] = []
            for h in 1...horizon {
                var step = series.length - 1 + h - season * Int((Double(h) / Double(season)).rounded(.up))
                step = max(0, min(series.length - 1, step))
                for channel in 0..<series.channels {
                    var source = step
                    while source > 0 && series.value(source, channel).isNaN { source -= 1 }
                    values.append(series.value(source, channel))
                }
            }
            return SeriesForecast(id: series.id, times: history.futureTimes(of: index, horizon: horizon), values: values)
        }
    }
}

/// XGBoost on lag features — the bundled tree baseline for forecasting. Each window's
/// L·C lookback values, normalised like the neural models' (per window μ and s, so
/// trees are not stuck inside the training range of a trending series), predict each
/// future step with its own booster (direct multi-step: H·C boosters). The random search
/// runs once, for the first step, on the last 20% of windows in time when that is at
/// least 30 windows (otherwise XGBoost's defaults with 100 rounds); every later step's
/// booster reuses the chosen hyperparameters, its rounds early-stopped on its own
/// validation windows — so a 52-step horizon costs one search, not 52.
public struct LagTreesForecaster: Forecaster {
    public var lookback: Int
    public var trees: GradientBoostedTreesConfig

    public init(lookback: Int, trees: GradientBoostedTreesConfig = GradientBoostedTreesConfig()) {
        self.lookback = lookback
        self.trees = trees
    }

    public var name: String { "xgboost-lags" }

    public func forecast(history: SeriesCollection, horizon: Int) throws -> [SeriesForecast] {
        let channels = history.channels
        let windows = WindowSet.training(history, config: WindowConfig(lookback: lookback, horizon: horizon))
        guard windows.count >= 2 else {
            throw SeriesError.tooShort(path: history.source, series: history.series.first?.id ?? "-", length: history.series.map(\.length).max() ?? 0,
                                       needed: lookback + 2, purpose: "XGBoost on \(lookback) lags")
        }
        let latest = WindowSet.latest(history, lookback: lookback, horizon: horizon)
        // Features: the normalised values (flags dropped: XGBoost handles missing values natively).
        func features(_ set: WindowSet) -> [[Float]] {
            (0..<(lookback * channels)).map { feature in
                let (step, channel) = (feature / channels, feature % channels)
                return (0..<set.count).map { window in
                    set.inputs[window * set.inputWidth + step * 2 * channels + channels + channel] == 0
                        ? .nan : set.inputs[window * set.inputWidth + step * 2 * channels + channel]
                }
            }
        }
        let trainFeatures = features(windows), latestFeatures = features(latest)
        let names = (0..<(lookback * channels)).map { "lag\(lookback - $0 / channels)_c\($0 % channels)" }
        let (train, validation) = windows.temporalHoldOut(fraction: 0.2, minimum: 30)
        var outputs = [Float](repeating: 0, count: latest.count * horizon * channels)
        var shared: TreeParameters? = trees.fixedParameters
        for target in 0..<(horizon * channels) {
            let y = (0..<windows.count).map { windows.targets[$0 * windows.targetWidth + target] }
            let labeled = train.filter { !y[$0].isNaN }
            guard labeled.count >= 2 else {
                for window in 0..<latest.count { outputs[window * horizon * channels + target] = 0 }   // the window mean
                continue
            }
            var columns = zip(names, trainFeatures).map { Column(name: $0, type: .numeric, storage: .numeric($1)) }
            columns.append(Column(name: "target", type: .numeric, role: .target, storage: .numeric(y)))
            let table = Table(columns: columns, source: history.source)
            var config = trees
            config.seed = trees.seed &+ UInt64(target)
            config.fixedParameters = shared
            let model = try GradientBoostedTrees(config: config).fit(table, rows: labeled, validationRows: validation.filter { !y[$0].isNaN },
                                                                     task: .regression)
            // The first step's search chooses the hyperparameters for every step.
            if shared == nil, model.tuning?.method != .defaults { shared = model.parameters }
            let latestTable = Table(columns: zip(names, latestFeatures).map { Column(name: $0, type: .numeric, storage: .numeric($1)) },
                                    source: history.source)
            let predicted = try model.predictions(latestTable).predictions.values
            for window in 0..<latest.count { outputs[window * horizon * channels + target] = Float(predicted[window]) }
        }
        let values = latest.denormalize(outputs)
        return history.series.indices.map { index in
            SeriesForecast(id: history.series[index].id, times: history.futureTimes(of: index, horizon: horizon),
                           values: Array(values[(index * horizon * channels)..<((index + 1) * horizon * channels)]))
        }
    }
}

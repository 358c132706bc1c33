/// The forecast of one series: `horizon` future time stamps and a (H, C) block of values.
public struct SeriesForecast: Sendable, Equatable {
    public var id: String
    public var times: [Double]
    /// (H, C) row-major.
    public var values: [Float]

    public init(id: String, times: [Double], values: [Float]) {
        self.id = id
        self.times = times
        self.values = values
    }
}

/// Anything that forecasts: it learns from `history` alone and forecasts the next
/// `horizon` steps of every series in it. A backtest hands each forecaster only the
/// past of its origin, so none can look ahead.
public protocol Forecaster {
    /// A short name for reports ("seasonal-naive", "xgboost-lags", …).
    var name: String { get }
    func forecast(history: SeriesCollection, horizon: Int) throws -> [SeriesForecast]
}

public extension SeriesCollection {
    /// The `horizon` time stamps after series `index`'s last step.
    func futureTimes(of index: Int, horizon: Int) -> [Double] {
        let last = series[index].times.last ?? -1
        return (1...max(1, horizon)).map { axis.advance(last, by: $0) }
    }
}

public extension SeriesForecast {
    /// A forecasts CSV: `series_id`, `time`, `step` (1…H), then one column per channel.
    static func csv(_ forecasts: [SeriesForecast], collection: SeriesCollection) -> CSVWriter {
        var writer = CSVWriter(header: ["series_id", "time", "step"] + collection.channelNames)
        for forecast in forecasts {
            let channels = forecast.values.count / max(1, forecast.times.count)
            for (step, time) in forecast.times.enumerated() {
                writer.appendRow([forecast.id, collection.axis.format(time), String(step + 1)]
                                 + (0..<channels).map { CSVWriter.format(forecast.values[step * channels + $0]) })
            }
        }
        return writer
    }
}

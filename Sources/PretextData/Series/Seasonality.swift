/// The season length m of a collection: `--season` when given, else the calendar's
/// (12 for monthly, 7 for daily, …), else the lag in 2…T/3 with the highest
/// autocorrelation of the first differences, if it is above 0.3; else 1 (no season).
public enum Seasonality {
    public static func seasonLength(_ collection: SeriesCollection, given: Int? = nil) -> Int {
        if let given { return max(1, given) }
        if let calendar = collection.axis.seasonLength { return calendar }
        guard let series = collection.series.max(by: { $0.length < $1.length }), series.length >= 8 else { return 1 }
        let values = (0..<series.length).map { Double(series.value($0, 0)) }
        let differences = zip(values.dropFirst(), values).map { $0 - $1 }.filter { !$0.isNaN }
        let mean = differences.reduce(0, +) / Double(max(1, differences.count))
        let centred = differences.map { $0 - mean }
        let variance = centred.reduce(0) { $0 + $1 * $1 }
        guard variance > 0 else { return 1 }
        var best = 1, bestCorrelation = 0.3
        for lag in 2...max(2, centred.count / 3) where lag < centred.count {
            var sum = 0.0
            for index in lag..<centred.count { sum += centred[index] * centred[index - lag] }
            if sum / variance > bestCorrelation { (best, bestCorrelation) = (lag, sum / variance) }
        }
        return best
    }
}

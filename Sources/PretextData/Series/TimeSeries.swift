/// One series: T time stamps and a (T, C) block of values, NaN where missing.
public struct TimeSeries: Sendable, Equatable {
    /// The series id (long layout), the row number (wide layout) or the file name.
    public var id: String
    /// Time stamps on the collection's `TimeAxis`, increasing. (T,)
    public var times: [Double]
    /// (T, C) row-major: step t's channels at t·C ..< (t+1)·C. NaN = missing.
    public var values: [Float]
    public var channels: Int
    /// The class of the whole series (wide layout with a target column), if labeled.
    public var label: String?

    public init(id: String, times: [Double], values: [Float], channels: Int, label: String? = nil) {
        precondition(values.count == times.count * channels, "TimeSeries: \(values.count) values for \(times.count)×\(channels)")
        self.id = id
        self.times = times
        self.values = values
        self.channels = channels
        self.label = label
    }

    public var length: Int { times.count }

    public func value(_ step: Int, _ channel: Int) -> Float { values[step * channels + channel] }

    /// The first `count` steps: what is known at the origin `count`.
    public func prefix(_ count: Int) -> TimeSeries {
        let count = min(count, length)
        return TimeSeries(id: id, times: Array(times[..<count]), values: Array(values[..<(count * channels)]), channels: channels, label: label)
    }

    /// The last `count` steps.
    public func suffix(_ count: Int) -> TimeSeries {
        let start = max(0, length - count)
        return TimeSeries(id: id, times: Array(times[start...]), values: Array(values[(start * channels)...]), channels: channels, label: label)
    }

    /// Each channel as its own univariate series (`id/channel`).
    public func splitChannels(names: [String]) -> [TimeSeries] {
        (0..<channels).map { channel in
            TimeSeries(id: channels == 1 ? id : "\(id)/\(names[channel])", times: times,
                       values: (0..<length).map { value($0, channel) }, channels: 1, label: label)
        }
    }

    /// Missing values per channel.
    public var missingCount: Int { values.reduce(0) { $0 + ($1.isNaN ? 1 : 0) } }
}

/// Series that share channels and a time axis: what pretraining, forecasting and series
/// classification consume.
public struct SeriesCollection: Sendable, Equatable {
    public var series: [TimeSeries]
    /// Channel names, in value order (the value columns, or "value" for wide files).
    public var channelNames: [String]
    public var axis: TimeAxis
    /// The file the series came from.
    public var source: String
    /// The label column (wide layout with a target), if any.
    public var labelColumn: String?

    public init(series: [TimeSeries], channelNames: [String], axis: TimeAxis, source: String, labelColumn: String? = nil) {
        self.series = series
        self.channelNames = channelNames
        self.axis = axis
        self.source = source
        self.labelColumn = labelColumn
    }

    public var channels: Int { channelNames.count }
    public var count: Int { series.count }
    public var totalSteps: Int { series.reduce(0) { $0 + $1.length } }

    /// Every series cut at its first `count` steps.
    public func prefixes(_ count: Int) -> SeriesCollection {
        var copy = self
        copy.series = series.map { $0.prefix(count) }
        return copy
    }

    /// Every channel as its own univariate series — for pretraining one univariate
    /// encoder on all the signals of a multivariate file.
    public func splittingChannels() -> SeriesCollection {
        var copy = self
        copy.series = series.flatMap { $0.splitChannels(names: channelNames) }
        copy.channelNames = ["value"]
        return copy
    }

    /// Series followed by `other`'s (same channels; the axis is kept from `self`).
    public func appending(_ other: SeriesCollection) throws -> SeriesCollection {
        guard other.channels == channels else { throw SeriesError.channelMismatch(expected: channelNames, found: other.channelNames) }
        var copy = self
        copy.series += other.series
        return copy
    }

    /// One line per fact a user should check: counts, lengths, frequency, missing values.
    public var summary: [String] {
        let lengths = series.map(\.length)
        var lines = ["\(count) series, \(channels) channel\(channels == 1 ? "" : "s") (\(channelNames.joined(separator: ", "))), \(axis)"]
        if let low = lengths.min(), let high = lengths.max() {
            lines.append(low == high ? "every series has \(low) steps" : "unequal lengths: \(low) to \(high) steps")
        }
        if let first = series.first, let start = first.times.first, let end = first.times.last, axis.unit != .index {
            lines.append("\(count == 1 ? "" : "first series: ")\(axis.format(start)) … \(axis.format(end))")
        }
        let missing = series.reduce(0) { $0 + $1.missingCount }
        if missing > 0 { lines.append("\(missing) missing value\(missing == 1 ? "" : "s") (masked in training, never read as zeros)") }
        if let labelColumn {
            let labeled = series.filter { $0.label != nil }.count
            lines.append("labels in \"\(labelColumn)\": \(labeled) of \(count) series labeled")
        }
        if let season = axis.seasonLength { lines.append("season length \(season) (from the frequency)") }
        return lines
    }
}

/// How time advances in a collection: by an integer index, by calendar months, or by a
/// fixed number of seconds — detected from the data as the most common step between
/// consecutive time stamps.
public struct TimeAxis: Codable, Sendable, Equatable, CustomStringConvertible {
    public enum Unit: String, Codable, Sendable {
        /// Integer positions (a time column of integers, or no time column).
        case index
        /// Calendar months (every stamp is midnight on the 1st): monthly, quarterly, yearly.
        case months
        /// Seconds since 1970-01-01 UTC: daily, hourly, weekly, …
        case seconds
    }

    public var unit: Unit
    /// Units per step.
    public var step: Double

    public init(unit: Unit, step: Double) {
        self.unit = unit
        self.step = step
    }

    public static let index = TimeAxis(unit: .index, step: 1)

    /// The position of `time` on a uniform grid in this axis's unit.
    func position(_ time: Double) -> Double {
        switch unit {
        case .index, .seconds: return time
        case .months:
            let (year, month, _) = ISODate.civil(fromDays: Int((time / 86_400).rounded(.down)))
            return Double(year * 12 + month - 1)
        }
    }

    /// Steps from `earlier` to `later` (not necessarily whole).
    public func steps(from earlier: Double, to later: Double) -> Double {
        (position(later) - position(earlier)) / step
    }

    /// The time `count` steps after `time`.
    public func advance(_ time: Double, by count: Int) -> Double {
        switch unit {
        case .index, .seconds: return time + Double(count) * step
        case .months:
            let total = Int(position(time)) + count * Int(step)
            let year = total >= 0 ? total / 12 : (total - 11) / 12
            return ISODate.seconds(year, total - year * 12 + 1, 1)
        }
    }

    /// A time stamp as written in outputs: integers for an index, `YYYY-MM` for months,
    /// ISO 8601 dates or timestamps otherwise.
    public func format(_ time: Double) -> String {
        switch unit {
        case .index: return Self.integerText(time)
        case .months: return String(ISODate.format(time).prefix(7))
        case .seconds: return ISODate.format(time)
        }
    }

    /// An integral value as an integer ("12"), anything else — fractions, and values
    /// beyond ±9·10¹⁵ that no Int conversion may trap on — as Swift prints a Double.
    static func integerText(_ value: Double) -> String {
        abs(value) < 9e15 && value == value.rounded() ? String(Int(value)) : "\(value)"
    }

    public var description: String {
        switch (unit, step) {
        case (.index, 1): return "indexed by step"
        case (.index, _): return "indexed every \(Self.integerText(step)) steps"
        case (.months, 1): return "monthly"
        case (.months, 3): return "quarterly"
        case (.months, 12): return "yearly"
        case (.months, _): return "every \(Int(step)) months"
        case (.seconds, 86_400): return "daily"
        case (.seconds, 604_800): return "weekly"
        case (.seconds, 3_600): return "hourly"
        case (.seconds, 60): return "minutely"
        default: return "every \(ISODate.formatDuration(step))"
        }
    }

    /// The usual season length for this frequency: 12 for monthly, 4 quarterly, 7 daily
    /// (weekly cycle), 52 weekly, 24 hourly; nil when there is no calendar to go by.
    public var seasonLength: Int? {
        switch (unit, step) {
        case (.months, 1): return 12
        case (.months, 3): return 4
        case (.seconds, 86_400): return 7
        case (.seconds, 604_800): return 52
        case (.seconds, 3_600): return 24
        case (.seconds, 1_800): return 48
        default: return nil
        }
    }

    /// The axis of sorted time stamps (per series): months when every stamp is midnight
    /// on the 1st and they are at least 28 days apart, else the unit given; the step is
    /// the most common positive difference (ties: the smallest).
    static func detect(sortedTimes: [[Double]], isDate: Bool) -> TimeAxis {
        let monthly = isDate && sortedTimes.allSatisfy { times in
            times.allSatisfy { time in
                let days = (time / 86_400).rounded(.down)
                return time == days * 86_400 && ISODate.civil(fromDays: Int(days)).2 == 1
            } && zip(times, times.dropFirst()).allSatisfy { $1 - $0 >= 28 * 86_400 }
        }
        var axis = TimeAxis(unit: monthly ? .months : (isDate ? .seconds : .index), step: 1)
        var counts: [Double: Int] = [:]
        for times in sortedTimes {
            for (earlier, later) in zip(times, times.dropFirst()) {
                let difference = axis.position(later) - axis.position(earlier)
                if difference > 0 { counts[difference, default: 0] += 1 }
            }
        }
        if let mode = counts.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) })?.key {
            axis.step = mode
        } else if isDate && !monthly {
            axis.step = 86_400
        }
        return axis
    }
}

extension ISODate {
    /// "90 s", "15 min", "6 h", "3 days".
    static func formatDuration(_ seconds: Double) -> String {
        if seconds.truncatingRemainder(dividingBy: 86_400) == 0 { return "\(Int(seconds / 86_400)) days" }
        if seconds.truncatingRemainder(dividingBy: 3_600) == 0 { return "\(Int(seconds / 3_600)) h" }
        if seconds.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(seconds / 60)) min" }
        return "\(seconds) s"
    }
}

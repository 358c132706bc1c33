/// How series are cut into training examples.
public struct WindowConfig: Codable, Sendable, Equatable {
    /// Past steps a model sees (L). Range ≥ 1; default 24.
    public var lookback: Int = 24
    /// Future steps it predicts (H): 1 for next-step pretraining. Range ≥ 1; default 1.
    public var horizon: Int = 1
    /// Steps between consecutive window starts. Range ≥ 1; default 1.
    public var stride: Int = 1

    public init(lookback: Int = 24, horizon: Int = 1, stride: Int = 1) {
        self.lookback = lookback
        self.horizon = horizon
        self.stride = stride
    }

    public func validate() throws {
        for (name, value) in [("--lookback", lookback), ("--horizon", horizon), ("--stride", stride)] where value < 1 {
            throw DataError.invalidOption(name: name, value: "\(value)", reason: "must be at least 1")
        }
    }
}

/// Windows cut from series, normalised per window, ready for a network.
///
/// Window i covers the lookback steps e−L ..< e of one series and the horizon steps
/// e ..< e+H. Per channel c, with μ and σ the mean and standard deviation of the
/// observed lookback values and σₛ that of the whole given series,
///
///     x̃ = (x − μ) / s,   s = max(σ, 0.1·σₛ, 1e-6)
///
/// (the floor keeps a flat lookback from blowing up the targets), so a model sees every
/// window at the same level and scale whatever the series' units — and transfers across
/// series. `denormalize` undoes it: y = ỹ·s + μ. Normalised values are clipped to
/// ±`clip` (10): a rain shower after a dry fortnight in an intermittent series is a
/// large but finite target, so it cannot dominate a squared loss.
///
/// Inputs are (N, L·2C), time-major: at each step the C normalised values, then C
/// observed flags (1 observed, 0 missing). A missing input value is written as 0 *and*
/// flagged 0, so the network can tell "missing" from "at the mean"; a missing target is
/// NaN, left out of the loss. Steps before a series' start count as missing.
public struct WindowSet: Sendable {
    public struct Origin: Sendable, Equatable {
        /// Index of the series in its collection.
        public var series: Int
        /// The first step after the lookback: the forecast origin.
        public var end: Int
    }

    public let lookback: Int
    public let horizon: Int
    public let channels: Int
    /// (N, L·2C)
    public private(set) var inputs: [Float] = []
    /// (N, H·C), normalised; NaN where missing or beyond the series.
    public private(set) var targets: [Float] = []
    /// (N, C) μ and s of each window.
    public private(set) var location: [Float] = []
    public private(set) var scale: [Float] = []
    public private(set) var origins: [Origin] = []

    /// Normalised values are clipped to ±clip.
    public static let clip: Float = 10

    public var count: Int { origins.count }
    public var inputWidth: Int { lookback * 2 * channels }
    public var targetWidth: Int { horizon * channels }

    init(lookback: Int, horizon: Int, channels: Int) {
        self.lookback = lookback
        self.horizon = horizon
        self.channels = channels
    }

    /// Every window with a full lookback inside the series, at least one observed
    /// lookback value and at least one observed target, starting every `stride` steps.
    public static func training(_ collection: SeriesCollection, config: WindowConfig) -> WindowSet {
        var set = WindowSet(lookback: config.lookback, horizon: config.horizon, channels: collection.channels)
        for (index, series) in collection.series.enumerated() {
            let floors = seriesFloors(series)
            var end = config.lookback
            while end + 1 <= series.length {
                set.append(series, index: index, end: end, floors: floors, requireTarget: true)
                end += config.stride
            }
        }
        return set
    }

    /// One window per series ending at its last step: the input for forecasting what
    /// comes next. Series shorter than the lookback are padded with missing steps.
    public static func latest(_ collection: SeriesCollection, lookback: Int, horizon: Int) -> WindowSet {
        var set = WindowSet(lookback: lookback, horizon: horizon, channels: collection.channels)
        for (index, series) in collection.series.enumerated() {
            set.append(series, index: index, end: series.length, floors: seriesFloors(series), requireTarget: false)
        }
        return set
    }

    /// Each whole series as one window of `length` steps (shorter series padded with
    /// missing steps at the start; longer ones keep their last `length` steps): inputs
    /// for series classification.
    public static func whole(_ collection: SeriesCollection, length: Int) -> WindowSet {
        latest(collection, lookback: length, horizon: 1)
    }

    /// Each whole series as one window of `length` steps (padded and cut as `whole`),
    /// every value standardised with the same per-channel `standardizer` instead of its
    /// own window's statistics — so a series' level and spread stay visible to the model
    /// (global standardisation, as TS2Vec and TS-TCC prepare UEA data).
    public static func whole(_ collection: SeriesCollection, length: Int, standardizer: SeriesStandardizer) -> WindowSet {
        precondition(standardizer.location.count == collection.channels, "standardizer for \(standardizer.location.count) channels, series have \(collection.channels)")
        var set = WindowSet(lookback: length, horizon: 1, channels: collection.channels)
        for (index, series) in collection.series.enumerated() {
            set.append(series, index: index, end: series.length, floors: [], requireTarget: false, fixed: standardizer)
        }
        return set
    }

    /// The windows at `indices`, in order.
    public func selecting(_ indices: [Int]) -> WindowSet {
        var set = WindowSet(lookback: lookback, horizon: horizon, channels: channels)
        for index in indices {
            set.inputs += inputs[(index * inputWidth)..<((index + 1) * inputWidth)]
            set.targets += targets[(index * targetWidth)..<((index + 1) * targetWidth)]
            set.location += location[(index * channels)..<((index + 1) * channels)]
            set.scale += scale[(index * channels)..<((index + 1) * channels)]
            set.origins.append(origins[index])
        }
        return set
    }

    /// An early-stopping split in time: the last `fraction` of each series' windows are
    /// held out, and training windows must end their horizon before the first held-out
    /// target (so no validation target is trained on). When that holds out fewer than
    /// `minimum` windows, or leaves fewer than 2 to train, every window trains and none
    /// validates.
    public func temporalHoldOut(fraction: Double, minimum: Int) -> (train: [Int], validation: [Int]) {
        let all = Array(0..<count)
        guard fraction > 0 else { return (all, []) }
        var bySeries: [Int: [Int]] = [:]
        for (index, origin) in origins.enumerated() { bySeries[origin.series, default: []].append(index) }
        var train: [Int] = [], validation: [Int] = []
        for (_, indices) in bySeries.sorted(by: { $0.key < $1.key }) {
            let held = Int((Double(indices.count) * fraction).rounded())
            guard held >= 1, indices.count > held else { train += indices; continue }
            let part = Array(indices.suffix(held))
            let cut = origins[part[0]].end
            validation += part
            train += indices.prefix(indices.count - held).filter { origins[$0].end + horizon <= cut }
        }
        if validation.count < minimum || train.count < 2 { return (all, []) }
        return (train.sorted(), validation.sorted())
    }

    /// Normalised outputs (N, H·C) back in the series' units: y = ỹ·s + μ per window
    /// and channel.
    public func denormalize(_ outputs: [Float]) -> [Float] {
        precondition(outputs.count == count * targetWidth, "denormalize: \(outputs.count) outputs for \(count) windows × \(targetWidth)")
        var result = outputs
        for window in 0..<count {
            for step in 0..<horizon {
                for channel in 0..<channels {
                    let index = window * targetWidth + step * channels + channel
                    result[index] = outputs[index] * scale[window * channels + channel] + location[window * channels + channel]
                }
            }
        }
        return result
    }

    static func clipped(_ value: Float) -> Float { min(max(value, -clip), clip) }

    /// σₛ per channel over the observed values of the whole series.
    static func seriesFloors(_ series: TimeSeries) -> [Float] {
        (0..<series.channels).map { channel in
            var sum = 0.0, squares = 0.0, n = 0.0
            for step in 0..<series.length {
                let value = series.value(step, channel)
                guard !value.isNaN else { continue }
                sum += Double(value)
                squares += Double(value) * Double(value)
                n += 1
            }
            guard n > 1 else { return 1e-6 }
            let mean = sum / n
            return Float(max(0, squares / n - mean * mean).squareRoot() * 0.1)
        }
    }

    private mutating func append(_ series: TimeSeries, index: Int, end: Int, floors: [Float], requireTarget: Bool,
                                 fixed: SeriesStandardizer? = nil) {
        let start = end - lookback
        var mean = [Double](repeating: 0, count: channels), squares = mean, observed = mean
        for step in max(0, start)..<end {
            for channel in 0..<channels {
                let value = series.value(step, channel)
                guard !value.isNaN else { continue }
                mean[channel] += Double(value)
                squares[channel] += Double(value) * Double(value)
                observed[channel] += 1
            }
        }
        guard observed.contains(where: { $0 > 0 }) || !requireTarget else { return }
        var windowTargets = [Float](repeating: .nan, count: targetWidth)
        var locations = [Float](repeating: 0, count: channels), scales = [Float](repeating: 1, count: channels)
        for channel in 0..<channels {
            if let fixed {
                locations[channel] = fixed.location[channel]
                scales[channel] = fixed.scale[channel]
            } else if observed[channel] > 0 {
                let mu = mean[channel] / observed[channel]
                let sigma = max(0, squares[channel] / observed[channel] - mu * mu).squareRoot()
                locations[channel] = Float(mu)
                scales[channel] = max(Float(sigma), floors[channel], 1e-6)
            }
        }
        var anyTarget = false
        for step in 0..<horizon where end + step < series.length {
            for channel in 0..<channels {
                let value = series.value(end + step, channel)
                guard !value.isNaN else { continue }
                windowTargets[step * channels + channel] = Self.clipped((value - locations[channel]) / scales[channel])
                anyTarget = true
            }
        }
        if requireTarget && !anyTarget { return }
        var windowInputs = [Float](repeating: 0, count: inputWidth)
        for t in 0..<lookback where start + t >= 0 {
            for channel in 0..<channels {
                let value = series.value(start + t, channel)
                guard !value.isNaN else { continue }
                windowInputs[t * 2 * channels + channel] = Self.clipped((value - locations[channel]) / scales[channel])
                windowInputs[t * 2 * channels + channels + channel] = 1
            }
        }
        inputs += windowInputs
        targets += windowTargets
        location += locations
        scale += scales
        origins.append(Origin(series: index, end: end))
    }
}

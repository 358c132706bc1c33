import Foundation
import PretextData
import PretextNN

/// MiniRocket's settings (Dempster, Schmidt and Webb 2021, "MINIROCKET: A Very Fast
/// (Almost) Deterministic Transform for Time Series Classification"): the defaults are
/// the paper's and its reference implementation's.
public struct MiniRocketConfig: Codable, Sendable, Equatable {
    /// Features wanted; rounded down to a multiple of the 84 kernels (10,000 → 9,996).
    public var features = 10_000
    /// At most this many dilations per kernel. Default 32.
    public var maximumDilationsPerKernel = 32
    /// Seeds the choice of the training series each bias is fitted on.
    public var seed: UInt64 = 0

    public init() {}

    public func validate() throws {
        guard features >= MiniRocket.kernels.count else {
            throw TrainingError.invalidHyperparameter(name: "features", value: "\(features)", expected: "at least 84 (one per kernel)")
        }
        guard maximumDilationsPerKernel >= 1 else {
            throw TrainingError.invalidHyperparameter(name: "maximumDilationsPerKernel", value: "\(maximumDilationsPerKernel)", expected: "≥ 1")
        }
    }
}

/// The MiniRocket transform: 84 fixed kernels of length 9 — weights −1 everywhere and 2
/// at three of the nine positions, C(9, 3) = 84 choices — each at several dilations d,
/// with biases taken from quantiles of the convolution outputs on training series; each
/// feature is the proportion of positive values (PPV) of one convolution output minus
/// one bias.
///
/// For series x of length L, kernel k with its three positions P and dilation d,
///
///     C[t] = Σⱼ₌₀…₈ wⱼ · x[t + (j − 4)·d]   (x = 0 outside 0 ..< L),  wⱼ = 2 if j ∈ P else −1
///          = −Σⱼ x[t + (j − 4)·d] + 3 · Σⱼ∈P x[t + (j − 4)·d],
///
/// so one dilation's nine shifted copies serve all 84 kernels. A feature is
/// PPV = mean over t of [C[t] > b]. Dilations are ⌊2^e⌋ for e evenly spaced in
/// [0, log₂((L − 1)/8)] (at most 32, duplicates merged and weighted), so the kernel spans
/// up to the whole series; features per dilation follow those weights. Biases: for each
/// (dilation, kernel) one random training series' C, at the low-discrepancy quantiles
/// (i·φ) mod 1 (φ the golden ratio). Every other (dilation, kernel) pair — alternately
/// by kernel index and dilation index — uses only the positions where the kernel needs
/// no padding (C[4d ..< L − 4d]), as in the reference implementation.
///
/// **Multivariate** (the reference `MiniRocketMultivariate`): each (dilation, kernel)
/// pair convolves a random subset S of the M channels and sums, C = Σ_{c∈S} C_c, with
/// |S| = ⌊2^u⌋, u ~ U(0, log₂(min(M, 9) + 1)), channels drawn without replacement.
/// **Variable lengths** (the reference `MiniRocketMultivariateVariable`): dilations come
/// from the longest training series (L above); each series is convolved over its own
/// length and PPV is the share of its own positions, so the features do not depend on
/// length; as in that reference, every pair then pools over all positions (no
/// alternation). Series shorter than 9 steps are zero-padded by the convolution like the
/// ends of every series.
public struct MiniRocket: Codable, Sendable, Equatable {
    /// The 84 kernels: the three positions of weight 2, in lexicographic order.
    public static let kernels: [(Int, Int, Int)] = {
        var kernels: [(Int, Int, Int)] = []
        for a in 0..<9 { for b in (a + 1)..<9 { for c in (b + 1)..<9 { kernels.append((a, b, c)) } } }
        return kernels
    }()

    /// One series: `channels` arrays of equal length, no missing values.
    public typealias Series = [[Float]]

    /// The reference length: the longest training series.
    public let length: Int
    public let channels: Int
    public let dilations: [Int]
    public let featuresPerDilation: [Int]
    /// (features,) in the order dilation-major, then kernel, then quantile.
    public let biases: [Float]
    /// Per (dilation, kernel) pair, dilation-major, how many channels it sums; empty for
    /// one channel.
    public let channelsPerCombination: [Int]
    /// The channels of each pair, concatenated in pair order.
    public let channelIndices: [Int]
    /// Whether every other pair pools only the unpadded positions (series of one length,
    /// as `MiniRocket`/`MiniRocketMultivariate`); false after fitting series of several
    /// lengths (as `MiniRocketMultivariateVariable`).
    public let alternatesPadding: Bool

    public var featureCount: Int { biases.count }

    public init(length: Int, channels: Int = 1, dilations: [Int], featuresPerDilation: [Int], biases: [Float],
                channelsPerCombination: [Int] = [], channelIndices: [Int] = [], alternatesPadding: Bool = true) {
        self.length = length
        self.channels = channels
        self.dilations = dilations
        self.featuresPerDilation = featuresPerDilation
        self.biases = biases
        self.channelsPerCombination = channelsPerCombination
        self.channelIndices = channelIndices
        self.alternatesPadding = alternatesPadding
    }

    /// Fits dilations and biases on univariate `series`, each of `length` values.
    public static func fit(_ series: [[Float]], length: Int, config: MiniRocketConfig = MiniRocketConfig()) throws -> MiniRocket {
        guard length >= 9 else {
            throw TrainingError.notEnoughData(reason: "MiniRocket's kernels span 9 steps; these series have \(length)")
        }
        return try fit(multivariate: series.map { [$0] }, config: config)
    }

    /// Fits on series of one or more channels and any lengths (the longest ≥ 9 steps).
    public static func fit(multivariate series: [Series], config: MiniRocketConfig = MiniRocketConfig()) throws -> MiniRocket {
        try config.validate()
        guard let channels = series.first?.count else { throw TrainingError.notEnoughData(reason: "MiniRocket needs at least one training series") }
        guard channels >= 1, series.allSatisfy({ example in example.count == channels && example.allSatisfy { $0.count == example[0].count } }) else {
            throw TrainingError.notEnoughData(reason: "MiniRocket needs every series to have the same \(channels) channel(s)")
        }
        let length = series.map { $0[0].count }.max() ?? 0
        guard length >= 9 else {
            throw TrainingError.notEnoughData(reason: "MiniRocket's kernels span 9 steps; the longest training series has \(length)")
        }
        let (dilations, perDilation) = Self.dilations(length: length, features: config.features,
                                                      maximumPerKernel: config.maximumDilationsPerKernel)
        // Channel subsets from their own stream, so univariate biases match the univariate reference.
        var perCombination: [Int] = [], indices: [Int] = []
        if channels > 1 {
            var generator = SeededGenerator(seed: config.seed, stream: "minirocket-channels")
            let maximumExponent = log2(Double(min(channels, 9) + 1))
            for _ in 0..<(dilations.count * kernels.count) {
                let count = min(channels, Int(pow(2, generator.nextUniform() * maximumExponent)))
                var pool = Array(0..<channels)
                for index in 0..<count { pool.swapAt(index, index + generator.nextInt(below: channels - index)) }
                perCombination.append(count)
                indices += pool[..<count]
            }
        }
        let plan = MiniRocket(length: length, channels: channels, dilations: dilations, featuresPerDilation: perDilation,
                              biases: [], channelsPerCombination: perCombination, channelIndices: indices)
        let perKernel = perDilation.reduce(0, +)
        let quantiles = Self.quantiles(kernels.count * perKernel)
        var biases = [Float](repeating: 0, count: kernels.count * perKernel)
        var generator = SeededGenerator(seed: config.seed, stream: "minirocket-biases")
        var start = 0, combination = 0, offset = 0
        for (dilation, count) in zip(dilations, perDilation) {
            for kernel in kernels.indices {
                let example = series[Int(generator.next() % UInt64(series.count))]
                let shifted = example.map { Shifted($0, dilation: dilation) }
                let output = plan.convolution(shifted, kernel: kernel, combination: combination, offset: offset).map(Double.init).sorted()
                for index in start..<(start + count) { biases[index] = Float(Preprocessor.quantile(output, quantiles[index])) }
                start += count
                offset += channels > 1 ? perCombination[combination] : 0
                combination += 1
            }
        }
        return MiniRocket(length: length, channels: channels, dilations: dilations, featuresPerDilation: perDilation,
                          biases: biases, channelsPerCombination: perCombination, channelIndices: indices,
                          alternatesPadding: series.allSatisfy { $0[0].count == length })
    }

    /// C = Σ over the channels of pair `combination` (theirs start at `offset` in
    /// `channelIndices`) of the kernel's convolution.
    func convolution(_ shifted: [Shifted], kernel: Int, combination: Int, offset: Int) -> [Float] {
        guard channels > 1 else { return shifted[0].convolution(kernel: kernel) }
        var output = [Float](repeating: 0, count: shifted[0].sum.count)
        for channel in channelIndices[offset..<(offset + channelsPerCombination[combination])] {
            shifted[channel].accumulate(kernel: kernel, into: &output)
        }
        return output
    }

    /// Features (series.count, featureCount), row-major, of univariate series.
    public func transform(_ series: [[Float]]) -> [Float] {
        transform(multivariate: series.map { [$0] })
    }

    /// Features (series.count, featureCount), row-major. Each series has `channels`
    /// channels of equal length (any length).
    public func transform(multivariate series: [Series]) -> [Float] {
        var features = [Float](repeating: 0, count: series.count * featureCount)
        var offsets: [Int] = [], running = 0
        for count in channelsPerCombination { offsets.append(running); running += count }
        features.withUnsafeMutableBufferPointer { output in
            let base = output.baseAddress!
            Lanes.forEachPart(series.count) { row in
                let rowStart = row * featureCount
                let length = series[row][0].count
                var index = 0   // the feature: its bias, and its column in this row
                var combination = 0
                for (dilationIndex, (dilation, count)) in zip(dilations, featuresPerDilation).enumerated() {
                    let shifted = series[row].map { Shifted($0, dilation: dilation) }
                    let padding = 4 * dilation
                    var output: [Float]
                    for kernel in Self.kernels.indices {
                        output = convolution(shifted, kernel: kernel, combination: combination,
                                             offset: channels > 1 ? offsets[combination] : 0)
                        let trimmed = alternatesPadding && (dilationIndex + kernel) % 2 == 1 && length > 2 * padding
                        let range = trimmed ? padding..<(length - padding) : 0..<length
                        let scale = 1 / Float(max(1, range.count))
                        for _ in 0..<count {
                            let bias = biases[index]
                            var positive = 0
                            for t in range where output[t] > bias { positive += 1 }
                            base[rowStart + index] = Float(positive) * scale
                            index += 1
                        }
                        combination += 1
                    }
                }
            }
        }
        return features
    }

    /// ⌊2^e⌋ for `min(features/84, maximumPerKernel)` exponents e evenly spaced in
    /// [0, log₂((L − 1)/8)], duplicates merged; features per dilation in proportion to
    /// the duplicates, the remainder dealt one by one from the smallest dilation.
    static func dilations(length: Int, features: Int, maximumPerKernel: Int) -> ([Int], [Int]) {
        let perKernel = features / kernels.count
        let count = min(perKernel, maximumPerKernel)
        let multiplier = Double(perKernel) / Double(count)
        let maximumExponent = log2(Double(length - 1) / 8)
        var dilations: [Int] = [], counts: [Int] = []
        for index in 0..<count {
            let exponent = count == 1 ? 0 : maximumExponent * Double(index) / Double(count - 1)
            let dilation = Int(pow(2, exponent))
            if dilations.last == dilation { counts[counts.count - 1] += 1 } else { dilations.append(dilation); counts.append(1) }
        }
        var perDilation = counts.map { Int(Double($0) * multiplier) }
        var remainder = perKernel - perDilation.reduce(0, +)
        var index = 0
        while remainder > 0 {
            perDilation[index] += 1
            remainder -= 1
            index = (index + 1) % perDilation.count
        }
        return (dilations, perDilation)
    }

    /// (i·φ) mod 1 for i = 1 … n, φ = (1 + √5)/2.
    static func quantiles(_ n: Int) -> [Double] {
        let phi = (5.0.squareRoot() + 1) / 2
        return (1...max(1, n)).map { (Double($0) * phi).truncatingRemainder(dividingBy: 1) }
    }

    /// The nine copies x[t + (j − 4)·d] (zero outside the series) and their sum.
    struct Shifted {
        var copies: [[Float]]   // (9, L)
        var sum: [Float]        // (L,)

        init(_ x: [Float], dilation: Int) {
            let length = x.count
            copies = [[Float]](repeating: [Float](repeating: 0, count: length), count: 9)
            sum = [Float](repeating: 0, count: length)
            for j in 0..<9 {
                let offset = (j - 4) * dilation
                let first = max(0, -offset), end = min(length, length - offset)   // t + offset inside the series
                if first < end { for t in first..<end { copies[j][t] = x[t + offset] } }
                for t in 0..<length { sum[t] += copies[j][t] }
            }
        }

        /// C = −Σⱼ copyⱼ + 3·(copy_a + copy_b + copy_c) for kernel k's positions (a, b, c).
        func convolution(kernel: Int) -> [Float] {
            let (a, b, c) = MiniRocket.kernels[kernel]
            var output = [Float](repeating: 0, count: sum.count)
            for t in output.indices { output[t] = 3 * (copies[a][t] + copies[b][t] + copies[c][t]) - sum[t] }
            return output
        }

        /// output += this channel's convolution with kernel k.
        func accumulate(kernel: Int, into output: inout [Float]) {
            let (a, b, c) = MiniRocket.kernels[kernel]
            for t in output.indices { output[t] += 3 * (copies[a][t] + copies[b][t] + copies[c][t]) - sum[t] }
        }
    }

    private enum CodingKeys: String, CodingKey {
        case length, channels, dilations, biases
        case featuresPerDilation = "features_per_dilation"
        case channelsPerCombination = "channels_per_combination"
        case channelIndices = "channel_indices"
        case alternatesPadding = "alternates_padding"
    }

    /// Files from before multivariate support have no channel fields: one channel.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(length: try container.decode(Int.self, forKey: .length),
                  channels: try container.decodeIfPresent(Int.self, forKey: .channels) ?? 1,
                  dilations: try container.decode([Int].self, forKey: .dilations),
                  featuresPerDilation: try container.decode([Int].self, forKey: .featuresPerDilation),
                  biases: try container.decode([Float].self, forKey: .biases),
                  channelsPerCombination: try container.decodeIfPresent([Int].self, forKey: .channelsPerCombination) ?? [],
                  channelIndices: try container.decodeIfPresent([Int].self, forKey: .channelIndices) ?? [],
                  alternatesPadding: try container.decodeIfPresent(Bool.self, forKey: .alternatesPadding) ?? true)
    }
}
